/**
 * Every GitHub Actions workflow mlgrade writes or shows — the course's grade-class.yml
 * (`mlgrade init`), the kit's mlgrade-check.yml (`mlgrade dist`) and the ones under examples/ —
 * parses as YAML into a well-formed workflow, and every `npx mlgrade …` and `node check.mjs …` in
 * its `run:` steps names a real command with real flags: `classroom …` against the CLI's own
 * parser and its `--help`, the other commands against the built CLI's `--help`, `check.mjs` against a built
 * kit's own argument parser. The two-workflow design holds: no secret or token in the student's
 * workflow, none in the course's grading step, which demands the sandbox.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { safeLoad } from 'js-yaml';
import { courseFiles } from '../../src/authoring/templates/course';
import { studentWorkflow } from '../../src/authoring/templates/kit';
import { parseArguments } from '../../src/cli/main';
import { ROOT, runCli, tempDir } from '../support/cli';

/**
 * Flags that another branch is adding to the main CLI; accepted here until that branch is merged
 * (then `--help` lists them and this list can be emptied).
 */

interface Workflow {
  name: string;
  text: string;
}

function workflowFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.ya?ml$/.test(d.name))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

const COURSE = courseFiles({ name: 'ml-101', mlgradeVersion: '0.2.0' })['.github/workflows/grade-class.yml'];
const KIT = studentWorkflow('losses', { python: true });
const WORKFLOWS: Workflow[] = [
  { name: 'mlgrade init: .github/workflows/grade-class.yml', text: COURSE },
  { name: 'mlgrade dist: .github/workflows/mlgrade-check.yml', text: KIT },
  ...workflowFiles(path.join(ROOT, 'examples')).map((file) => ({ name: path.relative(ROOT, file), text: fs.readFileSync(file, 'utf8') })),
];

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; if?: string };
type Job = { 'runs-on': unknown; steps: Step[]; env?: Record<string, string>; strategy?: unknown };
type Parsed = { name?: string; on: unknown; permissions?: unknown; jobs: Record<string, Job> };

function parse(workflow: Workflow): Parsed {
  return safeLoad(workflow.text, { filename: workflow.name }) as Parsed;
}

/** Splits shell text into simple commands (continuations joined; `&&`, `||`, `;`, `|` and new lines separate). */
function commandsOf(run: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  const text = run.replace(/\\\n/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === '\n' || c === ';' || (c === '|' && text[i + 1] !== '|') || ((c === '&' || c === '|') && text[i + 1] === c)) {
      out.push(current);
      current = '';
      if (c !== '\n' && c !== ';' && text[i + 1] === c) i++;
    } else current += c;
  }
  out.push(current);
  return out.map((c) => c.trim()).filter((c) => c && !c.startsWith('#'));
}

/** Shell words of a simple command; `${{ … }}` expressions and `$VAR`s become placeholder words or parts of words. */
function words(command: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (command.startsWith('${{', i)) {
      const end = command.indexOf('}}', i);
      word = (word ?? '') + 'EXPR';
      i = end + 1;
    } else if (c === '"' || c === "'") {
      const end = command.indexOf(c, i + 1);
      word = (word ?? '') + command.slice(i + 1, end).replace(/\$\{\{[^}]*\}\}/g, 'EXPR').replace(/\$\w+/g, 'VAR');
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else if (c === '$' && /\w/.test(command[i + 1] ?? '')) {
      const name = /^\$\w+/.exec(command.slice(i))![0];
      word = (word ?? '') + 'VAR';
      i += name.length - 1;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) out.push(word);
  return out;
}

