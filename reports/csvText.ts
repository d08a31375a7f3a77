/**
 * CSV text that no spreadsheet executes: every CSV mlgrade writes (grades.csv, the Canvas
 * gradebook) goes through {@link toSafeCsv}.
 *
 * Submission ids are folder names chosen by students, and a spreadsheet reads a cell starting with
 * `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`, DDE `=cmd|' /C calc'!A0`), also after
 * leading white space, and a reader that splits on another character (`;` in many European locales,
 * tab, `|`, a line break inside a quoted cell read line by line) starts a new cell there. So a text
 * cell gets a `'` (which makes the rest text) before any such character that opens the cell or
 * follows one of those separators, white space allowed in between: `=1+1` → `'=1+1`,
 * ` =1+1` → ` '=1+1`, `a;=1+1` → `a;'=1+1`. A cell starting with tab or CR gets a leading `'` too
 * (OWASP's list). Numbers are passed as numbers and never altered, so `-2` points stay numeric.
 */
import { stringify } from 'csv-stringify/sync';

/** A formula character at the start of a cell or after a separator, white space allowed between. */
const FORMULA_START = /(^|[,;\t|\r\n])(\s*)([=+\-@])/g;

/**
 * A text cell made inert for spreadsheets (pure; see the module comment).
 *
 * @example neutraliseFormula('a;=1+1') // returns "a;'=1+1"
 * @example neutraliseFormula('grad-missing-1-over-n') // returns 'grad-missing-1-over-n'
 */
export function neutraliseFormula(text: string): string {
  const guarded = /^[\t\r]/.test(text) ? `'${text}` : text;
  return guarded.replace(FORMULA_START, "$1$2'$3");
}

/** One CSV cell: numbers stay numbers, text is neutralised. */
export type CsvCell = string | number;

/**
 * The CSV text of rows (RFC 4180 quoting by csv-stringify: fields holding `,`, `"` or line breaks
 * are quoted, quotes doubled; fields holding `;`, `|` or tab are quoted too, for readers that
 * split on those), with every text cell neutralised.
 *
 * @example toSafeCsv([['id', 'score'], ['=1+1', -2]]) // returns "id,score\n'=1+1,-2\n"
 */
export function toSafeCsv(rows: readonly (readonly CsvCell[])[]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell : neutraliseFormula(cell))));
  return stringify(cells, { escape_formulas: false, quoted_match: /[;|\t]/ });
}
