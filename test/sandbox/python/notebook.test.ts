/**
 * Notebooks: IPython syntax replaced line for line (and listed), tagged cells excluded, malformed
 * notebooks refused with one line, and errors located as "cell 7, line 3" when the runner runs
 * the converted cells in the sandbox.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { convertNotebook, describeNotebookChange, type NotebookConversion } from '../../../src/sandbox/python/notebook';
import { callOnce, describeSandboxed, fromWire, removeStages, startSubmission } from './driver';

const NOTEBOOKS = path.join(__dirname, '..', '..', 'fixtures', 'python', 'notebooks');
const read = (name: string) => fs.readFileSync(path.join(NOTEBOOKS, name), 'utf8');

function converted(conversion: NotebookConversion) {
  if (conversion.status !== 'converted') throw new Error(conversion.problem);
  return conversion;
}

describe('convertNotebook', () => {
  const magics = converted(convertNotebook(read('magics.ipynb'), { fileName: 'magics.ipynb' }));
  const cell = (n: number) => magics.cells.find((c) => c.cell === n)?.source;

  test('cells are numbered by position among all cells; markdown, raw and excluded cells are not run', () => {
    expect(magics.cells.map((c) => c.cell)).toEqual([2, 4, 5, 10, 12]);
  });

  test('line magics, shell lines, assignments from them and help requests become pass, keeping line numbers', () => {
    expect(cell(2)).toBe('pass\npass\nimport numpy as np\npass\npass');
    expect(cell(5)!.split('\n')).toEqual([
      'def f(x):',
      '    pass',
      '    y = (x',
      '         % 3)',
      '    return y',
      '',
      'DOC = """',
      '%notamagic',
      '!notashell',
      '"""',
      'z = 7 \\',
      '    % 4',
    ]);
  });

  test('a %%time cell runs its body once; other cell magics skip the cell', () => {
    expect(cell(4)).toBe('\n\ntotal = sum(range(10))');
  });

  test('every change is listed, in order, and reads as one line', () => {
    expect(magics.changes).toEqual([
      { kind: 'line-replaced', cell: 2, line: 1, what: 'line magic', text: '%matplotlib inline' },
      { kind: 'line-replaced', cell: 2, line: 2, what: 'shell command', text: '!pip install numpy' },
      { kind: 'line-replaced', cell: 2, line: 4, what: 'shell command', text: 'files = !ls' },
      { kind: 'line-replaced', cell: 2, line: 5, what: 'help request', text: 'np.mean?' },
      { kind: 'cell-skipped', cell: 3, reason: 'cell-magic', detail: 'the cell magic %%bash needs IPython' },
      { kind: 'cell-magic-dropped', cell: 4, magic: 'time' },
      { kind: 'line-replaced', cell: 5, line: 2, what: 'line magic', text: '    %time g = x' },
      { kind: 'cell-skipped', cell: 6, reason: 'tag', detail: 'tagged mlgrade-skip' },
      { kind: 'cell-skipped', cell: 7, reason: 'otter', detail: 'tagged otter_ignore' },
      { kind: 'cell-skipped', cell: 8, reason: 'otter', detail: 'marked metadata.otter.ignore' },
      { kind: 'cell-skipped', cell: 9, reason: 'nbgrader-tests', detail: 'an nbgrader test cell (test_f); mlgrade runs its own tests' },
      { kind: 'cell-skipped', cell: 11, reason: 'cell-magic', detail: 'the cell magic %%writefile needs IPython' },
    ]);
    expect(magics.changes.map(describeNotebookChange).slice(0, 2)).toEqual([
      'cell 2, line 1: skipped the line magic %matplotlib inline (IPython syntax does not run when grading)',
      'cell 2, line 2: skipped the shell command !pip install numpy (IPython syntax does not run when grading)',
    ]);
    expect(describeNotebookChange(magics.changes[5])).toBe('cell 4: ran the body of %%time once, as plain Python');
    expect(describeNotebookChange(magics.changes[7])).toBe('cell 6: skipped (tagged mlgrade-skip)');
  });

  test('the runner document holds the notebook name and the cells', () => {
    expect(JSON.parse(magics.document)).toEqual({ format: 'mlgrade-notebook', version: 1, notebook: 'magics.ipynb', cells: magics.cells });
  });

  test('extra skip tags, a string source and a byte-order mark are accepted', () => {
    const text = `\ufeff${JSON.stringify({
      nbformat: 4,
      nbformat_minor: 4,
      metadata: {},
      cells: [
        { cell_type: 'code', metadata: { tags: ['scratch'] }, source: 'x = 1', outputs: [], execution_count: 1 },
        { cell_type: 'code', metadata: {}, source: 'y = 2\n', outputs: [], execution_count: 2 },
      ],
    })}`;
    const result = converted(convertNotebook(text, { fileName: 'a.ipynb', skipTags: ['scratch'] }));
    expect(result.cells).toEqual([{ cell: 2, source: 'y = 2\n' }]);
    expect(result.changes).toEqual([{ kind: 'cell-skipped', cell: 1, reason: 'tag', detail: 'tagged scratch' }]);
  });

  test.each([
    ['not JSON', '{"cells": [', /^hw\.ipynb is not a valid notebook: it is not JSON \(.+\); save it again from Jupyter, or download it again$/],
    ['nbformat 3', read('nbformat3.ipynb'), /^hw\.ipynb is an old nbformat 3 notebook: open it in Jupyter and save it again \(or run "jupyter nbconvert --to notebook --nbformat 4 hw\.ipynb"\)/],
    ['no version', '{"cells": []}', /^hw\.ipynb has no "nbformat" version/],
    ['a newer nbformat', '{"nbformat": 5, "cells": []}', /^hw\.ipynb is nbformat 5, newer than the nbformat 4 mlgrade reads$/],
    ['no cells list', '{"nbformat": 4, "metadata": {}}', /^hw\.ipynb has no list of cells/],
    ['no cells', '{"nbformat": 4, "cells": []}', /^hw\.ipynb has no cells$/],
    ['only markdown', '{"nbformat": 4, "cells": [{"cell_type": "markdown", "metadata": {}, "source": "# hi"}]}', /^hw\.ipynb has no code cells$/],
    ['every code cell excluded', '{"nbformat": 4, "cells": [{"cell_type": "code", "metadata": {"tags": ["mlgrade-skip"]}, "source": "x=1"}]}', /^hw\.ipynb: every code cell is excluded/],
    ['a bad source', '{"nbformat": 4, "cells": [{"cell_type": "code", "metadata": {}, "source": 42}]}', /^hw\.ipynb: cell 1's source is neither text nor a list of lines/],
    ['an array', '[]', /^hw\.ipynb is not a notebook/],
  ])('%s → one line naming the problem', (_name, text, problem) => {
    const result = convertNotebook(text, { fileName: 'hw.ipynb' });
    expect(result).toEqual({ status: 'invalid', problem: expect.stringMatching(problem) });
    if (result.status === 'invalid') expect(result.problem).not.toContain('\n');
  });
});

describeSandboxed('notebooks in the runner', () => {
  afterAll(() => removeStages());

  const stage = (name: string) => {
    const conversion = converted(convertNotebook(read(name), { fileName: name }));
    return { [`${name}.json`]: conversion.document };
  };

  test('failing cells are reported as "cell N, line L" and the notebook goes on', async () => {
    const { runner, loaded } = await startSubmission(stage('cell-errors.ipynb'), 'cell-errors.ipynb.json', { mseGrad: 'mse_grad', sigmoid: 'sigmoid', trainBinary: 'train_binary' });
    expect(loaded).toMatchObject({ type: 'loaded', exports: { mseGrad: 'function', trainBinary: 'function' }, resolved: { mseGrad: 'mse_grad', trainBinary: 'train_binary' } });
    const cellErrors = (loaded as unknown as { cellErrors: { cell: number; syntax: boolean; thrown: Record<string, string>; undefined: string[] }[] }).cellErrors;
    expect(cellErrors).toHaveLength(2);
    expect(cellErrors[0]).toMatchObject({ cell: 6, syntax: false, undefined: ['data'], thrown: { name: 'FileNotFoundError', message: 'data.csv not found.', where: 'cell 6, line 1' } });
    expect(cellErrors[1]).toMatchObject({ cell: 7, syntax: true, undefined: ['sigmoid', 'THRESHOLD'], thrown: { name: 'SyntaxError', message: "expected ':'", where: 'cell 7, line 3' } });
    expect(cellErrors[1].thrown.stack).toContain('File "cell 7", line 3\n    if np.any(s > 1)\n');
    expect(JSON.stringify(loaded)).not.toMatch(/\/tmp\/|\/stage|runner/);

    const reply = await callOnce(runner, 'mseGrad', [[1, 2], [1, 2, 3]]);
    expect(reply).toMatchObject({ ok: false, thrown: { name: 'ValueError', where: 'cell 4, line 6, in mse_grad' } });
    const stack = (reply.thrown as { stack: string }).stack;
    expect(stack).toContain('File "cell 4", line 6, in mse_grad\n    return 2 * (y_pred - y_true) / y_true.shape[0]\n');
    expect(fromWire((await callOnce(runner, 'mseGrad', [[1, 2], [1, 4]])).value)).toEqual([0, 2]);
    // A function of one cell calling one of another: both cells named.
    const trained = await callOnce(runner, 'trainBinary', [[1, 2, 3], [1, 2]]);
    expect((trained.thrown as { stack: string }).stack).toMatch(/File "cell 8", line 2, in train_binary\n[\s\S]*File "cell 4", line 2, in mse\n/);
    await runner.close();
  });

  test('with onCellError "stop", the first failing cell fails the load', async () => {
    const { runner, loaded } = await startSubmission(stage('cell-errors.ipynb'), 'cell-errors.ipynb.json', { mseGrad: 'mse_grad' }, { init: { notebook: { onCellError: 'stop' } } });
    expect(loaded).toMatchObject({ type: 'loadFailed', cell: 6, syntax: false, thrown: { name: 'FileNotFoundError', where: 'cell 6, line 1' } });
    runner.kill();
  });

  test('a converted notebook with magics runs: __name__ is "__main__" as in Jupyter, display() prints', async () => {
    const { runner, loaded } = await startSubmission(stage('magics.ipynb'), 'magics.ipynb.json', { f: 'f', g: 'g', isMain: 'IS_MAIN', module: 'MODULE' });
    expect(loaded).toMatchObject({ type: 'loaded', exports: { f: 'function', g: 'function', isMain: 'boolean', module: 'number' } });
    expect(loaded).not.toHaveProperty('cellErrors');
    expect(fromWire((await callOnce(runner, 'f', [8])).value)).toBe(2);
    expect(fromWire((await callOnce(runner, 'g', [[1, 2]])).value)).toEqual([2, 4]);
    await runner.close();
    expect(runner.stdout).toBe('array([1., 1.])\n');
  });
});
