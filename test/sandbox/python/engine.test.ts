/**
 * The engine's Python pieces on their own (no process started): the Python runner's extra wire
 * tags and `loaded` fields, messages rewritten into the student's language (with the student's own
 * words left alone), the automatic Python mutants' source, spec validation of `languages` and
 * `python`, and staging of modules and notebooks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssignmentSpecError, loadAssignment } from '../../../src/assignments/spec';
import { automaticPythonMutantSource } from '../../../src/authoring/mutants';
import { decodeValue, isForeignValue } from '../../../src/sandbox/codec';
import { validChildMessage } from '../../../src/sandbox/protocol';
import { syntaxLocation } from '../../../src/sandbox/sandboxProcess';
import { stageSubmission } from '../../../src/sandbox/stage';
import { missingPythonExport } from '../../../src/sandbox/python/launcher';
import { inStudentLanguage, pythonText } from '../../../src/suite/studentLanguage';
import { verbatim } from '../../../src/verbatim';
import { ROOT, tempDir } from '../../support/cli';

const names = { mseGrad: 'mse_grad', trainBinary: 'train_binary', binaryCrossEntropy: 'binary_cross_entropy' };

describe('wire: what the Python runner adds', () => {
  test('{"$nd": shape} decodes to nested empty arrays; a shape that is no empty array\'s is a foreign value', () => {
    expect(decodeValue({ $nd: [0, 3] })).toEqual([]);
    expect(decodeValue({ $nd: [2, 0] })).toEqual([[], []]);
    expect(decodeValue({ $nd: [2, 3, 0] })).toEqual([[[], [], []], [[], [], []]]);
    expect(isForeignValue(decodeValue({ $nd: [2, 3] }))).toBe(true);
    expect(isForeignValue(decodeValue({ $nd: [-1, 0] }))).toBe(true);
    expect(isForeignValue(decodeValue({ $nd: 'x' }))).toBe(true);
    // A hostile shape that would build billions of empty rows is described instead.
    expect(String(decodeValue({ $nd: [1e9, 0] }))).toBe('an empty NumPy array of shape (1000000000, 0)');
  });

  test('loaded carries the names resolved and defined, and the notebook cells that failed, validated and capped', () => {
    const message = validChildMessage({
      type: 'loaded',
      exports: { mseGrad: 'function' },
      resolved: { mseGrad: 'mse_grad', bad: 3 },
      defined: { mse_grad: 'function', helper: 'function' },
      cellErrors: [{ cell: 7, thrown: { name: 'SyntaxError', message: 'x'.repeat(5000), where: 'cell 7, line 3' }, syntax: true, undefined: ['mse_grad', 4] }, 'junk'],
    });
    expect(message).toMatchObject({ type: 'loaded', exports: { mseGrad: 'function' }, python: { resolved: { mseGrad: 'mse_grad' }, defined: { mse_grad: 'function', helper: 'function' } } });
    const cells = (message as { python: { cellErrors: { cell: number; thrown: { message: string; where?: string }; syntax: boolean; undefined: string[] }[] } }).python.cellErrors;
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ cell: 7, syntax: true, undefined: ['mse_grad'], thrown: { where: 'cell 7, line 3' } });
    expect(cells[0].thrown.message.length).toBe(2000);
    // The JavaScript child's loaded has no Python extras.
    expect(validChildMessage({ type: 'loaded', exports: {} })).toEqual({ type: 'loaded', exports: {} });
  });

  test('a syntax error\'s place in a compiler\'s words', () => {
    expect(syntaxLocation('losses.py, line 12')).toBe('losses.py:12');
    expect(syntaxLocation('lib/util.py, line 3')).toBe('lib/util.py:3');
    expect(syntaxLocation('cell 7, line 3')).toBe('cell 7, line 3');
  });
});

describe('messages in the student\'s language', () => {
  test('export names become Python names, other camelCase identifiers snake_case', () => {
    expect(pythonText('mseGrad(yTrue, yPred) — yTrue = [1, 2], yPred = [1.5, 1] is not close enough', names)).toBe(
      'mse_grad(y_true, y_pred) — y_true = [1, 2], y_pred = [1.5, 1] is not close enough',
    );
    expect(pythonText("Your gradient is binaryCrossEntropyGrad(y, σ(z)): the gradient with respect to p", names)).toBe(
      'Your gradient is binary_cross_entropy_grad(y, σ(z)): the gradient with respect to p',
    );
  });

  test('JavaScript advice becomes Python advice', () => {
    expect(pythonText('returned a Float64Array of length 3 (return a plain array, e.g. Array.from(…)); expected plain numbers.', names)).toBe(
      'returned a Float64Array of length 3 (return a list, e.g. np.asarray(…) or list(…)); expected floats, lists or NumPy arrays.',
    );
    expect(pythonText('Use the stable form max(z, 0) − z·y + ln(1 + e^(−|z|)) (Math.log1p).', names)).toBe(
      'Use the stable form max(z, 0) − z·y + ln(1 + e^(−|z|)) (np.log1p, or math.log1p for one number).',
    );
    expect(pythonText('mse returned null; expected a plain number.', names)).toBe('mse returned None (did the function forget to return?); expected a float.');
    expect(pythonText('the submission called process.exit(3)', names)).toBe('the submission called sys.exit(3)');
    expect(pythonText('trainBinary(X, y, opts) modified its inputs: opts.w0[0] was 1', names)).toBe('train_binary(X, y, opts) modified its inputs: opts["w0"][0] was 1');
    expect(pythonText('mse threw TypeError: x', names)).toBe('mse raised TypeError: x');
    expect(pythonText('returned a 3×2 array of arrays of numbers (one row per sample)', names)).toBe('returned a 3×2 list of lists (or 2-D NumPy array) of floats (one row per sample)');
    expect(pythonText('expected { w: 3 numbers, b: a number, history: 11 numbers (epochs + 1) }', names)).toBe('expected {"w": 3 floats, "b": a float, "history": 11 floats (epochs + 1)}');
  });

  test('the student\'s own words are left as they are, and the marks are gone', () => {
    const message = `mseGrad(yTrue, yPred) threw ${verbatim('NameError')}: ${verbatim("name 'myHelper' is not defined")}${verbatim(' (at losses.py, line 3, in mseGradHelper)')}.`;
    expect(pythonText(message, names)).toBe("mse_grad(y_true, y_pred) raised NameError: name 'myHelper' is not defined (at losses.py, line 3, in mseGradHelper).");
    const record = inStudentLanguage(
      {
        declared: [{ id: 'mseGrad.x', name: 'equals (2/N)(yPred − yTrue)', function: 'mseGrad', category: 'gradient' as const, points: 1, visibility: 'public' as const }],
        tests: [],
        load: { status: 'failed' as const, reason: 'threw' as const, message: `importing the submission threw ${verbatim('ValueError: fooBar')}` },
      },
      'typescript',
    );
    // Other languages: nothing rewritten, only the marks removed.
    expect(record.declared[0].name).toBe('equals (2/N)(yPred − yTrue)');
    expect(record.load).toMatchObject({ message: 'importing the submission threw ValueError: fooBar' });
  });

  test('ids and the function under test stay the export names; inputs are named as in Python', () => {
    const record = inStudentLanguage(
      {
        declared: [],
        tests: [
          {
            id: 'mseGrad.gradient.reference',
            name: 'equals (2/N)(yPred − yTrue)',
            function: 'mseGrad',
            category: 'gradient' as const,
            points: 3,
            visibility: 'public' as const,
            status: 'failed' as const,
            score: 0,
            maxScore: 3,
            message: 'mseGrad(yTrue, yPred) — x',
            details: { comparison: { call: 'mseGrad(yTrue, yPred) — x', inputs: { yTrue: [1], yPred: [2] } } },
          },
        ],
        load: { status: 'loaded' as const, entry: 'losses.py', exports: ['mseGrad'] },
      },
      'python',
      names,
    );
    expect(record.tests[0]).toMatchObject({ id: 'mseGrad.gradient.reference', function: 'mseGrad', name: 'equals (2/N)(y_pred − y_true)', message: 'mse_grad(y_true, y_pred) — x' });
    expect(record.tests[0].details?.comparison).toEqual({ call: 'mse_grad(y_true, y_pred) — x', inputs: { y_true: [1], y_pred: [2] } });
  });

  test('a missing Python function: what was looked for, close names, and the notebook cell that left it undefined', () => {
    const loaded = {
      resolved: {},
      defined: { mse_gradient: 'function', sigmoid: 'function' },
      cellErrors: [{ cell: 4, thrown: { name: 'NameError', message: "name 'np' is not defined", where: 'cell 4, line 2' }, syntax: false, undefined: ['mse_grad'] }],
    };
    expect(missingPythonExport('mseGrad', 'mse_grad', loaded, undefined)).toEqual({
      available: ['mse_gradient', 'sigmoid'],
      explanation:
        "mse_grad is not defined: cell 4, which defines it, did not run to the end (NameError at cell 4, line 2: name 'np' is not defined)",
    });
    expect(missingPythonExport('mseGrad', 'mse_grad', { ...loaded, cellErrors: [] }, undefined).explanation).toBe(
      'mse_grad is not defined (also looked for mseGrad and names that differ only in case or underscores); did you mean mse_gradient?',
    );
    expect(missingPythonExport('mseGrad', 'mse_grad', { resolved: { mseGrad: 'mse_grad' }, defined: {}, cellErrors: [] }, 'number').explanation).toBe(
      'mse_grad is a number, not a function: define it with `def mse_grad(…)`',
    );
  });
});

describe('the spec: languages and python', () => {
  const valid = { id: 'hinge', title: 'Hinge loss', entry: 'hinge', exports: ['hingeLoss', 'hingeGrad'], grader: 'losses' };
  const specDir = (spec: unknown) => {
    const dir = tempDir('mlgrade-pyspec-');
    fs.writeFileSync(path.join(dir, 'assignment.json'), JSON.stringify(spec));
    return dir;
  };
  const problem = (spec: unknown) => {
    try {
      loadAssignment(specDir(spec));
    } catch (error) {
      expect(error).toBeInstanceOf(AssignmentSpecError);
      return (error as Error).message;
    }
    throw new Error('no error');
  };

  test('TypeScript and JavaScript by default; Python opt-in, with derived names and overrides', () => {
    expect(loadAssignment(specDir(valid))).toMatchObject({ languages: ['typescript', 'javascript'] });
    expect(loadAssignment(specDir(valid)).python).toBeUndefined();
    const python = loadAssignment(specDir({ ...valid, languages: ['python'], python: { names: { hingeGrad: 'hinge_gradient' }, allowedModules: ['scipy'] } }));
    expect(python.python).toEqual({ names: { hingeLoss: 'hinge_loss', hingeGrad: 'hinge_gradient' }, allowedModules: ['scipy'], skipTags: [] });
    expect(loadAssignment('losses').languages).toEqual(['typescript', 'javascript', 'python']);
    expect(loadAssignment('training').python?.names).toEqual({ trainBinary: 'train_binary', trainSoftmax: 'train_softmax' });
  });

  test('errors name the key', () => {
    expect(problem({ ...valid, languages: ['python', 'cobol'] })).toMatch(/key "languages\.1": Invalid option/);
    expect(problem({ ...valid, languages: [] })).toMatch(/key "languages"/);
    expect(problem({ ...valid, languages: ['python', 'python'] })).toMatch(/key "languages": a language is listed twice/);
    expect(problem({ ...valid, python: { names: {} } })).toMatch(/key "python": set, but "languages" does not list "python"/);
    expect(problem({ ...valid, languages: ['python'], python: { names: { nope: 'x' } } })).toMatch(/key "python\.names\.nope": the Python name override for "nope" names no export/);
    expect(problem({ ...valid, languages: ['python'], python: { names: { hingeLoss: '2bad' } } })).toMatch(/key "python\.names\.hingeLoss": the Python name override "2bad" for hingeLoss is not a Python identifier/);
    expect(problem({ ...valid, languages: ['python'], python: { names: { hingeLoss: 'hinge_grad' } } })).toMatch(/key "python\.names": hingeLoss and hingeGrad would both be the Python function hinge_grad/);
    expect(problem({ ...valid, languages: ['python'], python: { allowedModules: ['numpy.linalg'] } })).toMatch(/key "python\.allowedModules\.0"/);
  });
});

describe('staging Python', () => {
  const python = { base: 'losses', languages: ['typescript', 'javascript', 'python'] as const };

  test('a module is copied as it is, readable by everyone; caches are left out', () => {
    const dir = tempDir('mlgrade-pystage-');
    fs.writeFileSync(path.join(dir, 'losses.py'), 'import helpers\n', { mode: 0o600 });
    fs.mkdirSync(path.join(dir, 'helpers'));
    fs.writeFileSync(path.join(dir, 'helpers', '__init__.py'), 'X = 1\n', { mode: 0o600 });
    fs.mkdirSync(path.join(dir, '__pycache__'));
    fs.writeFileSync(path.join(dir, '__pycache__', 'losses.cpython-311.pyc'), 'x');
    const staged = stageSubmission(dir, path.join(tempDir('mlgrade-pystage-out-'), 's'), python);
    expect(staged).toMatchObject({ status: 'staged', runtime: 'python', entryName: 'losses.py', skipped: ['__pycache__/ (not copied)'], notes: [] });
    if (staged.status !== 'staged') throw new Error('not staged');
    expect(fs.readFileSync(staged.entry, 'utf8')).toBe('import helpers\n');
    expect(fs.statSync(path.join(staged.dir, 'helpers', '__init__.py')).mode & 0o777).toBe(0o644);
    expect(fs.statSync(staged.dir).mode & 0o777).toBe(0o755);
    expect(fs.existsSync(path.join(staged.dir, 'package.json'))).toBe(false);
  });

  test('a notebook becomes the runner\'s cells, what was skipped becomes notes; a broken one cannot load', () => {
    const staged = stageSubmission(path.join(ROOT, 'test', 'fixtures', 'python', 'class', 'notebook-correct'), path.join(tempDir('mlgrade-nbstage-'), 's'), python, { skipTags: ['scratch'] });
    if (staged.status !== 'staged') throw new Error('not staged');
    expect(staged.entry).toBe(path.join(staged.dir, 'hw1.ipynb.json'));
    expect(JSON.parse(fs.readFileSync(staged.entry, 'utf8'))).toMatchObject({ format: 'mlgrade-notebook', notebook: 'hw1.ipynb' });
    expect(staged.notes).toContain('hw1.ipynb: cell 21: skipped (tagged mlgrade-skip)');
    const broken = tempDir('mlgrade-nbbroken-');
    fs.writeFileSync(path.join(broken, 'losses.ipynb'), '{"nbformat": 3, "worksheets": []}');
    const refused = stageSubmission(broken, path.join(tempDir('mlgrade-nbstage-'), 's'), python);
    expect(refused).toMatchObject({ status: 'staged', invalid: expect.stringMatching(/^losses\.ipynb is an old nbformat 3 notebook: open it in Jupyter and save it again/) });
  });

  test('without Python among the languages, a Python file is no entry', () => {
    const dir = tempDir('mlgrade-pystage-');
    fs.writeFileSync(path.join(dir, 'losses.py'), '');
    expect(stageSubmission(dir, path.join(tempDir('mlgrade-pystage-out-'), 's'), 'losses')).toMatchObject({
      status: 'no-entry',
      message: 'No losses.ts or losses.js in the submission (found: losses.py): name your file losses.ts or losses.js',
    });
  });
});

describe('automatic mutants in Python', () => {
  test('each wraps the example\'s function under its Python name, found as the grader finds it', () => {
    const source = automaticPythonMutantSource('mseGrad', 'mse_grad', 'times-n');
    expect(source).toMatch(/^# mlgrade automatic mutant: mseGrad — every number it returns multiplied by N/);
    expect(source).toContain('import _mlgrade_reference as _R');
    expect(source).toContain('_transform = lambda x, n, extreme: x * n');
    expect(source).toContain('_original = _find(["mse_grad", "mseGrad"])');
    expect(source).toContain('    def mse_grad(*args):');
    expect(source).toContain('print("mlgrade-mutant-exercised")');
  });
});
