/**
 * `mlgrade validate <assignment>`: proves an assignment's grading suite from the assignment itself.
 * It grades, in one batch:
 *  - the reference solution (assignment.json "reference"): must score 100 %;
 *  - the author's examples (`examples/<name>/`): `correct…` ones must score 100 %, every other
 *    (named after its fault) must lose points;
 *  - the author's mutants (`mutants.ts`, see mlgrade/suite's Mutant): each must lose points;
 *  - automatic mutants of every exported function (./mutants): each must lose points, unless its
 *    mistake never changed a value the suite looked at ("not exercised", reported, not a failure);
 *    for an assignment that accepts Python, the same mutants of a correct Python example
 *    (`examples/correct…/<entry>.py`) too.
 *
 * Must run from plain node (it starts jest through gradeSubmissions), never inside a jest test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment, type ResolvedAssignment } from '../assignments/spec';
import { gradeSubmissions } from '../grading/grade';
import type { SubmissionRef } from '../grading/discover';
import type { SubmissionResult } from '../types';
import { entryOf, pickEntryFile } from '../grading/entryFile';
import { bundleModule } from './bundleModule';
import {
  AUTOMATIC_MUTATIONS,
  EXERCISED_MARKER,
  PYTHON_REFERENCE_MODULE,
  authorMutantSource,
  automaticMutantSource,
  automaticPythonMutantSource,
  type AutomaticMutation,
} from './mutants';

/** How one graded candidate (mutant or example) came out. */
export interface CandidateOutcome {
  /** Submission id in the batch, e.g. `auto-mseGrad-times-n`, `mutant-threshold-strict`, `example-correct`. */
  id: string;
  kind: 'automatic' | 'author' | 'example';
  name: string;
  description: string;
  /** What was expected: full marks (a correct example) or fewer (anything else). */
  expect: 'full-marks' | 'caught';
  score: number;
  maxScore: number;
  status: 'ok' | 'missed' | 'not-exercised' | 'wrongly-failed';
  /** Ids of the tests that did not pass. */
  failedTests: string[];
}

/**
 * What `validateAssignment` found: how the reference scored, how every example and mutant came out,
 * and whether the suite passes (`ok`). `formatValidationReport` turns it into the CLI's text.
 */
export interface ValidationReport {
  assignment: string;
  /** The reference's grade, or null when it could not be graded (`notes` says why). */
  reference: { score: number; maxScore: number; passed: boolean; failedTests: string[]; loadProblem?: string } | null;
  candidates: CandidateOutcome[];
  /** Why something could not be checked, and other facts worth reading. */
  notes: string[];
  /** The reference scored 100 %, correct examples too, and every mutant and fault example was caught. */
  ok: boolean;
}

/** Thrown for an assignment that cannot be validated at all (no reference…); the message says how to fix it. */
export class ValidationSetupError extends Error {
  override readonly name = 'ValidationSetupError';
}

const failedIds = (result: SubmissionResult): string[] => result.tests.filter((t) => t.status !== 'passed').map((t) => t.id);
const fullMarks = (result: SubmissionResult): boolean => result.load.status === 'loaded' && result.maxScore > 0 && result.score === result.maxScore;

