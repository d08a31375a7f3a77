/**
 * Jupyter notebooks (nbformat 4) → the cells runner.py runs, without IPython.
 *
 * Cell numbers: **cell N is the N-th cell from the top of the notebook, counting every cell
 * (markdown and raw cells too), from 1** — what a student counts when scrolling. Jupyter's
 * execution counts (`In [7]`) are not used: they change with every run.
 *
 * The runner compiles each cell on its own under the file name `cell N`, so a syntax error reads
 * "cell 7, line 3" and a traceback "cell 4, line 6, in mse_grad", with the cell's own line numbers.
 * To keep those numbers, IPython syntax is replaced line for line, never removed:
 *  - a line magic (`%matplotlib inline`), a shell line (`!pip install …`), an assignment from one
 *    (`files = !ls`, `t = %timeit -o f()`) and a help line (`np.mean?`, `?np.mean`) become `pass`
 *    at the same indentation (only at the start of a logical line: a `%` that continues an
 *    expression inside brackets or after a backslash is the modulo operator);
 *  - a cell magic `%%time`, `%%timeit`, `%%capture` or `%%prun`: its first line is blanked and the
 *    body runs once; any other cell magic (`%%bash`, `%%writefile`, `%%html`…) skips the cell;
 *  - cells tagged `mlgrade-skip`, Otter's `otter_ignore` tag (or `metadata.otter.ignore`), and
 *    nbgrader's autograder-test cells (`metadata.nbgrader.grade` without `solution`) are skipped.
 * Every change is listed ({@link NotebookChange}) so the feedback can name it.
 */

/** A code cell to run: its number (see the file comment) and its source after the changes. */
export interface NotebookCell {
  cell: number;
  source: string;
}

/** One thing the conversion changed, in the student's terms. */
export type NotebookChange =
  | { kind: 'cell-skipped'; cell: number; reason: 'tag' | 'otter' | 'nbgrader-tests' | 'cell-magic'; detail: string }
  | { kind: 'line-replaced'; cell: number; line: number; what: 'line magic' | 'shell command' | 'help request'; text: string }
  | { kind: 'cell-magic-dropped'; cell: number; magic: string };

/** The result of {@link convertNotebook}. */
export type NotebookConversion =
  | {
      status: 'converted';
      cells: NotebookCell[];
      changes: NotebookChange[];
      /** The file runner.py loads (stage it with a `.json` name and pass that as the init's `entry`). */
      document: string;
    }
  | { status: 'invalid'; problem: string };

/** The runner's input format (version 1). */
export interface NotebookDocument {
  format: 'mlgrade-notebook';
  version: 1;
  /** The notebook's file name, for sys.argv and messages. */
  notebook: string;
  cells: NotebookCell[];
}

export interface NotebookOptions {
  /** The notebook's name as the student knows it (e.g. `hw1.ipynb`), used in problems. */
  fileName: string;
  /** Tags that exclude a cell, besides `mlgrade-skip` and `otter_ignore`. */
  skipTags?: readonly string[];
}

/** Cell magics whose body runs once, as plain code. */
const BODY_KEEPING_MAGICS = new Set(['time', 'timeit', 'capture', 'prun']);
const DEFAULT_SKIP_TAGS = ['mlgrade-skip', 'otter_ignore'];

/**
 * Converts a notebook's JSON text. Malformed notebooks (not JSON, nbformat 3, no cells, no code)
 * give one line naming the problem and the fix.
 *
 * @example convertNotebook('{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[…]}', { fileName: 'hw1.ipynb' })
 */
