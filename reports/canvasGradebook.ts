/**
 * The Canvas gradebook import file: `<out>/canvas-gradebook.csv`, written when at least one
 * result came from a Canvas download (its origin carries the Canvas user id), in the format
 * Canvas's Grades → Import reads (instructure/canvas-lms `lib/gradebook_importer.rb`):
 *
 * ```csv
 * Student,ID,SIS User ID,SIS Login ID,Section,Losses (4521)
 * "    Points Possible",,,,,100
 * doejane,3143,,,,87.5
 * ```
 *
 * - Header: `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`, then one assignment
 *   column. Canvas matches `Title (123)` by assignment id, anything else by exact title (and
 *   offers to create a new assignment when no title matches).
 * - The `Points Possible` row (first cell containing "Points Possible") gives the points of an
 *   assignment Canvas creates from the file; an existing assignment keeps its own points, so
 *   make them equal mlgrade's maximum.
 * - Students are matched on `ID`, the Canvas user id from the download's file names; `Student`
 *   (the download's name token, else the submission id) is only a fallback; SIS ids and Section
 *   are left empty (Canvas ignores Section).
 * - Canvas silently drops a column whose header contains Current/Final/Override + Score, Points,
 *   Grade or Status (e.g. "Final Score"): with an assignment id the title part is reworded (Canvas
 *   matches the id), without one the file is not written and the reporter says why; so too for a
 *   title the formula guard would alter (`=…`, `-…`), since it could no longer match by title.
 * - Results without a Canvas user id, or sharing one with another result (a group?), get no row;
 *   the reporter lists them so their grades can be entered by hand.
 */
import * as path from 'node:path';
import type { SubmissionResult } from '../src/types';
import { writeFileAtomic } from './atomic';
import { bySubmissionId, roundPoints } from './csv';
import { neutraliseFormula, toSafeCsv, type CsvCell } from './csvText';
import type { Reporter, RunInfo, RunResults } from './reporter';
import { listSome } from '../src/grading/submissionFiles';

/** File name of the export in the output folder. */
export const CANVAS_GRADEBOOK_FILE = 'canvas-gradebook.csv';

/**
 * Header text that makes Canvas's importer drop a column: its NON_ASSIGNMENT_COLUMN_HEADERS,
 * matched as case-sensitive substrings ("Unposted Final Score" included).
 */
export const CANVAS_DROPPED_HEADERS = [
  'Current Score',
  'Current Points',
  'Current Grade',
  'Final Score',
  'Final Points',
  'Final Grade',
  'Override Score',
  'Override Grade',
  'Override Status',
] as const;

/** The assignment column's header, or why none can be used. */
export type CanvasColumn =
  | { status: 'ok'; header: string; assignmentId?: string; note?: string }
  | { status: 'refused'; reason: string };

const TITLE_AND_ID = /^(.*)\s\((\d+)\)$/s;

/** "Final Score" → "Final score": Canvas's match is case-sensitive. */
function reword(title: string): string {
  let text = title;
  for (const dropped of CANVAS_DROPPED_HEADERS) {
    const [first, second] = dropped.split(' ');
    text = text.split(dropped).join(`${first} ${second.toLowerCase()}`);
  }
  return text;
}

/**
 * The assignment column of the export (pure). `option` is what the instructor gave: a Canvas
 * assignment id (`4521`), a header `Title (4521)`, or a title; absent, the assignment's title.
 *
 * @example canvasAssignmentColumn('4521', 'Losses') // returns { status: 'ok', header: 'Losses (4521)', assignmentId: '4521' }
 * @example canvasAssignmentColumn(undefined, 'Final Score project').status // returns 'refused'
 */
export function canvasAssignmentColumn(option: string | undefined, title: string): CanvasColumn {
  const given = option?.trim() ?? '';
  let name = given || title.trim();
  let id: string | undefined;
  if (/^\d+$/.test(given)) {
    name = title.trim();
    id = given;
  } else {
    const match = TITLE_AND_ID.exec(given);
    if (match) [name, id] = [match[1].trim(), match[2]];
  }
  if (!name) return { status: 'refused', reason: 'the Canvas assignment column has no title: give the Canvas assignment title or id (--canvas-assignment; the canvasAssignment option)' };
  const dropped = CANVAS_DROPPED_HEADERS.filter((text) => name.includes(text));
  if (dropped.length && !id) {
    return {
      status: 'refused',
      reason:
        `the Canvas assignment column "${name}" contains "${dropped[0]}", and Canvas's import drops such columns without a word; ` +
        `give the Canvas assignment id (--canvas-assignment <id> or "${name} (<id>)", where <id> is the number in the assignment's URL) so it is matched by id`,
    };
  }
  if (!id && neutraliseFormula(name) !== name) {
    return {
      status: 'refused',
      reason:
        `the Canvas assignment title "${name}" would read as a spreadsheet formula, so the file must alter it and Canvas would not find the assignment by title; ` +
        `give the Canvas assignment id (--canvas-assignment <id>, the number in the assignment's URL)`,
    };
  }
  if (dropped.length && id) {
    const reworded = reword(name);
    return { status: 'ok', header: `${reworded} (${id})`, assignmentId: id, note: `the column is titled "${reworded}" rather than "${name}": Canvas drops columns containing "${dropped[0]}" and matches this one by its id ${id}` };
  }
  return { status: 'ok', header: id ? `${name} (${id})` : name, assignmentId: id };
}

