/**
 * Export names → Python names: the PEP 8 rule, overrides, collisions, resolution against what a
 * module defines (the same answer in names.ts and runner.py), and close-name hints (the same as
 * Python's difflib).
 */
import { spawnSync } from 'node:child_process';
import {
  closeNames,
  missingNameMessage,
  pythonNames,
  resolvePythonNames,
  similarity,
  snakeCase,
} from '../../../src/sandbox/python/names';
import { describeSandboxed, removeStages, startSubmission } from './driver';

describe('snakeCase', () => {
  test.each([
    ['mseGrad', 'mse_grad'],
    ['binaryCrossEntropyFromLogitsGrad', 'binary_cross_entropy_from_logits_grad'],
    ['trainBinary', 'train_binary'],
    ['computeMSE', 'compute_mse'],
    ['l2Norm', 'l2_norm'],
    ['conv2dForward', 'conv2d_forward'],
    ['softmax2D', 'softmax2_d'],
    ['LModelForward', 'l_model_forward'],
    ['sigmoid', 'sigmoid'],
    ['softmaxLossVectorized', 'softmax_loss_vectorized'],
    ['HTTPServerError', 'http_server_error'],
  ])('%s → %s', (camel, snake) => {
    expect(snakeCase(camel)).toBe(snake);
  });
});

describe('pythonNames', () => {
  test('the rule, with explicit overrides for names the rule gets wrong', () => {
    expect(pythonNames(['mseGrad', 'softmax2D', 'LModelForward'], { softmax2D: 'softmax_2d', LModelForward: 'L_model_forward' })).toEqual({
      status: 'ok',
      names: { mseGrad: 'mse_grad', softmax2D: 'softmax_2d', LModelForward: 'L_model_forward' },
    });
  });

  test('two export names that would be one Python function are rejected', () => {
    expect(pythonNames(['computeMSE', 'computeMse'])).toEqual({
      status: 'invalid',
      problem: 'computeMSE and computeMse would both be the Python function compute_mse: give one of them an explicit Python name',
    });
    expect(pythonNames(['mse', 'meanSquaredError'], { meanSquaredError: 'mse' })).toMatchObject({ status: 'invalid', problem: expect.stringMatching(/^mse and meanSquaredError would both be the Python function mse/) });
  });

  test('an override of an unknown export or one that is not an identifier is rejected', () => {
    expect(pythonNames(['mse'], { mseGrad: 'mse_grad' })).toMatchObject({ status: 'invalid', problem: expect.stringContaining('"mseGrad" names no export') });
    expect(pythonNames(['mse'], { mse: 'mse-loss' })).toMatchObject({ status: 'invalid', problem: expect.stringContaining('"mse-loss" for mse is not a Python identifier') });
  });
});

describe('resolvePythonNames', () => {
  const module = (all: string[], defined = all) => ({ all, defined });

  test('exact name, else the export name itself, else a unique match ignoring case and underscores', () => {
    const result = resolvePythonNames(
      { mseGrad: 'mse_grad', sigmoid: 'sigmoid', trainBinary: 'train_binary', softmax: 'softmax' },
      module(['np', 'mse_grad', 'sigmoid', 'trainBinary', 'Softmax']),
    );
    expect(result).toEqual({
      mseGrad: { status: 'found', pythonName: 'mse_grad', how: 'exact' },
      sigmoid: { status: 'found', pythonName: 'sigmoid', how: 'exact' },
      trainBinary: { status: 'found', pythonName: 'trainBinary', how: 'export-name' },
      softmax: { status: 'found', pythonName: 'Softmax', how: 'folded' },
    });
  });

  test('two folded candidates, or one wanted by two exports, is ambiguous', () => {
    expect(resolvePythonNames({ mseGrad: 'mse_grad' }, module(['MSE_grad', 'mse_Grad']))).toEqual({ mseGrad: { status: 'ambiguous', candidates: ['MSE_grad', 'mse_Grad'] } });
    expect(resolvePythonNames({ mseGrad: 'mse_grad', msegrad: 'msegrad_' }, module(['MSEgrad']))).toEqual({
      mseGrad: { status: 'ambiguous', candidates: ['MSEgrad'] },
      msegrad: { status: 'ambiguous', candidates: ['MSEgrad'] },
    });
  });

  test('a folded match never takes a name an exact match took, and only comes from the defined names', () => {
    expect(resolvePythonNames({ mse: 'mse', MSE: 'm_s_e' }, module(['mse']))).toEqual({
      mse: { status: 'found', pythonName: 'mse', how: 'exact' },
      MSE: { status: 'missing', close: ['mse'] },
    });
    expect(resolvePythonNames({ exp: 'exp' }, module(['EXP'], []))).toEqual({ exp: { status: 'missing', close: [] } });
  });

  test('not found: close names for the message', () => {
    const result = resolvePythonNames({ mseGrad: 'mse_grad' }, module(['mse_gradient', 'mse', 'sigmoid', 'train']));
    expect(missingNameMessage('mseLoss', 'mse_loss', { status: 'missing', close: ['mse_los', 'mse'] })).toMatch(/did you mean mse_los or mse\?$/);
    expect(result.mseGrad).toEqual({ status: 'missing', close: ['mse_gradient'] });
    expect(missingNameMessage('mseGrad', 'mse_grad', result.mseGrad)).toBe(
      'mse_grad is not defined (also looked for mseGrad and names that differ only in case or underscores); did you mean mse_gradient?',
    );
    expect(missingNameMessage('sigmoid', 'sigmoid', { status: 'missing', close: [] })).toBe('sigmoid is not defined');
    expect(missingNameMessage('mseGrad', 'mse_grad', { status: 'ambiguous', candidates: ['MSE_grad', 'mse_Grad'] })).toBe(
      'mse_grad is not defined, and MSE_grad and mse_Grad all match it ignoring case and underscores: name the function mse_grad',
    );
  });
});