export function convertNotebook(text: string, options: NotebookOptions): NotebookConversion {
  const name = options.fileName;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return invalid(`${name} is not a valid notebook: it is not JSON (${(error as Error).message}); save it again from Jupyter, or download it again`);
  }
  if (!isObject(parsed)) return invalid(`${name} is not a notebook: its JSON is not an object with cells`);
  const version = parsed.nbformat;
  if ('worksheets' in parsed || (typeof version === 'number' && version < 4)) {
    return invalid(
      `${name} is an old nbformat ${typeof version === 'number' ? version : 3} notebook: open it in Jupyter and save it again ` +
        `(or run "jupyter nbconvert --to notebook --nbformat 4 ${name}") to make it nbformat 4`,
    );
  }
  if (typeof version !== 'number') return invalid(`${name} has no "nbformat" version: is it really a Jupyter notebook? Save it again from Jupyter`);
  if (version > 4) return invalid(`${name} is nbformat ${version}, newer than the nbformat 4 mlgrade reads`);
  if (!Array.isArray(parsed.cells)) return invalid(`${name} has no list of cells: save it again from Jupyter`);
  if (parsed.cells.length === 0) return invalid(`${name} has no cells`);

  const skipTags = new Set([...DEFAULT_SKIP_TAGS, ...(options.skipTags ?? [])]);
  const cells: NotebookCell[] = [];
  const changes: NotebookChange[] = [];
  let codeCells = 0;
  for (let index = 0; index < parsed.cells.length; index++) {
    const number = index + 1;
    const cell: unknown = parsed.cells[index];
    if (!isObject(cell)) return invalid(`${name}: cell ${number} is not a cell object: save the notebook again from Jupyter`);
    if (cell.cell_type !== 'code') continue;
    codeCells += 1;
    const source = sourceText(cell.source);
    if (source === undefined) return invalid(`${name}: cell ${number}'s source is neither text nor a list of lines: save the notebook again from Jupyter`);
    const skip = skipReason(cell.metadata, skipTags);
    if (skip) {
      changes.push({ kind: 'cell-skipped', cell: number, ...skip });
      continue;
    }
    const converted = convertCell(source, number);
    changes.push(...converted.changes);
    if (converted.source !== undefined) cells.push({ cell: number, source: converted.source });
  }
  if (codeCells === 0) return invalid(`${name} has no code cells`);
  if (cells.length === 0) return invalid(`${name}: every code cell is excluded (by tags or cell magics), so there is no code to grade`);
  const document: NotebookDocument = { format: 'mlgrade-notebook', version: 1, notebook: name, cells };
  return { status: 'converted', cells, changes, document: JSON.stringify(document) };
}

/**
 * One line for a change, for the feedback.
 *
 * @example describeNotebookChange({ kind: 'line-replaced', cell: 3, line: 1, what: 'shell command', text: '!pip install numpy' })
 * // returns 'cell 3, line 1: skipped the shell command !pip install numpy (IPython syntax does not run when grading)'
 */
export function describeNotebookChange(change: NotebookChange): string {
  switch (change.kind) {
    case 'cell-skipped':
      return `cell ${change.cell}: skipped (${change.detail})`;
    case 'line-replaced':
      return `cell ${change.cell}, line ${change.line}: skipped the ${change.what} ${clip(change.text.trim(), 80)} (IPython syntax does not run when grading)`;
    case 'cell-magic-dropped':
      return `cell ${change.cell}: ran the body of %%${change.magic} once, as plain Python`;
  }
}

