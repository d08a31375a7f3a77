/**
 * The class roster of `mlgrade classroom fetch`: which repository holds whose work. Two CSV shapes
 * are read (the header decides; column names are matched without regard to case):
 *
 * - mlgrade's own, `github_username,repository[,group_name]`, where `repository` is `owner/name`
 *   (a repository on the GitHub server), a URL (`https://github.com/owner/name`, `file:///…`,
 *   `git@host:owner/name.git`, any git remote) or a local path starting with `/`, `./` or `../`
 *   (relative to the roster's folder). Only `owner/name` and URLs on the GitHub server get
 *   comments and statuses; other remotes are fetched and graded only.
 * - GitHub Classroom's grades CSV (`gh classroom assignment-grades` or the classroom's download):
 *   `github_username`, `roster_identifier`, `student_repository_name`, `student_repository_url`,
 *   `group_name` and others, which are ignored. The repository is
 *   `<owner>/<student_repository_name>` on the GitHub server, the owner taken from `--org` or else
 *   from `student_repository_url`. A student with no repository (who has not accepted the
 *   assignment) keeps a row, recorded as not fetched.
 *
 * Rows naming the same repository (a group assignment lists each member) become one submission,
 * named after the group (`group_name`) or else the first member. Lines starting with `#` are
 * comments. Pure: no I/O but {@link readRoster}.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvRows, CsvSyntaxError, type CsvRow } from './csvRows';
import { ClassroomUsageError } from './errors';

/** A repository on the GitHub server: where comments and statuses are posted. */
export interface GitHubRepo {
  owner: string;
  name: string;
}

/** Where a student's work is. */
export interface RosterRepository {
  /** How messages name it: `owner/name`, or the remote as the roster gave it. */
  label: string;
  /** The repository on the GitHub server, when it is one (comments and statuses go there). */
  github?: GitHubRepo;
  /** What git fetches from: a URL or an absolute path. Never holds credentials. */
  remote: string;
}

/** One submission of the roster: a repository and the students whose work it is. */
export interface RosterEntry {
  /** The submission id: a folder name of letters, digits, `_` and `-` (the grade's id). */
  submission: string;
  /** GitHub logins (or roster identifiers) of the students, in roster order. */
  students: string[];
  /** Roster lines (1-based) this entry comes from. */
  lines: number[];
  /** Absent when `problem` says why there is nothing to fetch. */
  repository?: RosterRepository;
  /** Why nothing can be fetched for these students (recorded in the manifest, reported by `post`). */
  problem?: string;
}

export type RosterFormat = 'mlgrade' | 'github-classroom';

export interface RosterOptions {
  /** The GitHub server, e.g. `https://github.com` (`GITHUB_SERVER_URL`); a `file://` folder stands in for it in tests. */
  serverUrl: string;
  /** Owner of repositories the roster names without one (GitHub Classroom's `student_repository_name`). */
  org?: string;
  /** Folder that relative paths in the roster are relative to. */
  baseDir: string;
  /** The roster's name in messages. */
  name?: string;
}

export interface Roster {
  format: RosterFormat;
  entries: RosterEntry[];
}

const OWNER = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})';
const NAME = '[A-Za-z0-9._-]{1,100}';
const OWNER_NAME = new RegExp(`^(${OWNER})/(${NAME})$`);
const URL_PATH = new RegExp(`^/(${OWNER})/(${NAME})/?$`);
const SCP_LIKE = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(.+)$/;

const trimGit = (name: string) => name.replace(/\.git$/, '');

function repoOf(owner: string, name: string): GitHubRepo | undefined {
  const bare = trimGit(name);
  return bare && bare !== '.' && bare !== '..' ? { owner, name: bare } : undefined;
}

/** `${server}/owner/name.git`: how git reaches a repository of the GitHub server. */
export function serverRemote(serverUrl: string, repo: GitHubRepo): string {
  return `${serverUrl.replace(/\/+$/, '')}/${repo.owner}/${repo.name}.git`;
}

function onServer(repo: GitHubRepo, serverUrl: string): RosterRepository {
  return { label: `${repo.owner}/${repo.name}`, github: repo, remote: serverRemote(serverUrl, repo) };
}

function sameOrigin(url: URL, serverUrl: string): boolean {
  try {
    const server = new URL(serverUrl);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === server.origin;
  } catch {
    return false;
  }
}