/** Every `npx mlgrade …` and `node check.mjs …` in a workflow's run steps, as argument lists. */
function invocations(parsed: Parsed): { tool: 'mlgrade' | 'check.mjs'; args: string[]; step: Step }[] {
  const found: { tool: 'mlgrade' | 'check.mjs'; args: string[]; step: Step }[] = [];
  for (const job of Object.values(parsed.jobs)) {
    for (const step of job.steps) {
      if (typeof step.run !== 'string') continue;
      for (const command of commandsOf(step.run)) {
        const w = words(command);
        if (w[0] === 'npx' && w[1] === 'mlgrade') found.push({ tool: 'mlgrade', args: w.slice(2), step });
        else if (w[0] === 'node' && w[1] === 'check.mjs') found.push({ tool: 'check.mjs', args: w.slice(2), step });
        else if (w.includes('mlgrade') || w.some((x) => x.endsWith('check.mjs'))) throw new Error(`unrecognised mlgrade invocation: ${command}`);
      }
    }
  }
  return found;
}

/** Parses `classroom …` arguments with the CLI's own parser (running nothing); the one-line refusal, or undefined. */
async function classroomProblem(args: string[]): Promise<string | undefined> {
  try {
    const invocation = await parseArguments(args);
    return invocation.kind === 'run' && invocation.spec.name === `classroom ${args[1]}` ? undefined : `ran ${invocation.kind}`;
  } catch (error) {
    return (error as Error).message;
  }
}

const helpCache = new Map<string, string>();
/** The built CLI's help for a command ('' for the top level). */
function cliHelp(command: string): string {
  if (!helpCache.has(command)) {
    const run = runCli([...(command ? command.split(' ') : []), '--help']);
    helpCache.set(command, run.status === 0 ? run.stdout : '');
  }
  return helpCache.get(command)!;
}

/** The flags a `--help` text lists (`--foo`), with the `--no-` forms of booleans implied. */
const listedFlags = (help: string) => new Set([...help.matchAll(/^\s+(--[a-z0-9][a-z0-9-]*)/gm)].map((m) => m[1]));

/** The flags of an argument list, `--no-x` read as `--x` and `--x=v` as `--x`. */
const usedFlags = (args: string[]) => args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0].replace(/^--no-/, '--'));

describe.each(WORKFLOWS)('$name', (workflow) => {
  test('parses as a workflow: triggers, jobs with a runner and steps that each use an action or run a command', () => {
    const parsed = parse(workflow);
    expect(parsed.on).toBeDefined();
    expect(Object.keys(parsed.jobs).length).toBeGreaterThan(0);
    for (const job of Object.values(parsed.jobs)) {
      expect(job['runs-on']).toBeDefined();
      expect(Array.isArray(job.steps) && job.steps.length > 0).toBe(true);
      for (const step of job.steps) expect(typeof step.uses === 'string' !== (typeof step.run === 'string')).toBe(true);
    }
  });

  test('every mlgrade command names a real command with real flags', async () => {
    const parsed = parse(workflow);
    for (const { tool, args } of invocations(parsed)) {
      if (tool !== 'mlgrade') continue;
      const command = args[0];
      if (command === 'classroom') {
        expect({ args, problem: await classroomProblem(args) }).toEqual({ args, problem: undefined });
        const listed = listedFlags(cliHelp(`classroom ${args[1]}`));
        expect(usedFlags(args).filter((f) => !listed.has(f))).toEqual([]);
        continue;
      }
      expect(cliHelp('')).toMatch(new RegExp(`^\\s+mlgrade ${command}\\b`, 'm'));
      const listed = listedFlags(cliHelp(command));
      const unknown = usedFlags(args).filter((f) => !listed.has(f));
      expect({ command, unknown }).toEqual({ command, unknown: [] });
    }
  });
});

