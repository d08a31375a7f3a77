/**
 * CSV cells no spreadsheet executes: formula characters at the start of a cell, after leading
 * white space or after a character some reader splits cells on, in every CSV mlgrade writes;
 * numbers stay numbers. And the `late` column of grades.csv.
 */
import fc from 'fast-check';
import { gradesCsv } from '../../reports/csv';
import { neutraliseFormula, toSafeCsv } from '../../reports/csvText';
import type { SubmissionResult } from '../../src/types';
import { parseCsv } from './csvParse';
import { perfectResult, sampleResult } from './fixtures';

/** Separators a reader might split a cell on, and the characters that open a formula. */
const SEPARATORS = /[,;\t|\r\n]/;
const TRIGGERS = '=+-@';

/** Whether some piece of the text, split where a reader might split it, reads as a formula. */
function opensFormula(text: string): boolean {
  if (/^[\t\r]/.test(text)) return true;
  return text.split(SEPARATORS).some((piece) => TRIGGERS.includes(piece.trimStart().charAt(0)) && piece.trimStart() !== '');
}

/** [id, what the cell must read] */
const NASTY: [string, string][] = [
  ['=1+1', "'=1+1"],
  ['+1+1', "'+1+1"],
  ['-1+1', "'-1+1"],
  ['@SUM(A1)', "'@SUM(A1)"],
  [' =1+1', " '=1+1"],
  ['\u00a0\u2003=1+1', "\u00a0\u2003'=1+1"],
  ['a;=1+1', "a;'=1+1"],
  ['a,=1+1', "a,'=1+1"],
  ['a|=1+1', "a|'=1+1"],
  ['a\t=1+1', "a\t'=1+1"],
  ['a; =1+1', "a; '=1+1"],
  ['a\n=1+1', "a\n'=1+1"],
  ['a\r\n@x', "a\r\n'@x"],
  ['\tTAB', "'\tTAB"],
  ['\rCR', "'\rCR"],
  ['=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'],
  ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  [';;=1', ";;'=1"],
  ['=a;=b', "'=a;'=b"],
  ['grad-missing-1-over-n', 'grad-missing-1-over-n'],
  ['Smith, Jo', 'Smith, Jo'],
  ['a b', 'a b'],
  ['x=1+1', 'x=1+1'],
  ['', ''],
];

describe('neutraliseFormula', () => {
  test.each(NASTY)('%j → %j', (id, expected) => {
    expect(neutraliseFormula(id)).toBe(expected);
    expect(opensFormula(neutraliseFormula(id))).toBe(false);
  });

  test('no string comes out reading as a formula; text that could not is left alone', () => {
    const text = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', ',', ';', '|', '\t', '\r', '\n', ' ', '\u00a0', 'a', '1', "'", '"') });
    fc.assert(
      fc.property(text, (s) => {
        const out = neutraliseFormula(s);
        expect(opensFormula(out)).toBe(false);
        if (!opensFormula(s)) expect(out).toBe(s);
        // Only apostrophes were added.
        expect(out.replace(/'/g, '')).toBe(s.replace(/'/g, ''));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('toSafeCsv and grades.csv', () => {
  test('every nasty id reads back neutralised, one cell per field; numbers stay numbers', () => {
    const csv = toSafeCsv([['id', 'score'], ...NASTY.map(([id]) => [id, -2.5])]);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(NASTY.length + 1);
    rows.slice(1).forEach((row, i) => {
      expect(row).toEqual([NASTY[i][1], '-2.5']);
    });
    // Negative numbers are written bare, never quoted or prefixed.
    expect(csv).toMatch(/,-2\.5\n/);
    expect(csv).not.toContain("'-2.5");
  });

  test('cells holding ; | or tab are quoted for readers that split on them', () => {
    expect(toSafeCsv([['a;b', 'c|d', 'e\tf', 'g']])).toBe('"a;b","c|d","e\tf",g\n');
  });

  test('grades.csv neutralises ids and keeps its numbers numeric', () => {
    const csv = gradesCsv(NASTY.map(([id]) => sampleResult({ submission: id })));
    const rows = parseCsv(csv);
    const ids = rows.slice(1).map((r) => r[0]);
    expect(ids.sort()).toEqual(NASTY.map(([, cell]) => cell).sort());
    for (const row of rows.slice(1)) {
      expect(opensFormula(row[0])).toBe(false);
      expect(row.slice(1, 4).every((cell) => cell === '' || Number.isFinite(Number(cell)))).toBe(true);
    }
  });
});

describe('the late column', () => {
  const canvas = (late?: boolean): SubmissionResult['origin'] => ({ lms: 'canvas', userId: '3143', late });

  test('absent when no result is late', () => {
    const csv = gradesCsv([perfectResult('a'), sampleResult({ submission: 'b', origin: canvas(false) })]);
    expect(parseCsv(csv)[0]).not.toContain('late');
  });

  test('yes / no / empty when some result is late', () => {
    const rows = parseCsv(
      gradesCsv([perfectResult('a'), sampleResult({ submission: 'b', origin: canvas(true) }), sampleResult({ submission: 'c', origin: canvas(false) })]),
    );
    const late = rows[0].indexOf('late');
    expect(late).toBe(rows[0].length - 1);
    expect(rows[0][late - 1]).toBe('status');
    expect(rows.slice(1).map((r) => [r[0], r[late]])).toEqual([
      ['a', ''],
      ['b', 'yes'],
      ['c', 'no'],
    ]);
  });
});
