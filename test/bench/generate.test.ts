/**
 * The benchmark's class generator (not the benchmark itself: no timings in `npm test`):
 * N valid submission folders, the requested mix, distinct content.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_MIX, allocate, generateClass } from '../../bench/generate';
import { discoverSubmissions } from '../../src/grading/discover';
import { hashSubmission } from '../../src/grading/grade';
import { findEntry } from '../../src/sandbox/stage';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-gen-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('allocate splits n by the shares and adds up to n', () => {
  expect(allocate(200, DEFAULT_MIX)).toEqual({ correct: 120, 'grad-missing-1-over-n': 16, 'flipped-sign-gradients': 16, 'numerically-naive': 16, 'mse-half-convention': 16, 'softmax-wrong-axis': 16 });
  const odd = allocate(7, DEFAULT_MIX);
  expect(Object.values(odd).reduce((s, c) => s + c, 0)).toBe(7);
  expect(odd.correct).toBe(4);
});

test('generateClass writes N submission folders that discoverSubmissions accepts, each with distinct content', async () => {
  const generated = generateClass({ n: 25, dir });
  const found = await discoverSubmissions(dir, 'losses');
  expect(found.map((s) => s.id)).toEqual(generated.map((s) => s.id));
  expect(found).toHaveLength(25);
  for (const s of found) {
    expect(findEntry(s.dir, 'losses')).toBe('losses.ts');
    expect(fs.readdirSync(s.dir)).not.toContain('FAULT.md');
  }
  expect(new Set(found.map((s) => hashSubmission(s.dir))).size).toBe(25);
  expect(generated.filter((s) => s.example === 'correct')).toHaveLength(15);
  expect(fs.readdirSync(path.join(dir, generated.find((s) => s.example === 'correct')!.id)).sort()).toEqual(['activations.ts', 'losses.ts']);
  // Deterministic: the same seed deals the examples out in the same order.
  const again = generateClass({ n: 25, dir: path.join(dir, 'again') });
  expect(again.map((s) => s.example)).toEqual(generated.map((s) => s.example));
});