function invalid(problem: string): NotebookConversion {
  return { status: 'invalid', problem };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sourceText(source: unknown): string | undefined {
  if (typeof source === 'string') return source;
  if (Array.isArray(source) && source.every((line) => typeof line === 'string')) return source.join('');
  return undefined;
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function skipReason(metadata: unknown, skipTags: ReadonlySet<string>): { reason: 'tag' | 'otter' | 'nbgrader-tests'; detail: string } | undefined {
  if (!isObject(metadata)) return undefined;
  const tags = Array.isArray(metadata.tags) ? metadata.tags.filter((tag): tag is string => typeof tag === 'string') : [];
  const tag = tags.find((t) => skipTags.has(t));
  if (tag === 'otter_ignore') return { reason: 'otter', detail: 'tagged otter_ignore' };
  if (tag) return { reason: 'tag', detail: `tagged ${tag}` };
  if (isObject(metadata.otter) && metadata.otter.ignore === true) return { reason: 'otter', detail: 'marked metadata.otter.ignore' };
  const nbgrader = metadata.nbgrader;
  if (isObject(nbgrader) && nbgrader.grade === true && nbgrader.solution !== true) {
    const id = typeof nbgrader.grade_id === 'string' ? ` (${nbgrader.grade_id})` : '';
    return { reason: 'nbgrader-tests', detail: `an nbgrader test cell${id}; mlgrade runs its own tests` };
  }
  return undefined;
}

/** A cell's source with IPython syntax replaced (undefined: the cell is skipped). */
function convertCell(source: string, cell: number): { source?: string; changes: NotebookChange[] } {
  const lines = source.split('\n');
  const changes: NotebookChange[] = [];
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first >= 0 && lines[first].startsWith('%%')) {
    const magic = /^%%(\S*)/.exec(lines[first])![1];
    if (!BODY_KEEPING_MAGICS.has(magic)) {
      return { changes: [{ kind: 'cell-skipped', cell, reason: 'cell-magic', detail: `the cell magic %%${magic} needs IPython` }] };
    }
    lines[first] = '';
    changes.push({ kind: 'cell-magic-dropped', cell, magic });
  }
  const scanner = new LineScanner();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (scanner.atStatementStart()) {
      const what = ipythonLine(line);
      if (what) {
        const indent = /^[ \t]*/.exec(line)![0];
        lines[index] = `${indent}pass`;
        changes.push({ kind: 'line-replaced', cell, line: index + 1, what, text: line.replace(/\r$/, '') });
      }
    }
    scanner.feed(lines[index]);
  }
  return { source: lines.join('\n'), changes };
}

/** What IPython syntax a line at the start of a statement is, if any. */
function ipythonLine(line: string): 'line magic' | 'shell command' | 'help request' | undefined {
  const text = line.trim();
  if (text.startsWith('%')) return 'line magic';
  if (text.startsWith('!')) return 'shell command';
  if (text.startsWith('?')) return 'help request';
  // `files = !ls`, `a, b = %sx cmd` (IPython's assign-from-system/magic forms).
  const assigned = /^[\w.]+(?:\s*,\s*[\w.]+)*\s*=\s*([!%])/.exec(text);
  if (assigned) return assigned[1] === '!' ? 'shell command' : 'line magic';
  // `np.mean?`, `np.mean??`, `%magic?`
  if (/^%{0,2}(?!\d)[\w*]+(?:\.(?!\d)[\w*]+)*\?\??$/.test(text)) return 'help request';
  return undefined;
}

/**
 * Just enough of Python's tokenizer to know whether a line starts a new statement: open
 * brackets, strings (single, triple, with escapes) and backslash continuations carry over.
 */
class LineScanner {
  private depth = 0;
  private quote: string | null = null;
  private continued = false;

  atStatementStart(): boolean {
    return this.depth === 0 && this.quote === null && !this.continued;
  }

  feed(line: string): void {
    this.continued = false;
    let comment = false;
    let i = 0;
    while (i < line.length) {
      const c = line[i];
      if (this.quote) {
        if (c === '\\') {
          i += 2;
          continue;
        }
        if (line.startsWith(this.quote, i)) {
          i += this.quote.length;
          this.quote = null;
          continue;
        }
        i += 1;
        continue;
      }
      if (c === '#') {
        comment = true;
        break;
      }
      if (c === '"' || c === "'") {
        const triple = line.startsWith(c.repeat(3), i);
        this.quote = triple ? c.repeat(3) : c;
        i += triple ? 3 : 1;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') this.depth += 1;
      else if (c === ')' || c === ']' || c === '}') this.depth = Math.max(0, this.depth - 1);
      i += 1;
    }
    const trimmed = line.replace(/[\r\s]+$/, '');
    if (this.quote && this.quote.length === 1) {
      // A one-quote string ends with its line unless the line ends with a backslash.
      if (!trimmed.endsWith('\\')) this.quote = null;
    } else if (!this.quote && !comment && trimmed.endsWith('\\')) {
      this.continued = true;
    }
  }
}
