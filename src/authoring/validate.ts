/**
 * `mlgrade validate <assignment>`: self-validation of a grading suite. Grades the reference
 * solution (must score 100%), then automatic mutants of it (see ./mutants), all in one batch, and
 * reports which mutants the suite caught and by which tests.
 *
 * Must run from plain node (it starts jest through gradeSubmissions), never inside a jest test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment } from '../assignments/spec';
import { gradeSubmissions } from '../grading/grade';
import type { SubmissionRef } from '../grading/discover';
import { distDir } from '../paths';
import type { SubmissionResult } from '../types';
import { mutantSource, mutantsFor } from './mutants';

export interface MutantOutcome {
  name: string;
  description: string;
  /** The suite gave the mutant less than the maximum score. */
  caught: boolean;
  /** Ids of the tests that did not pass. */
  failedTests: string[];
}

export interface ValidationReport {
  assignment: string;
  reference: { score: number; maxScore: number; passed: boolean; failedTests: string[] } | null;
  mutants: MutantOutcome[];
  /** Why something was not checked (no known reference, no mutants defined…). */
  notes: string[];
  /** Reference scored 100% and every mutant was caught. */
  ok: boolean;
}

/** Name of the export map in reference/index.ts holding an assignment's reference, by grader. */
const REFERENCE_MAPS: Record<string, string> = { losses: 'LOSSES_REFERENCE', training: 'TRAINING_REFERENCE' };

/** Copies the compiled reference (`dist/reference/**.js`) into `dest`. */
function copyCompiledReference(dest: string): void {
  const from = path.join(distDir(), 'reference');
  if (!fs.existsSync(path.join(from, 'index.js'))) throw new Error(`The reference is not built (${from}/index.js is missing): run \`npm run build\` in mlgrade's folder.`);
  const walk = (rel: string): void => {
    for (const dirent of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
      const r = path.join(rel, dirent.name);
      if (dirent.isDirectory()) {
        fs.mkdirSync(path.join(dest, r), { recursive: true });
        walk(r);
      } else if (dirent.isFile() && dirent.name.endsWith('.js')) {
        fs.copyFileSync(path.join(from, r), path.join(dest, r));
      }
    }
  };
  fs.mkdirSync(dest, { recursive: true });
  walk('');
}

const failedIds = (result: SubmissionResult): string[] => result.tests.filter((t) => t.status !== 'passed').map((t) => t.id);

/** Validates an assignment's grading suite against its reference and automatic mutants. */
export async function validateAssignment(nameOrDir: string, options: { jobs?: number } = {}): Promise<ValidationReport> {
  // jest forks workers with process.execArgv: under `node -e/-p` each worker would re-run the
  // eval'd script and grade again, recursively (a fork bomb). Refuse instead.
  if (process.execArgv.some((a) => a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a.startsWith('--eval=') || a.startsWith('--print='))) {
    throw new Error('validateAssignment cannot run under `node -e`/`node -p` (jest workers would re-run the script): call it from a script file or the CLI.');
  }
  const assignment = loadAssignment(nameOrDir);
  const notes: string[] = [];
  const mapName = REFERENCE_MAPS[assignment.grader];
  if (!mapName) {
    notes.push(`no reference known for ${assignment.id}: nothing to validate`, `no mutants defined for ${assignment.id}`);
    return { assignment: assignment.id, reference: null, mutants: [], notes, ok: false };
  }
  const mutants = mutantsFor(assignment.grader);
  if (!mutants.length) notes.push(`no mutants defined for ${assignment.id}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-validate-'));
  try {
    const refs: SubmissionRef[] = [];
    const refDir = path.join(root, 'reference');
    copyCompiledReference(refDir);
    fs.writeFileSync(path.join(refDir, `${assignment.entry}.js`), `'use strict';\nmodule.exports = require('./index.js').${mapName};\n`);
    refs.push({ id: 'reference', dir: refDir });
    for (const mutant of mutants) {
      const dir = path.join(root, `mutant-${mutant.name}`);
      copyCompiledReference(dir);
      fs.writeFileSync(path.join(dir, `${assignment.entry}.js`), mutantSource(assignment.grader, mutant));
      refs.push({ id: `mutant-${mutant.name}`, dir });
    }
    const results = await gradeSubmissions(assignment, refs, { scope: 'all', jobs: options.jobs });
    const [refResult, ...mutantResults] = results;
    const reference = { score: refResult.score, maxScore: refResult.maxScore, passed: refResult.maxScore > 0 && refResult.score === refResult.maxScore, failedTests: failedIds(refResult) };
    if (refResult.load.status === 'failed') notes.push(`the reference did not load: ${refResult.load.message}`);
    const outcomes = mutants.map((mutant, i): MutantOutcome => {
      const r = mutantResults[i];
      return { name: mutant.name, description: mutant.description, caught: r.score < r.maxScore, failedTests: failedIds(r) };
    });
    return { assignment: assignment.id, reference, mutants: outcomes, notes, ok: reference.passed && outcomes.every((m) => m.caught) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** A terminal report of a validation. */
export function formatValidationReport(report: ValidationReport): string {
  const lines: string[] = [`Validation of "${report.assignment}"`];
  if (report.reference) {
    const r = report.reference;
    lines.push(`  reference solution: ${r.score}/${r.maxScore} ${r.passed ? 'PASS' : 'FAIL (must score 100%)'}`);
    if (!r.passed && r.failedTests.length) lines.push(`    failing: ${r.failedTests.join(', ')}`);
  }
  if (report.mutants.length) {
    const caught = report.mutants.filter((m) => m.caught).length;
    lines.push(`  mutants caught: ${caught}/${report.mutants.length}`);
    for (const m of report.mutants) {
      lines.push(`    ${m.caught ? 'caught ' : 'MISSED '} ${m.name} — ${m.description}`);
      if (m.caught) {
        const shown = m.failedTests.slice(0, 4).join(', ');
        lines.push(`             by ${shown}${m.failedTests.length > 4 ? ` (+${m.failedTests.length - 4} more)` : ''}`);
      }
    }
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  lines.push(report.ok ? 'OK: the suite accepts the reference and rejects every mutant.' : 'NOT OK: see above.');
  return lines.join('\n');
}