describe('node check.mjs in workflows', () => {
  let kit: string;
  beforeAll(() => {
    kit = path.join(tempDir('mlgrade-kit-flags-'), 'kit');
    expect(runCli(['dist', 'losses', '--out', kit]).status).toBe(0);
  });

  const checkRun = (args: string[]) => spawnSync(process.execPath, [path.join(kit, 'check.mjs'), ...args], { cwd: kit, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

  test("the kit's own argument parser accepts the flags each workflow passes", () => {
    const used = WORKFLOWS.flatMap((w) => invocations(parse(w)).filter((i) => i.tool === 'check.mjs'));
    expect(used.length).toBeGreaterThan(0);
    for (const { args } of used) {
      const run = checkRun([...args, '--help']);
      expect({ args, status: run.status, stderr: run.stderr }).toEqual({ args, status: 0, stderr: '' });
    }
    // The check can fail: an unknown flag is refused.
    expect(checkRun(['--github-sumary', '--help']).status).toBe(2);
  });

  test('the kit written by mlgrade dist carries exactly the template workflow', () => {
    expect(fs.readFileSync(path.join(kit, '.github', 'workflows', 'mlgrade-check.yml'), 'utf8')).toBe(KIT);
  });
});

describe('the two-workflow design', () => {
  test("the student's workflow uses no secret or token and only reads the repository", () => {
    const parsed = parse({ name: 'kit', text: KIT });
    expect(KIT).not.toMatch(/secrets\.|GH_TOKEN|GITHUB_TOKEN|MLGRADE_BUNDLE_KEY|github\.token/);
    expect(parsed.permissions).toEqual({ contents: 'read' });
    expect(invocations(parsed).map((i) => [i.tool, ...i.args])).toEqual([['check.mjs', '--github-summary']]);
  });

  test("the course's workflow runs on its own schedule and by hand, never on a student's event", () => {
    const parsed = parse({ name: 'course', text: COURSE });
    expect(Object.keys(parsed.on as object).sort()).toEqual(['schedule', 'workflow_dispatch']);
  });

  test('the grading step has no token and demands the sandbox; only fetch and post get the app token', () => {
    const parsed = parse({ name: 'course', text: COURSE });
    const job = Object.values(parsed.jobs)[0];
    expect(JSON.stringify(job.env ?? {})).not.toMatch(/token|secret/i);
    const calls = invocations(parsed);
    const grade = calls.find((c) => c.args[0] === 'grade')!;
    expect(grade.args).toContain('--require-isolation');
    expect(grade.step.env).toBeUndefined();
    const withToken = job.steps.filter((s) => JSON.stringify(s.env ?? {}).includes('token')).map((s) => words(s.run ?? '').slice(2, 4).join(' '));
    expect(withToken).toEqual(['classroom fetch', 'classroom post']);
    for (const step of job.steps.filter((s) => s.env?.GH_TOKEN)) expect(step.env!.GH_TOKEN).toMatch(/^\$\{\{ steps\.[a-z-]+\.outputs\.token \}\}$/);
    expect(COURSE).toContain('sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0');
  });

  test('the examples show the workflows mlgrade writes, word for word', () => {
    const example = (p: string) => fs.readFileSync(path.join(ROOT, 'examples', 'github-classroom', p), 'utf8');
    expect(example('course-repository/.github/workflows/grade-class.yml')).toBe(COURSE);
    expect(example('student-repository/.github/workflows/mlgrade-check.yml')).toBe(KIT);
  });
});

describe('the command extraction used above', () => {
  test('splits chains and pipes, joins continuations, keeps quoted and ${{ }} words whole', () => {
    expect(commandsOf('a && b | c\nd \\\n  e; f || g')).toEqual(['a', 'b', 'c', 'd    e', 'f', 'g']);
    expect(words('npx mlgrade grade "$ASSIGNMENT" subs --out out/shard-${{ matrix.shard }} --shard ${{ matrix.shard }}/4')).toEqual([
      'npx', 'mlgrade', 'grade', 'VAR', 'subs', '--out', 'out/shard-EXPR', '--shard', 'EXPR/4',
    ]);
  });

  test('a flag the CLI does not have is caught', async () => {
    expect(await classroomProblem(['classroom', 'fetch', '--roster', 'r', '--out', 'o', '--include-pr'])).toMatch(
      /unknown option --include-pr for classroom fetch \(did you mean --include-prs\?\)/,
    );
    expect(await classroomProblem(['classroom', 'post', 'g'])).toMatch(/missing --manifest for classroom post/);
    expect(await classroomProblem(['classroom', 'fetch', '--roster', 'r', '--out', 'o', '--include-prs', '--since', '3h'])).toBeUndefined();
    expect(usedFlags(['--no-html', '--out=x'])).toEqual(['--html', '--out']);
    expect(listedFlags(cliHelp('grade')).has('--html')).toBe(true);
  });
});