describe('closeNames matches Python difflib.get_close_matches', () => {
  const cases: [string, string[]][] = [
    ['mse_grad', ['mse_gradient', 'mse', 'sigmoid', 'msegrad', 'grad_mse', 'mse_grads']],
    ['binary_cross_entropy', ['binary_crossentropy', 'bce', 'cross_entropy', 'binary_cross_entropy_grad', 'categorical_cross_entropy']],
    ['softmax', ['soft_max', 'softmax_grad', 'log_softmax', 'sigmoid', 'max']],
    ['train_binary', ['train', 'train_binary_classifier', 'trainbinary', 'test_binary']],
    ['l2_norm', ['l1_norm', 'norm', 'l2norm', 'L2_Norm']],
    ['abcab', ['bacba', 'cabac', 'abcba', 'aabbc']],
  ];

  test('on names from courses, including ties', () => {
    const script = `import difflib, json, sys
cases = json.loads(sys.argv[1])
print(json.dumps([difflib.get_close_matches(w.lower(), [c.lower() for c in cs], 3, 0.6) for w, cs in cases]))
print(json.dumps([[difflib.SequenceMatcher(None, c.lower(), w.lower()).ratio() for c in cs] for w, cs in cases]))`;
    const run = spawnSync('/usr/bin/python3', ['-c', script, JSON.stringify(cases)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`python3 difflib failed: ${run.stderr}`);
    const [matches, ratios] = run.stdout.trim().split('\n').map((line) => JSON.parse(line)) as [string[][], number[][]];
    cases.forEach(([word, candidates], i) => {
      expect(closeNames(word, candidates).map((name) => name.toLowerCase())).toEqual(matches[i]);
      candidates.forEach((candidate, j) => expect(similarity(candidate.toLowerCase(), word.toLowerCase())).toBeCloseTo(ratios[i][j], 12));
    });
  });
});

describeSandboxed('runner.py binds names as resolvePythonNames does', () => {
  afterAll(() => removeStages());

  test('exact, export-name and folded matches, ambiguity and collisions, on a real module', async () => {
    const source = [
      'import numpy as np',
      'from numpy import exp',
      'def mse_grad(a, b): return a',
      'def trainBinary(x): return x',
      'def Softmax(z): return z',
      'def MSE_loss(a, b): return a',
      'def mse_Loss(a, b): return a',
      'def sigmoid_(z): return z',
      'def helper(): return 0',
      'THRESHOLD = 0.5',
      '',
    ].join('\n');
    const requested = {
      mseGrad: 'mse_grad',
      trainBinary: 'train_binary',
      softmax: 'softmax',
      mseLoss: 'mse_loss',
      sigmoid: 'sigmoid',
      Exp: 'exp_',
      threshold: 'threshold',
      absent: 'absent',
    };
    const { runner, loaded } = await startSubmission({ 'losses.py': source }, 'losses.py', requested);
    expect(loaded.type).toBe('loaded');
    const { resolved, defined } = loaded as { resolved: Record<string, string>; defined: Record<string, string> };
    expect(defined).toEqual({
      MSE_loss: 'function',
      Softmax: 'function',
      THRESHOLD: 'number',
      helper: 'function',
      mse_Loss: 'function',
      mse_grad: 'function',
      sigmoid_: 'function',
      trainBinary: 'function',
    });
    // `exp` is in the module (imported from NumPy) but not defined by it: no folded match to it.
    const all = ['np', 'exp', ...Object.keys(defined)];
    const expected = resolvePythonNames(requested, { all, defined: Object.keys(defined) });
    const found = Object.fromEntries(Object.entries(expected).flatMap(([name, r]) => (r.status === 'found' ? [[name, r.pythonName]] : [])));
    expect(resolved).toEqual(found);
    expect(resolved).toEqual({ mseGrad: 'mse_grad', trainBinary: 'trainBinary', softmax: 'Softmax', sigmoid: 'sigmoid_', threshold: 'THRESHOLD' });
    expect(expected.mseLoss).toEqual({ status: 'ambiguous', candidates: ['MSE_loss', 'mse_Loss'] });
    await runner.close();
  });
});
