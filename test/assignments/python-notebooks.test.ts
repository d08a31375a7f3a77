/**
 * The notebooks shipped with the assignments (the examples' notebook twins and the starters) are
 * valid nbformat 4.5 documents, and the grader's notebook reader (src/sandbox/python/notebook.ts)
 * accepts each of them: it lists the IPython lines it replaces, the `%%time` cells it runs as plain
 * Python and the `mlgrade-skip` self-test it leaves out. Where /usr/bin/python3 is there, the twin
 * harness's own reading of each notebook (check_twins.py --convert) must give the same cells, and
 * where its `nbformat` package is there too, the official validator must accept every file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { convertNotebook, type NotebookChange } from '../../src/sandbox/python/notebook';
import { ROOT } from '../support/cli';

const PYTHON = '/usr/bin/python3';
const CHECK = path.join(ROOT, 'test', 'fixtures', 'python-twins', '_check', 'check_twins.py');

/** Every notebook under assignments/*\/examples and assignments/*\/starter, relative to the root. */
function notebooks(): string[] {
  const found: string[] = [];
  for (const assignment of fs.readdirSync(path.join(ROOT, 'assignments'))) {
    const examples = path.join(ROOT, 'assignments', assignment, 'examples');
    if (fs.existsSync(examples)) {
      for (const example of fs.readdirSync(examples)) {
        for (const file of fs.readdirSync(path.join(examples, example))) {
          if (file.endsWith('.ipynb')) found.push(path.join('assignments', assignment, 'examples', example, file));
        }
      }
    }
    const starter = path.join(ROOT, 'assignments', assignment, 'starter');
    if (!fs.existsSync(starter)) continue;
    for (const file of fs.readdirSync(starter)) {
      if (file.endsWith('.ipynb')) found.push(path.join('assignments', assignment, 'starter', file));
    }
  }
  return found.sort();
}

const FILES = notebooks();
const isStarter = (file: string) => file.split(path.sep).includes('starter');

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.every((line) => typeof line === 'string'));

/** What nbformat 4.5's JSON schema requires of a notebook, as a list of problems (empty: valid). */
function nbformatProblems(notebook: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(notebook)) return ['not a JSON object'];
  const extra = Object.keys(notebook).filter((k) => !['cells', 'metadata', 'nbformat', 'nbformat_minor'].includes(k));
  if (extra.length) problems.push(`unknown top-level keys ${extra.join(', ')}`);
  if (notebook.nbformat !== 4) problems.push(`nbformat ${String(notebook.nbformat)}, not 4`);
  if (typeof notebook.nbformat_minor !== 'number' || notebook.nbformat_minor < 5) problems.push('nbformat_minor below 5: cells have no ids before 4.5');
  const metadata = notebook.metadata;
  if (!isObject(metadata)) problems.push('metadata is not an object');
  else {
    const kernel = metadata.kernelspec;
    if (!isObject(kernel) || typeof kernel.name !== 'string' || typeof kernel.display_name !== 'string') problems.push('metadata.kernelspec needs name and display_name');
    if (!isObject(metadata.language_info) || metadata.language_info.name !== 'python') problems.push('metadata.language_info.name is not python');
  }
  if (!Array.isArray(notebook.cells)) return [...problems, 'cells is not a list'];
  const ids = new Set<string>();
  notebook.cells.forEach((cell: unknown, index) => {
    const at = `cell ${index + 1}`;
    if (!isObject(cell)) return problems.push(`${at} is not an object`);
    if (typeof cell.id !== 'string' || !/^[a-zA-Z0-9-_]{1,64}$/.test(cell.id)) {
      problems.push(`${at}: id ${JSON.stringify(cell.id)} is not 1–64 of [a-zA-Z0-9-_]`);
    }
    else if (ids.has(cell.id)) problems.push(`${at}: id ${cell.id} is not unique`);
    else ids.add(cell.id);
    if (!isObject(cell.metadata)) problems.push(`${at}: metadata is not an object`);
    else if ('tags' in cell.metadata && !isText(cell.metadata.tags)) problems.push(`${at}: tags are not strings`);
    if (!isText(cell.source)) problems.push(`${at}: source is neither a string nor a list of strings`);
    else if (Array.isArray(cell.source) && cell.source.slice(0, -1).some((line) => !(line as string).endsWith('\n'))) {
      problems.push(`${at}: a source line other than the last does not end with a newline`);
    }
    const keys = Object.keys(cell).sort();
    if (cell.cell_type === 'code') {
      const want = ['cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source'];
      if (keys.join() !== want.join()) problems.push(`${at}: code cell keys ${keys.join(', ')}`);
      const count = cell.execution_count;
      if (!(count === null || (Number.isInteger(count) && (count as number) >= 0))) problems.push(`${at}: execution_count`);
      if (!Array.isArray(cell.outputs)) problems.push(`${at}: outputs is not a list`);
      else for (const output of cell.outputs) problems.push(...outputProblems(output).map((p) => `${at}: ${p}`));
    } else if (cell.cell_type === 'markdown' || cell.cell_type === 'raw') {
      const allowed = ['attachments', 'cell_type', 'id', 'metadata', 'source'];
      const unknown = keys.filter((k) => !allowed.includes(k));
      if (unknown.length) problems.push(`${at}: ${cell.cell_type} cell with ${unknown.join(', ')}`);
    } else problems.push(`${at}: cell_type ${String(cell.cell_type)}`);
    return undefined;
  });
  return problems;
}

