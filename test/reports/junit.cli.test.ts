/**
 * JUnit through the real CLI: `grade --junit` shows hidden tests by name and pass/fail only (JUnit
 * files reach CI pages students read); an instructor's `--junit-include-hidden` (on grade or
 * merge) writes them in full.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { xmlAttr } from '../../reports/junit';
import { EXAMPLES, readResult, runCli, tempDir } from '../support/cli';

const ID = 'grad-missing-1-over-n';
let out: string;
let dir: string;

beforeAll(() => {
  const classDir = tempDir('mlgrade-junit-class-');
  fs.cpSync(path.join(EXAMPLES, ID), path.join(classDir, ID), { recursive: true });
  dir = tempDir('mlgrade-junit-out-');
  out = path.join(dir, 'out');
  const run = runCli(['grade', 'losses', classDir, '--out', out, '--junit', path.join(dir, 'default.xml')]);
  expect(run.status).toBe(0);
});

/** The first line of each failing hidden test's message, as the JUnit attribute would carry it. */
function hiddenMessages(): string[] {
  const failing = readResult(out, ID).tests.filter((t) => t.visibility === 'hidden' && t.status !== 'passed');
  expect(failing.length).toBeGreaterThan(0);
  return failing.map((t) => xmlAttr(t.message.split('\n')[0]));
}

test('by default a hidden failure is "hidden test failed", with none of its message', () => {
  const xml = fs.readFileSync(path.join(dir, 'default.xml'), 'utf8');
  expect(xml).toContain('message="hidden test failed"');
  for (const message of hiddenMessages()) expect(xml).not.toContain(message);
});

test('--junit-include-hidden writes hidden failures in full (merge regenerates the file)', () => {
  const full = path.join(dir, 'full.xml');
  const run = runCli(['merge', out, '--out', out, '--junit', full, '--junit-include-hidden']);
  expect(run.status).toBe(0);
  const xml = fs.readFileSync(full, 'utf8');
  expect(xml).not.toContain('hidden test failed');
  for (const message of hiddenMessages()) expect(xml).toContain(message);
});
