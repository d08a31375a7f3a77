/**
 * `node check.mjs` — the checker of a student kit (bundled into one file by scripts/build-kit.mjs).
 * It needs Node ≥ 20 and nothing else: no npm install, no network. It runs the assignment's public
 * checks on the student's folder in mlgrade's sandbox and prints the same report, messages and
 * diagnoses as `mlgrade check`.
 *
 *   node check.mjs [folder] [--watch] [--report report.html] [--github-summary]
 *
 * Exit codes: 0 every public check passed; 1 one failed (or the code did not load); 2 bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { namespaceTool } from '../sandbox/isolation';
import { formatCheck } from '../../reports/checkReport';
import { palette } from '../../reports/console';
import { appendGithubSummary } from '../../reports/githubSummary';
import { renderSubmissionReport } from '../../reports/html';
import { watchFolder } from '../watchFolder';
import { readKitSpec, KitSpecError, type KitSpec } from './spec';
import { selfCheck } from './selfCheck';
import { entryFileWords, entryOf } from '../grading/entryFile';
import { pythonAvailability, type PythonAvailability } from '../sandbox/python/policy';

/** The kit's folder: `check.mjs` sits in it, and the bundle's `__dirname` is its `.mlgrade/`. */
const KIT_DIR = path.dirname(__dirname);

const USAGE = `Usage: node check.mjs [folder] [--watch] [--report <file.html>] [--github-summary]

Runs the public checks of this assignment on your code (default folder: the kit's folder).
  --watch            check again every time you save a file
  --report <file>    also write the HTML feedback page to <file>
  --github-summary   also append the report to $GITHUB_STEP_SUMMARY (GitHub Actions)
Exit codes: 0 every public check passed; 1 a check failed or your code did not load; 2 bad usage.`;

class UsageError extends Error {}

function parse(argv: string[]): { dir: string; watch: boolean; report?: string; githubSummary: boolean; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { watch: { type: 'boolean' }, report: { type: 'string' }, 'github-summary': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (see node check.mjs --help)`);
  }
  if (parsed.positionals.length > 1) throw new UsageError(`one folder at most, got ${parsed.positionals.length} (see node check.mjs --help)`);
  return {
    dir: path.resolve(parsed.positionals[0] ?? KIT_DIR),
    watch: parsed.values.watch === true,
    report: parsed.values.report,
    githubSummary: parsed.values['github-summary'] === true,
    help: parsed.values.help === true,
  };
}

/** The kit's bundled allowed modules (`.mlgrade/modules/<name>.js`). */
function kitModules(kit: KitSpec): { entries: Record<string, string>; readDirs: string[] } {
  const dir = path.join(__dirname, 'modules');
  const entries = Object.fromEntries(kit.allowedModules.map((name) => [name, path.join(dir, `${name}.js`)]));
  return { entries, readDirs: kit.allowedModules.length ? [dir] : [] };
}

let python: PythonAvailability | undefined;

/**
 * How Python runs for this student: in mlgrade's sandbox where this machine has it (Linux with
 * bubblewrap), else without it — the student's own code on the student's own machine; the report
 * says so. Decided once per process.
 */
function pythonHere(kit: KitSpec): PythonAvailability {
  python ??= pythonAvailability({ allowedModules: kit.assignment.python?.allowedModules ?? [], unsandboxed: 'kit' });
  return python;
}

async function checkOnce(kit: KitSpec, dir: string, options: { report?: string; githubSummary: boolean }): Promise<number> {
  const result = await selfCheck({ kit, dir, resolved: { namespace: namespaceTool(), modules: kitModules(kit) }, python: () => pythonHere(kit) });
  const out = process.stdout;
  out.write(formatCheck(result, palette(out), entryOf(kit.assignment)) + '\n');
  if (result.isolation?.unsandboxed) {
    out.write(
      'Note: your Python code ran without mlgrade\'s sandbox (this machine has no bubblewrap): it is your own code on your own ' +
        'machine, so that is safe; when your work is graded it runs in the sandbox, with the same limits.\n',
    );
  }
  if (kit.notInKit.length) {
    out.write(`Not run by this kit (your instructor's grading runs them): ${kit.notInKit.map((m) => `${m.function} › ${m.name}`).join('; ')}\n`);
  }
  if (options.report) {
    fs.writeFileSync(path.resolve(options.report), renderSubmissionReport(result, 'student'));
    out.write(`Report: ${options.report}\n`);
  }
  if (options.githubSummary) appendGithubSummary([result], { assignment: { id: kit.assignment.id, title: kit.assignment.title } });
  return result.load.status === 'loaded' && result.tests.every((t) => t.status === 'passed') ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  let args;
  let kit: KitSpec;
  try {
    args = parse(argv);
    if (args.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    kit = readKitSpec(path.join(__dirname, 'checks.json'));
    if (!fs.existsSync(args.dir) || !fs.statSync(args.dir).isDirectory()) throw new UsageError(`no folder ${args.dir}: give the folder that holds your ${entryFileWords(entryOf(kit.assignment))}`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof KitSpecError) {
      process.stderr.write(`check: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const code = await checkOnce(kit, args.dir, args);
  if (!args.watch) return code;
  const { dir } = args;
  const say = (error: unknown) => process.stderr.write(`check: ${error instanceof Error ? error.message : String(error)}\n`);
  try {
    return await watchFolder(dir, () => checkOnce(kit, dir, args), (line) => process.stdout.write(line), say);
  } catch (error) {
    // The folder went away, or the system has no watches left: the watch cannot go on.
    process.stderr.write(`check: stopped watching ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`check: an internal error stopped the checker (not your fault; please tell your instructor): ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