/** The assignment's mutants module: assignment.json's "mutants", else `mutants.ts` (or .js) beside it. */
function mutantsModule(assignment: ResolvedAssignment): string | undefined {
  for (const name of ['mutants.ts', 'mutants.mts', 'mutants.js', 'mutants.mjs']) {
    const file = path.join(assignment.dir, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/** Names and descriptions of the author's mutants (loaded from their bundle in this process: instructor code). */
function authorMutants(bundle: string): { name: string; description: string }[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(bundle) as { default?: unknown };
  const list = (loaded.default ?? loaded) as unknown;
  if (!Array.isArray(list)) throw new ValidationSetupError(`the mutants module must export an array of mutants (\`export default defineMutants([…])\`)`);
  const seen = new Set<string>();
  return list.map((m: { name?: unknown; description?: unknown; mutate?: unknown }, i) => {
    if (typeof m?.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(m.name)) throw new ValidationSetupError(`mutant #${i + 1} needs a name of letters, digits and dashes`);
    if (typeof m.mutate !== 'function') throw new ValidationSetupError(`mutant "${m.name}" has no mutate(reference) function`);
    if (seen.has(m.name)) throw new ValidationSetupError(`two mutants are named "${m.name}"`);
    seen.add(m.name);
    return { name: m.name, description: typeof m.description === 'string' ? m.description : '' };
  });
}

/** The example folders of the assignment (`examples/<name>/`), sorted. */
function exampleFolders(assignment: ResolvedAssignment): string[] {
  const dir = path.join(assignment.dir, 'examples');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

interface Candidate {
  ref: SubmissionRef;
  kind: CandidateOutcome['kind'];
  name: string;
  description: string;
  expect: CandidateOutcome['expect'];
}

/** Writes a mutant folder: the reference bundle, optionally the mutants bundle, and the entry file. */
function mutantFolder(root: string, id: string, entry: string, source: string, bundles: { reference: string; mutants?: string }): string {
  const dir = path.join(root, id);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(bundles.reference, path.join(dir, 'reference.js'));
  if (bundles.mutants) fs.copyFileSync(bundles.mutants, path.join(dir, 'mutants.js'));
  fs.writeFileSync(path.join(dir, `${entry}.js`), source);
  return dir;
}

function outcomeOf(candidate: Candidate, result: SubmissionResult): CandidateOutcome {
  const full = fullMarks(result);
  let status: CandidateOutcome['status'];
  if (candidate.expect === 'full-marks') status = full ? 'ok' : 'wrongly-failed';
  else if (!full) status = 'ok';
  else status = candidate.kind === 'automatic' && !(result.output?.text ?? '').includes(EXERCISED_MARKER) ? 'not-exercised' : 'missed';
  return {
    id: candidate.ref.id,
    kind: candidate.kind,
    name: candidate.name,
    description: candidate.description,
    expect: candidate.expect,
    score: result.score,
    maxScore: result.maxScore,
    status,
    failedTests: failedIds(result),
  };
}

/**
 * The correct Python example automatic Python mutants wrap: the first `examples/correct…/` folder
 * whose entry is a Python module (e.g. `examples/correct-python/losses.py`), or undefined.
 */
function correctPythonExample(assignment: ResolvedAssignment): { dir: string; entryName: string } | undefined {
  if (!assignment.python) return undefined;
  for (const example of exampleFolders(assignment).filter((name) => /^correct/.test(name))) {
    const dir = path.join(assignment.dir, 'examples', example);
    const match = pickEntryFile(fs.readdirSync(dir), entryOf(assignment), { loneNotebook: false });
    if (match?.language === 'python' && match.name.endsWith('.py')) return { dir, entryName: match.name };
  }
  return undefined;
}

/** Writes a Python mutant folder: the example's files with its entry renamed to the reference module, and the mutant entry. */
function pythonMutantFolder(root: string, id: string, entry: string, example: { dir: string; entryName: string }, source: string): string {
  const dir = path.join(root, id);
  fs.cpSync(example.dir, dir, { recursive: true, filter: (from) => !/(^|[\\/])(__pycache__|FAULT\.md)$/.test(from) });
  fs.renameSync(path.join(dir, example.entryName), path.join(dir, `${PYTHON_REFERENCE_MODULE}.py`));
  fs.writeFileSync(path.join(dir, `${entry}.py`), source);
  return dir;
}

/** What validate may be told besides the assignment. */
export interface ValidateOptions {
  jobs?: number;
  /** Grade the Python examples and mutants without the sandbox where there is none (see GradeOptions). */
  allowUnsandboxedPython?: boolean;
  /** A line about Python's sandbox when it is missing here. */
  onNotice?: (line: string) => void;
}

/** Validates an assignment's grading suite against its reference, examples and mutants. */
export async function validateAssignment(nameOrDir: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  // jest forks workers with process.execArgv: under `node -e/-p` each worker would re-run the
  // eval'd script and grade again, recursively (a fork bomb). Refuse instead.
  if (process.execArgv.some((a) => a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a.startsWith('--eval=') || a.startsWith('--print='))) {
    throw new Error('validateAssignment cannot run under `node -e`/`node -p` (jest workers would re-run the script): call it from a script file or the CLI.');
  }
  const assignment = loadAssignment(nameOrDir);
  if (!assignment.referenceModule) {
    throw new ValidationSetupError(
      `${assignment.specFile}: no reference solution to validate against: add "reference": "<path to a module exporting ${assignment.exports.join(', ')}>" (or create reference/${assignment.entry}.ts in the course folder)`,
    );
  }
  const notes: string[] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-validate-'));
  try {
    const bundles = { reference: path.join(root, 'bundles', 'reference.js'), mutants: undefined as string | undefined };
    await bundleModule(assignment.referenceModule, bundles.reference, { external: assignment.allowedModules });
    const mutantsFile = mutantsModule(assignment);
    let authored: { name: string; description: string }[] = [];
    if (mutantsFile) {
      bundles.mutants = path.join(root, 'bundles', 'mutants.js');
      await bundleModule(mutantsFile, bundles.mutants, { external: assignment.allowedModules });
      authored = authorMutants(bundles.mutants);
    } else {
      notes.push(`no mutants.ts in ${assignment.dir}: only automatic mutants were graded (add the mistakes your handout warns about)`);
    }

    const submissions = path.join(root, 'submissions');
    const referenceDir = path.join(submissions, 'reference');
    fs.mkdirSync(referenceDir, { recursive: true });
    fs.copyFileSync(bundles.reference, path.join(referenceDir, `${assignment.entry}.js`));
    const candidates: Candidate[] = [];
    for (const example of exampleFolders(assignment)) {
      const correct = /^correct/.test(example);
      candidates.push({
        ref: { id: `example-${example}`, dir: path.join(assignment.dir, 'examples', example) },
        kind: 'example',
        name: example,
        description: correct ? 'a correct example: must score full marks' : 'a fault example: must lose points',
        expect: correct ? 'full-marks' : 'caught',
      });
    }
    for (const mutant of authored) {
      const id = `mutant-${mutant.name}`;
      const dir = mutantFolder(submissions, id, assignment.entry, authorMutantSource(mutant.name), bundles);
      candidates.push({ ref: { id, dir }, kind: 'author', name: mutant.name, description: mutant.description, expect: 'caught' });
    }
    for (const fn of assignment.exports) {
      for (const mutation of Object.keys(AUTOMATIC_MUTATIONS) as AutomaticMutation[]) {
        const id = `auto-${fn}-${mutation}`;
        const dir = mutantFolder(submissions, id, assignment.entry, automaticMutantSource(fn, mutation), { reference: bundles.reference });
        candidates.push({ ref: { id, dir }, kind: 'automatic', name: `${fn}: ${mutation}`, description: AUTOMATIC_MUTATIONS[mutation], expect: 'caught' });
      }
    }
    // Python: the same automatic mutants, wrapped around a correct Python example.
    const pythonExample = correctPythonExample(assignment);
    if (pythonExample && assignment.python) {
      for (const fn of assignment.exports) {
        for (const mutation of Object.keys(AUTOMATIC_MUTATIONS) as AutomaticMutation[]) {
          const id = `auto-python-${fn}-${mutation}`;
          const source = automaticPythonMutantSource(fn, assignment.python.names[fn] ?? fn, mutation);
          const dir = pythonMutantFolder(submissions, id, assignment.entry, pythonExample, source);
          candidates.push({ ref: { id, dir }, kind: 'automatic', name: `${fn} (Python): ${mutation}`, description: AUTOMATIC_MUTATIONS[mutation], expect: 'caught' });
        }
      }
    } else if (assignment.python) {
      notes.push(`no correct Python example (examples/correct-python/${assignment.entry}.py): automatic mutants were graded in JavaScript only`);
    }
    const results = await gradeSubmissions(assignment, [{ id: 'reference', dir: referenceDir }, ...candidates.map((c) => c.ref)], {
      scope: 'all',
      jobs: options.jobs,
      allowUnsandboxedPython: options.allowUnsandboxedPython,
      onNotice: options.onNotice,
    });
    const [refResult, ...candidateResults] = results;
    const reference = {
      score: refResult.score,
      maxScore: refResult.maxScore,
      passed: fullMarks(refResult),
      failedTests: failedIds(refResult),
      ...(refResult.load.status === 'failed' ? { loadProblem: refResult.load.message } : {}),
    };
    const outcomes = candidates.map((candidate, i) => outcomeOf(candidate, candidateResults[i]));
    const ok = reference.passed && outcomes.every((o) => o.status === 'ok' || o.status === 'not-exercised');
    return { assignment: assignment.id, reference, candidates: outcomes, notes, ok };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const STATUS_WORDS: Record<CandidateOutcome['status'], string> = { ok: 'ok     ', missed: 'MISSED ', 'not-exercised': 'unused ', 'wrongly-failed': 'FAILED ' };

/** What to add after a candidate's description: which tests caught it, or its score when that is the problem. */
function candidateDetail(c: CandidateOutcome): string {
  if (c.status === 'wrongly-failed') return ` (${c.score}/${c.maxScore}, failing ${c.failedTests.join(', ')})`;
  if (c.status !== 'ok') return ` (${c.score}/${c.maxScore})`;
  if (c.expect === 'full-marks') return '';
  const more = c.failedTests.length > 3 ? ` (+${c.failedTests.length - 3} more)` : '';
  return ` (caught by ${c.failedTests.slice(0, 3).join(', ')}${more})`;
}

/** A terminal report of a validation. */
export function formatValidationReport(report: ValidationReport): string {
  const lines: string[] = [`Validation of "${report.assignment}"`];
  if (report.reference) {
    const r = report.reference;
    lines.push(`  reference solution: ${r.score}/${r.maxScore} ${r.passed ? 'PASS' : 'FAIL (must score 100%)'}`);
    if (r.loadProblem) lines.push(`    could not load: ${r.loadProblem}`);
    if (!r.passed && r.failedTests.length) lines.push(`    failing: ${r.failedTests.join(', ')}`);
  }
  const groups: [CandidateOutcome['kind'], string][] = [
    ['example', 'examples'],
    ['author', 'mutants from mutants.ts'],
    ['automatic', 'automatic mutants'],
  ];
  for (const [kind, title] of groups) {
    const group = report.candidates.filter((c) => c.kind === kind);
    if (!group.length) continue;
    const good = group.filter((c) => c.status === 'ok').length;
    const unused = group.filter((c) => c.status === 'not-exercised').length;
    lines.push(`  ${title}: ${good}/${group.length} as expected${unused ? ` (${unused} not exercised by any check)` : ''}`);
    for (const c of group) {
      if (kind === 'automatic' && c.status === 'ok') continue;
      lines.push(`    ${STATUS_WORDS[c.status]} ${c.name} — ${c.description}${candidateDetail(c)}`);
    }
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  lines.push(report.ok ? 'OK: the suite accepts the reference and the correct examples, and catches every mutant and fault example.' : 'NOT OK: see above.');
  return lines.join('\n');
}