function outputProblems(output: unknown): string[] {
  if (!isObject(output)) return ['an output is not an object'];
  switch (output.output_type) {
    case 'stream':
      return (output.name === 'stdout' || output.name === 'stderr') && isText(output.text) ? [] : ['a stream output needs name stdout/stderr and text'];
    case 'error':
      if (typeof output.ename === 'string' && typeof output.evalue === 'string' && Array.isArray(output.traceback)) return [];
      return ['an error output needs ename, evalue and traceback'];
    case 'execute_result':
    case 'display_data':
      return isObject(output.data) && isObject(output.metadata) ? [] : [`a ${output.output_type} output needs data and metadata`];
    default:
      return [`output_type ${String(output.output_type)}`];
  }
}

test('there are notebooks: a twin of every example of both assignments, and the starters', () => {
  expect(FILES.filter((f) => f.includes(`${path.sep}losses${path.sep}examples`))).toHaveLength(14);
  expect(FILES.filter((f) => f.includes(`${path.sep}training${path.sep}examples`))).toHaveLength(8);
  expect(FILES.filter(isStarter).map((f) => path.basename(f)).sort()).toEqual(['losses.ipynb', 'train.ipynb']);
});

describe.each(FILES)('%s', (file) => {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const notebook = JSON.parse(text) as { cells: { cell_type: string; metadata: { tags?: string[] }; source: string[] }[] };

  test('is a valid nbformat 4.5 notebook', () => {
    expect(nbformatProblems(notebook)).toEqual([]);
  });

  test('the grader reads it: code cells in order, IPython lines replaced, the mlgrade-skip cell left out', () => {
    const converted = convertNotebook(text, { fileName: path.basename(file) });
    if (converted.status !== 'converted') throw new Error(converted.problem);
    const skipped = converted.changes.filter((c): c is Extract<NotebookChange, { kind: 'cell-skipped' }> => c.kind === 'cell-skipped');
    const tagged = notebook.cells.flatMap((cell, index) => (cell.metadata.tags?.includes('mlgrade-skip') ? [index + 1] : []));
    expect(tagged).toHaveLength(1);
    expect(skipped).toEqual([{ kind: 'cell-skipped', cell: tagged[0], reason: 'tag', detail: 'tagged mlgrade-skip' }]);
    const ipython = converted.changes.filter((c) => c.kind === 'line-replaced' || c.kind === 'cell-magic-dropped');
    // The example twins are realistic notebooks with IPython lines; the starters have none.
    if (!isStarter(file)) expect(ipython.length).toBeGreaterThan(0);
    // Every replaced line is a line of that cell that starts with % or !, and the cell keeps its line count.
    for (const change of converted.changes) {
      if (change.kind !== 'line-replaced') continue;
      const source = notebook.cells[change.cell - 1].source.join('');
      expect(source.split('\n')[change.line - 1].trim()).toBe(change.text.trim());
      expect(change.text.trim()).toMatch(/^[%!]/);
      const cell = converted.cells.find((c) => c.cell === change.cell)!;
      expect(cell.source.split('\n')).toHaveLength(source.split('\n').length);
    }
    const codeCells = notebook.cells.flatMap((cell, index) => (cell.cell_type === 'code' ? [index + 1] : []));
    expect(converted.cells.map((c) => c.cell)).toEqual(codeCells.filter((n) => n !== tagged[0]));
  });
});