/** What the export is for a run: the CSV and what it left out, nothing (no Canvas results), or why not. */
export type CanvasGradebook =
  | { status: 'written'; csv: string; rows: number; warnings: string[] }
  | { status: 'skipped' }
  | { status: 'refused'; reason: string };

const list = (ids: string[]) => listSome(ids, 5);

/**
 * The Canvas gradebook CSV of a run (pure): `skipped` when no result has a Canvas user id.
 *
 * @example canvasGradebook([{ ...result, origin: { lms: 'canvas', userId: '3143', student: 'doejane' } }], run).status // returns 'written'
 */
export function canvasGradebook(results: RunResults, run: Pick<RunInfo, 'assignment'>, options: { assignment?: string } = {}): CanvasGradebook {
  // One pass, keeping of each result only what its row (or the list of left-out ones) needs.
  interface Keyed { submission: string; userId: string; student: string | undefined; score: number; maxScore: number }
  const keyed: Keyed[] = [];
  const unkeyed: string[] = [];
  for (const r of results) {
    const userId = r.origin?.userId?.trim();
    if (userId) keyed.push({ submission: r.submission, userId, student: r.origin?.student, score: r.score, maxScore: r.maxScore });
    else unkeyed.push(r.submission);
  }
  if (!keyed.length) return { status: 'skipped' };
  const column = canvasAssignmentColumn(options.assignment, run.assignment.title || run.assignment.id);
  if (column.status === 'refused') return { status: 'refused', reason: `${CANVAS_GRADEBOOK_FILE} was not written: ${column.reason}` };

  const warnings: string[] = [];
  if (column.note) warnings.push(column.note);
  const byUser = new Map<string, Keyed[]>();
  for (const r of keyed.sort(bySubmissionId)) {
    const own = byUser.get(r.userId);
    if (own) own.push(r);
    else byUser.set(r.userId, [r]);
  }
  const rows: CsvCell[][] = [];
  for (const [userId, own] of byUser) {
    if (own.length > 1) {
      warnings.push(`Canvas user ${userId} has ${own.length} submissions (${list(own.map((r) => r.submission))}): none of them has a row in ${CANVAS_GRADEBOOK_FILE}; enter the right grade in Canvas by hand`);
      continue;
    }
    const [r] = own;
    rows.push([r.student?.trim() || r.submission, userId, '', '', '', roundPoints(r.score)]);
  }
  unkeyed.sort();
  if (unkeyed.length) {
    const s = unkeyed.length === 1 ? '' : 's';
    warnings.push(`${unkeyed.length} submission${s} without a Canvas user id (${list(unkeyed)}) ${unkeyed.length === 1 ? 'has' : 'have'} no row in ${CANVAS_GRADEBOOK_FILE}; enter ${unkeyed.length === 1 ? 'its grade' : 'their grades'} in Canvas by hand, or grade the Canvas download zip itself`);
  }
  const maxima = [...new Set(keyed.map((r) => roundPoints(r.maxScore)))].sort((a, b) => b - a);
  if (maxima.length > 1) warnings.push(`the results have different maximum scores (${maxima.join(', ')}); Points Possible says ${maxima[0]}: regrade them with one grader version`);
  const header = ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', column.header];
  const pointsPossible: CsvCell[] = ['    Points Possible', '', '', '', '', maxima[0]];
  return { status: 'written', csv: toSafeCsv([header, pointsPossible, ...rows]), rows: rows.length, warnings };
}

/**
 * Writes `<out>/canvas-gradebook.csv` at the end of a run when some result came from Canvas;
 * results it had to leave out are returned as warnings (printed, exit code 1), a column Canvas
 * would drop is an error.
 */
export function canvasGradebookReporter(options: { assignment?: string } = {}): Reporter {
  return {
    name: 'Canvas gradebook',
    onRunComplete: (results, run) => {
      const export_ = canvasGradebook(results, run, options);
      if (export_.status === 'refused') throw new Error(export_.reason);
      if (export_.status === 'skipped') return;
      writeFileAtomic(path.join(run.outDir, CANVAS_GRADEBOOK_FILE), export_.csv);
      return { warnings: export_.warnings };
    },
  };
}
