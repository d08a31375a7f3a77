/**
 * A stand-in for a GitHub server in tests: a folder of bare repositories `<root>/<owner>/<name>.git`
 * reached as `file://<root>` (what `GITHUB_SERVER_URL` points to), filled from working copies with
 * real git. A pull request is a `refs/pull/<N>/head` ref, as GitHub advertises them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Student',
  GIT_AUTHOR_EMAIL: 'student@example.invalid',
  GIT_COMMITTER_NAME: 'Student',
  GIT_COMMITTER_EMAIL: 'student@example.invalid',
};

export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...IDENTITY, ...env } });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${run.stderr}`);
  return run.stdout.trim();
}

/** A file's content, or a symbolic link to `link`. */
export type FileSpec = string | { link: string };

function writeFiles(dir: string, files: Record<string, FileSpec>): void {
  for (const [name, spec] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (typeof spec === 'string') fs.writeFileSync(file, spec);
    else fs.symlinkSync(spec.link, file);
  }
}

export class GitServer {
  /** `file://<root>`: the value of GITHUB_SERVER_URL. */
  readonly url: string;

  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
    this.url = `file://${root}`;
  }

  private work(owner: string, name: string): string {
    return path.join(this.root, '.work', owner, name);
  }

  bare(owner: string, name: string): string {
    return path.join(this.root, owner, `${name}.git`);
  }

  /** A repository with one commit of `files` on `main`; returns the commit's hash. */
  create(owner: string, name: string, files: Record<string, FileSpec>, options: { date?: string } = {}): string {
    const work = this.work(owner, name);
    fs.mkdirSync(work, { recursive: true });
    git(work, ['init', '-q', '-b', 'main']);
    writeFiles(work, files);
    git(work, ['add', '-A']);
    git(work, ['commit', '-qm', 'start'], options.date ? { GIT_COMMITTER_DATE: options.date, GIT_AUTHOR_DATE: options.date } : {});
    fs.mkdirSync(path.dirname(this.bare(owner, name)), { recursive: true });
    git(this.root, ['clone', '-q', '--bare', work, this.bare(owner, name)]);
    return git(work, ['rev-parse', 'HEAD']);
  }

  /** A commit on `main` replacing the files (pushed); returns its hash. */
  push(owner: string, name: string, files: Record<string, FileSpec>): string {
    const work = this.work(owner, name);
    git(work, ['checkout', '-q', 'main']);
    for (const entry of fs.readdirSync(work)) if (entry !== '.git') fs.rmSync(path.join(work, entry), { recursive: true });
    writeFiles(work, files);
    git(work, ['add', '-A']);
    git(work, ['commit', '-qm', 'more work']);
    git(work, ['push', '-q', this.bare(owner, name), 'main:main']);
    return git(work, ['rev-parse', 'HEAD']);
  }

  /** Pull request `number`: a branch with `files` instead, pushed as `refs/pull/<number>/head`; returns its head. */
  pullRequest(owner: string, name: string, number: number, files: Record<string, FileSpec>): string {
    const work = this.work(owner, name);
    git(work, ['checkout', '-q', '-B', `pr-${number}`, 'main']);
    for (const entry of fs.readdirSync(work)) if (entry !== '.git') fs.rmSync(path.join(work, entry), { recursive: true });
    writeFiles(work, files);
    git(work, ['add', '-A']);
    git(work, ['commit', '-q', '--allow-empty', '-m', `pull request ${number}`]);
    git(work, ["push", "-q", this.bare(owner, name), `+HEAD:refs/pull/${number}/head`]);
    const head = git(work, ['rev-parse', 'HEAD']);
    git(work, ['checkout', '-q', 'main']);
    return head;
  }
}

/** Every file under `dir` (relative, `/`-separated), sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const next = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(next);
      else out.push(next);
    }
  };
  walk('');
  return out.sort();
}

/** Whether `needle` occurs in any file under `dir` (binary-safe). */
export function occursUnder(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (p: string) => {
    const stat = fs.lstatSync(p);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    else if (stat.isFile() && fs.readFileSync(p).includes(needle)) hits.push(p);
  };
  walk(dir);
  return hits;
}
