/**
 * Reads CSV text into rows of cells (RFC 4180: quoted fields may hold commas, line breaks and
 * doubled quotes; CRLF or LF line ends; a UTF-8 byte-order mark is dropped). Lines whose first
 * character is `#` outside a quoted field are comments, and blank lines are skipped, so a roster
 * can explain itself. Pure; no I/O.
 */

/** A row of cells and the line (1-based) it starts on, for messages. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** The text is not CSV (an unterminated quote); the message names the line. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
}

/**
 * The rows of a CSV text.
 *
 * @example
 * csvRows('# students\ngithub_username,repository\nalice,"org/losses-alice"\n')
 * // returns [{ line: 2, cells: ['github_username', 'repository'] }, { line: 3, cells: ['alice', 'org/losses-alice'] }]
 */
export function csvRows(text: string): CsvRow[] {
  const source = text.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const startLine = line;
    if (source[i] === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      i++;
      line++;
      continue;
    }
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let atCellStart = true;
    for (;;) {
      if (i >= source.length) {
        if (quoted) throw new CsvSyntaxError(`line ${startLine}: a quoted field is never closed (a missing ")`);
        cells.push(cell);
        break;
      }
      const c = source[i];
      if (quoted) {
        if (c === '"' && source[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (c === '"') {
          quoted = false;
          i++;
        } else {
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        continue;
      }
      if (c === '"' && atCellStart) {
        quoted = true;
        atCellStart = false;
        i++;
      } else if (c === ',') {
        cells.push(cell);
        cell = '';
        atCellStart = true;
        i++;
      } else if (c === '\n' || (c === '\r' && source[i + 1] === '\n')) {
        cells.push(cell);
        i += c === '\r' ? 2 : 1;
        line++;
        break;
      } else {
        cell += c;
        atCellStart = false;
        i++;
      }
    }
    if (cells.some((value) => value.trim() !== '')) rows.push({ line: startLine, cells });
  }
  return rows;
}
