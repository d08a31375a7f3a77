/**
 * A class run keeps its results on disk: each result.json written as it comes, a summary kept,
 * results read back one at a time; one that cannot be written is kept in memory and still read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultPath } from '../../reports/json';
import { readStoredResult, ResultStore, summarizeResult } from '../../src/grading/resultStore';
import { loadFailedResult, perfectResult, sampleResult } from '../reports/fixtures';
import { tempDir } from '../support/cli';

test('save writes result.json at once; results reads the given ids back in their order, each pass anew', () => {
  const out = tempDir('mlgrade-store-');
  const store = new ResultStore(out);
  const [alice, bob, carol] = [sampleResult(), loadFailedResult('bob'), perfectResult('carol')];
  for (const result of [alice, bob, carol]) {
    expect(store.save(result)).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(resultPath(out, result.submission), 'utf8'))).toEqual(JSON.parse(JSON.stringify(result)));
  }
  const results = store.results(['carol', 'alice', 'bob']);
  expect([...results].map((r) => r.submission)).toEqual(['carol', 'alice', 'bob']);
  // Read again on each pass: a change on disk shows (nothing is cached in memory).
  fs.writeFileSync(resultPath(out, 'bob'), JSON.stringify({ ...bob, score: 7 }));
  expect([...results].map((r) => r.score)).toEqual([carol.score, alice.score, 7]);
});

test('a result whose file cannot be written is kept in memory, so that reading back still finds it', () => {
  const out = tempDir('mlgrade-store-');
  // A file where the submissions folder should be: no result.json can be written under it.
  fs.writeFileSync(path.join(out, 'submissions'), 'not a folder');
  const store = new ResultStore(out);
  const error = store.save(perfectResult('carol'));
  expect(error).toBeInstanceOf(Error);
  expect([...store.results(['carol'])]).toEqual([perfectResult('carol')]);
});

test('reading back names the file when it is missing, unreadable or another submission\'s', () => {
  const out = tempDir('mlgrade-store-');
  expect(() => readStoredResult(out, 'nobody')).toThrow(`the result of nobody could not be read back from ${resultPath(out, 'nobody')}`);
  const store = new ResultStore(out);
  store.save(perfectResult('carol'));
  fs.writeFileSync(resultPath(out, 'carol'), JSON.stringify(perfectResult('someone-else')));
  expect(() => [...store.results(['carol'])]).toThrow(`${resultPath(out, 'carol')} does not hold the result of carol`);
});

test('a summary holds what the closing line and --min-score need, and nothing of the tests', () => {
  expect(summarizeResult(loadFailedResult('bob'))).toEqual({ submission: 'bob', score: 0, maxScore: loadFailedResult('bob').maxScore, load: { status: 'failed' } });
  const cut = summarizeResult({ ...sampleResult(), graderFailure: 'the worker died' });
  expect(cut).toMatchObject({ submission: 'alice', load: { status: 'loaded' }, graderFailure: 'the worker died' });
  expect(Object.keys(cut).sort()).toEqual(['graderFailure', 'load', 'maxScore', 'score', 'submission']);
});