test('the syntax error of syntax-error-notebook is where EXPECTED_ERROR_LINE says, in the cells the grader runs', () => {
  const dir = path.join(ROOT, 'assignments', 'losses', 'examples', 'syntax-error-notebook');
  const [, cell, line] = /^cell (\d+), line (\d+)$/.exec(fs.readFileSync(path.join(dir, 'EXPECTED_ERROR_LINE'), 'utf8').trim())!;
  const converted = convertNotebook(fs.readFileSync(path.join(dir, 'losses.ipynb'), 'utf8'), { fileName: 'losses.ipynb' });
  if (converted.status !== 'converted') throw new Error(converted.problem);
  const source = converted.cells.find((c) => c.cell === Number(cell))!.source;
  expect(source.split('\n')[Number(line) - 1]).toBe('    total = np.sum(((y_pred - y_true) ** 2)');
});

const pythonThere = fs.existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
if (!pythonThere) console.warn(`Notebook cross-checks with Python skipped: ${PYTHON} with NumPy is missing.`);

(pythonThere ? test : test.skip)('the twin harness reads every notebook exactly as the grader does', () => {
  for (const file of FILES) {
    const run = spawnSync(PYTHON, [CHECK, '--convert', path.join(ROOT, file)], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const harness = JSON.parse(run.stdout) as { cells: { cell: number; source: string }[]; changes: { kind: string; cell: number; line?: number }[] };
    const converted = convertNotebook(fs.readFileSync(path.join(ROOT, file), 'utf8'), { fileName: path.basename(file) });
    if (converted.status !== 'converted') throw new Error(converted.problem);
    expect({ file, cells: harness.cells }).toEqual({ file, cells: converted.cells });
    const where = (changes: { kind: string; cell: number; line?: number }[]) => changes.map((c) => `${c.kind}@${c.cell}:${c.line ?? ''}`);
    expect({ file, changes: where(harness.changes) }).toEqual({ file, changes: where(converted.changes) });
  }
});

const nbformatThere = pythonThere && spawnSync(PYTHON, ['-c', 'import nbformat'], { encoding: 'utf8' }).status === 0;
(nbformatThere ? test : test.skip)("the official nbformat validator accepts every notebook (where Python's nbformat is installed)", () => {
  const script = [
    'import sys, nbformat',
    'for f in sys.argv[1:]:',
    '    nbformat.validate(nbformat.read(f, as_version=nbformat.NO_CONVERT))',
    'print("valid", len(sys.argv) - 1)',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script, ...FILES.map((f) => path.join(ROOT, f))], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe(`valid ${FILES.length}`);
});

test('the structural check rejects what nbformat 4.5 rejects (no ids, a bad output, an unknown cell type)', () => {
  const cell = { cell_type: 'code', execution_count: null, metadata: {}, outputs: [{ output_type: 'stream', text: 'x' }], source: ['a', 'b'] };
  const problems = nbformatProblems({
    nbformat: 4,
    nbformat_minor: 4,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' }, language_info: { name: 'python' } },
    cells: [cell, { id: 'x y', cell_type: 'heading', metadata: {}, source: '' }],
  });
  expect(problems).toEqual([
    'nbformat_minor below 5: cells have no ids before 4.5',
    'cell 1: id undefined is not 1–64 of [a-zA-Z0-9-_]',
    'cell 1: a source line other than the last does not end with a newline',
    'cell 1: code cell keys cell_type, execution_count, metadata, outputs, source',
    'cell 1: a stream output needs name stdout/stderr and text',
    'cell 2: id "x y" is not 1–64 of [a-zA-Z0-9-_]',
    'cell 2: cell_type heading',
  ]);
});