/**
 * What the `repository` cell of mlgrade's roster names, or why it names nothing usable.
 *
 * @example
 * resolveRepository('org/losses-alice', { serverUrl: 'https://github.com', baseDir: '/course' })
 * // returns { repository: { label: 'org/losses-alice', github: { owner: 'org', name: 'losses-alice' }, remote: 'https://github.com/org/losses-alice.git' } }
 */
export function resolveRepository(cell: string, options: Pick<RosterOptions, 'serverUrl' | 'baseDir'>): { repository: RosterRepository } | { problem: string } {
  const text = cell.trim();
  if (!text) return { problem: 'no repository in the roster (has the student accepted the assignment?)' };
  if (text.startsWith('-')) return { problem: `"${text}" starts with "-": not a repository` };
  const ownerName = OWNER_NAME.exec(text);
  if (ownerName) {
    const repo = repoOf(ownerName[1], ownerName[2]);
    if (repo) return { repository: onServer(repo, options.serverUrl) };
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { problem: `the repository URL is not a valid URL` };
    }
    if (url.username || url.password) return { problem: 'the repository URL holds credentials: remove them from the roster (mlgrade authenticates with GH_TOKEN)' };
    if (sameOrigin(url, options.serverUrl)) {
      const parts = URL_PATH.exec(url.pathname);
      const repo = parts ? repoOf(parts[1], parts[2]) : undefined;
      if (!repo) return { problem: `the URL ${url.href} names no repository (expected ${url.origin}/owner/name)` };
      return { repository: onServer(repo, options.serverUrl) };
    }
    return { repository: { label: url.href, remote: url.href } };
  }
  const scp = SCP_LIKE.exec(text);
  if (scp && !text.startsWith('/') && !text.startsWith('.')) {
    let github: GitHubRepo | undefined;
    try {
      const parts = new RegExp(`^(${OWNER})/(${NAME})$`).exec(scp[2]);
      if (parts && new URL(options.serverUrl).hostname === scp[1]) github = repoOf(parts[1], parts[2]);
    } catch {
      /* a server URL that is not a URL: no GitHub identity */
    }
    return { repository: { label: text, remote: text, ...(github ? { github } : {}) } };
  }
  if (path.isAbsolute(text) || /^\.\.?[\\/]/.test(text)) {
    const absolute = path.resolve(options.baseDir, text);
    return { repository: { label: text, remote: absolute } };
  }
  return { problem: `"${text}" is neither owner/name, a URL, nor a path (start a relative path with ./)` };
}

interface RawRow {
  line: number;
  student: string;
  group: string;
  resolved: { repository: RosterRepository } | { problem: string };
}

function header(rows: CsvRow[], name: string): { format: RosterFormat; column: (cells: string[], key: string) => string } {
  if (!rows.length) throw new ClassroomUsageError(`${name} is empty: give a header line (github_username,repository) and one line per student`);
  const columns = rows[0].cells.map((c) => c.trim().toLowerCase());
  const index = (key: string) => columns.indexOf(key);
  const column = (cells: string[], key: string) => (index(key) >= 0 ? (cells[index(key)] ?? '').trim() : '');
  const expected = 'github_username,repository (or GitHub Classroom\'s grades CSV: github_username, student_repository_name, student_repository_url, …)';
  if (index('github_username') < 0) {
    const got = rows[0].cells.join(',').slice(0, 120);
    throw new ClassroomUsageError(`${name}: line ${rows[0].line} should be a header with the columns ${expected}; got "${got}"`);
  }
  if (index('student_repository_name') >= 0 || index('student_repository_url') >= 0) return { format: 'github-classroom', column };
  if (index('repository') >= 0) return { format: 'mlgrade', column };
  throw new ClassroomUsageError(`${name}: line ${rows[0].line} has no repository column; the header should be ${expected}`);
}

function classroomRepository(cells: string[], column: (cells: string[], key: string) => string, options: RosterOptions): RawRow['resolved'] {
  const name = column(cells, 'student_repository_name');
  const url = column(cells, 'student_repository_url');
  let urlOwner: string | undefined;
  let urlName: string | undefined;
  if (url) {
    try {
      const parsed = new URL(url);
      if (parsed.username || parsed.password) return { problem: 'the repository URL holds credentials: remove them from the roster (mlgrade authenticates with GH_TOKEN)' };
      const parts = URL_PATH.exec(parsed.pathname);
      if (parts) [urlOwner, urlName] = [parts[1], parts[2]];
    } catch {
      /* not a URL: rely on the name */
    }
  }
  const owner = options.org || urlOwner;
  const repoName = name || urlName;
  if (!repoName) return { problem: 'no repository in the roster (has the student accepted the assignment?)' };
  if (!owner) return { problem: `the repository ${repoName} has no owner: pass --org <organisation> (the classroom's GitHub organisation)` };
  const repo = OWNER_NAME.test(`${owner}/${repoName}`) ? repoOf(owner, repoName) : undefined;
  if (!repo) return { problem: `"${owner}/${repoName}" is not a repository name` };
  return { repository: onServer(repo, options.serverUrl) };
}

/** Letters, digits, `_` and `-`: a folder name on every disk, never `.`-prefixed, never holding the `.pr` of pull-request ids. */
function idBase(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[_-]+/, '').slice(0, 60) || 'student';
}

const repoKey = (r: RosterRepository) => (r.github ? `${r.github.owner}/${r.github.name}`.toLowerCase() : r.remote);

/**
 * Reads the roster text; throws {@link ClassroomUsageError} when it is not a roster at all, and
 * records a row's problem (no repository, credentials in a URL) in its entry otherwise.
 *
 * @example
 * parseRoster('github_username,repository\nalice,org/losses-alice\n', { serverUrl: 'https://github.com', baseDir: '.' })
 * // returns { format: 'mlgrade', entries: [{ submission: 'alice', students: ['alice'], lines: [2], repository: { label: 'org/losses-alice', … } }] }
 */
export function parseRoster(text: string, options: RosterOptions): Roster {
  const name = options.name ?? 'the roster';
  let rows: CsvRow[];
  try {
    rows = csvRows(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ClassroomUsageError(`${name}: ${error.message}`);
    throw error;
  }
  const { format, column } = header(rows, name);
  const raw: RawRow[] = rows.slice(1).map((row) => ({
    line: row.line,
    student: column(row.cells, 'github_username') || column(row.cells, 'roster_identifier'),
    group: column(row.cells, 'group_name'),
    resolved: format === 'mlgrade' ? resolveRepository(column(row.cells, 'repository'), options) : classroomRepository(row.cells, column, options),
  }));
  if (!raw.length) throw new ClassroomUsageError(`${name} lists no students: add one line per student under the header`);

  const groups = new Map<string, { rows: RawRow[]; repository?: RosterRepository; problem?: string }>();
  for (const row of raw) {
    if ('repository' in row.resolved) {
      const key = `repo:${repoKey(row.resolved.repository)}`;
      const group = groups.get(key) ?? { rows: [], repository: row.resolved.repository };
      group.rows.push(row);
      groups.set(key, group);
    } else {
      groups.set(`line:${row.line}`, { rows: [row], problem: `line ${row.line}: ${row.resolved.problem}` });
    }
  }
  const drafts = [...groups.values()].map((group) => {
    const first = group.rows[0];
    const raw = first.group || first.student || `line-${first.line}`;
    const students = [...new Set(group.rows.map((r) => r.student).filter(Boolean))];
    return { raw, base: idBase(raw), group, students };
  });
  // Ids that would share a folder (also on a case-insensitive disk) get a suffix from their raw name and repository.
  const count = new Map<string, number>();
  for (const d of drafts) count.set(d.base.toLowerCase(), (count.get(d.base.toLowerCase()) ?? 0) + 1);
  const entries = drafts.map((d): RosterEntry => {
    const key = d.group.repository ? repoKey(d.group.repository) : `line ${d.group.rows[0].line}`;
    const suffix = crypto.createHash('sha256').update(`${d.raw}\0${key}`).digest('hex').slice(0, 8);
    return {
      submission: count.get(d.base.toLowerCase())! > 1 ? `${d.base}-${suffix}` : d.base,
      students: d.students,
      lines: d.group.rows.map((r) => r.line),
      ...(d.group.repository ? { repository: d.group.repository } : {}),
      ...(d.group.problem ? { problem: d.group.problem } : {}),
    };
  });
  return { format, entries };
}

/** {@link parseRoster} of a file; a missing or unreadable file is a {@link ClassroomUsageError}. */
export function readRoster(file: string, options: Omit<RosterOptions, 'baseDir' | 'name'>): Roster {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ClassroomUsageError(`cannot read the roster ${file}: give the CSV file listing each student's repository (--roster)`);
  }
  return parseRoster(text, { ...options, baseDir: path.dirname(path.resolve(file)), name: file });
}
