/**
 * The class-wide reporters read a run's results one at a time (a class run reads them back from
 * its result.json files): each makes one pass, holds no result it was given, and writes the same
 * files as from results held in memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dashboardView, renderDashboardHtml, writeDashboard } from '../../reports/html';
import { createReporters } from '../../reports/index';
import { toJUnitXml, writeJUnitXml } from '../../reports/junit';
import { ReporterRunner, type RunInfo, type RunResults } from '../../reports/reporter';
import { ResultStore } from '../../src/grading/resultStore';
import type { SubmissionResult } from '../../src/types';
import { tempDir } from '../support/cli';
import { loadFailedResult, perfectResult, sampleResult } from './fixtures';

/** A class with every kind of row: failures and diagnoses, a load failure, Canvas users (one shared), late flags. */
function classResults(): SubmissionResult[] {
  const canvas = (result: SubmissionResult, userId: string, late?: boolean): SubmissionResult => ({
    ...result,
    origin: { lms: 'canvas', userId, student: `${result.submission}-name`, late },
  });
  return [
    canvas(sampleResult({ submission: 'zoe' }), '11', true),
    canvas(perfectResult('carol'), '12', false),
    canvas(loadFailedResult('bob'), '13'),
    canvas(sampleResult({ submission: 'dan', durationMs: 77 }), '14'),
    canvas(perfectResult('eve'), '14'),
    perfectResult('frank'),
    loadFailedResult('gina'),
  ];
}

/** The results of `source`, each pass yielding fresh copies; counts how often it was iterated. */
function countedPasses(source: readonly SubmissionResult[]): RunResults & { passes: number; yielded: number } {
  const counted = {
    passes: 0,
    yielded: 0,
    *[Symbol.iterator]() {
      counted.passes += 1;
      for (const result of source) {
        counted.yielded += 1;
        yield JSON.parse(JSON.stringify(result)) as SubmissionResult;
      }
    },
  };
  return counted;
}

const run = (outDir: string): RunInfo => ({ assignment: { id: 'losses', title: 'Losses and gradients' }, outDir, scope: 'all', startedAt: new Date('2026-11-25T15:00:00Z') });

/** Every class-wide file of a run, by name (summary.json without its generation time). */
function classFiles(outDir: string, junit: string, githubSummary: string): Record<string, string> {
  const read = (file: string) => fs.readFileSync(file, 'utf8');
  const summary = JSON.parse(read(path.join(outDir, 'summary.json'))) as { generatedAt?: string };
  delete summary.generatedAt;
  return {
    'grades.csv': read(path.join(outDir, 'grades.csv')),
    'summary.json': JSON.stringify(summary),
    'canvas-gradebook.csv': read(path.join(outDir, 'canvas-gradebook.csv')),
    'index.html': read(path.join(outDir, 'index.html')),
    junit: read(junit),
    githubSummary: read(githubSummary),
  };
}

/** Saves the class's results in a fresh output folder and runs every class-wide reporter over them, as given or read back. */
async function writeClassFiles(from: 'memory' | 'disk'): Promise<{ files: Record<string, string>; failures: string[] }> {
  const outDir = tempDir('mlgrade-stream-');
  const all = classResults();
  const store = new ResultStore(outDir);
  for (const result of all) expect(store.save(result)).toBeUndefined();
  const results = from === 'disk' ? store.results(all.map((r) => r.submission)) : all;
  const junit = path.join(outDir, 'junit.xml');
  const githubSummary = path.join(outDir, 'step-summary.md');
  const reporters = new ReporterRunner(createReporters({ junit, env: { GITHUB_STEP_SUMMARY: githubSummary }, canvasAssignment: '4521' }));
  await reporters.complete(results, run(outDir));
  return { files: classFiles(outDir, junit, githubSummary), failures: [...reporters.failures] };
}

test('class files read back one result at a time from result.json equal those from results in memory', async () => {
  const inMemory = await writeClassFiles('memory');
  const fromDisk = await writeClassFiles('disk');
  expect(fromDisk.files).toEqual(inMemory.files);
  expect(fromDisk.failures).toEqual(inMemory.failures);
  // The class is in every file (a spot check that the comparison compares something).
  expect(fromDisk.files['grades.csv'].trim().split('\n')).toHaveLength(1 + classResults().length);
  expect(fromDisk.failures.join('\n')).toMatch(/Canvas user 14 has 2 submissions/);
  expect(fromDisk.files.junit.match(/<testsuite /g)).toHaveLength(classResults().length);
});

test('each class-wide reporter makes exactly one pass over the results', async () => {
  const outDir = tempDir('mlgrade-stream-');
  const results = countedPasses(classResults());
  const reporters = createReporters({ junit: path.join(outDir, 'junit.xml'), env: { GITHUB_STEP_SUMMARY: path.join(outDir, 'summary.md') }, canvasAssignment: '4521' });
  const runner = new ReporterRunner(reporters);
  await runner.complete(results, run(outDir));
  const classWide = reporters.filter((r) => r.onRunComplete).map((r) => r.name);
  expect(classWide).toEqual(['csv', 'summary', 'Canvas gradebook', 'html', 'junit', 'GitHub summary']);
  expect(results.passes).toBe(classWide.length);
  expect(results.yielded).toBe(classWide.length * classResults().length);
});

test('the JUnit file written as results go by is the document toJUnitXml builds, and replaces the old one whole', () => {
  const dir = tempDir('mlgrade-stream-');
  const file = path.join(dir, 'reports', 'junit.xml');
  for (const includeHidden of [false, true]) {
    const written = writeJUnitXml(file, countedPasses(classResults()), run(dir), { includeHidden });
    expect(written).toBe(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(toJUnitXml(classResults(), run(dir), { includeHidden }));
  }
  expect(toJUnitXml([], run(dir))).toBe(
    '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mlgrade losses" tests="0" failures="0" errors="0" skipped="0" time="0.000">\n</testsuites>\n',
  );
  writeJUnitXml(file, [], run(dir));
  expect(fs.readFileSync(file, 'utf8')).toBe(toJUnitXml([], run(dir)));
  // No temporary body or half file is left beside it.
  expect(fs.readdirSync(path.dirname(file))).toEqual(['junit.xml']);
});

test('a result that cannot be read back makes the class files fail with its path, not go missing from them', async () => {
  const outDir = tempDir('mlgrade-stream-');
  const store = new ResultStore(outDir);
  for (const result of classResults()) store.save(result);
  const broken = path.join(outDir, 'submissions');
  const folder = fs.readdirSync(broken).find((name) => name.startsWith('bob-'))!;
  fs.writeFileSync(path.join(broken, folder, 'result.json'), '{"submission": "bo');
  const runner = new ReporterRunner(createReporters({ env: {} }));
  await runner.complete(store.results(classResults().map((r) => r.submission)), run(outDir));
  expect(runner.failures.length).toBeGreaterThan(0);
  for (const failure of runner.failures) expect(failure).toMatch(/at the end of the run: the result of bob could not be read back from .*result\.json/);
});

test('the dashboard written a row at a time is the page rendered whole, hostile ids escaped', () => {
  const hostile = { ...loadFailedResult('<!--mlgrade:dashboard-rows--> <b>"x"</b>'), origin: undefined };
  const results = [...classResults(), hostile];
  const file = writeDashboard(tempDir('mlgrade-stream-'), countedPasses(results), run('/out'));
  const page = fs.readFileSync(file, 'utf8');
  expect(page).toBe(renderDashboardHtml(dashboardView(results, run('/out'))));
  // Every submission has its row, in id order, and student text stays text.
  const ids = [...page.matchAll(/<th scope="row" class="id" data-sort="([^"]*)"/g)].map((m) => m[1]);
  expect(ids).toHaveLength(results.length);
  expect(ids[0]).toBe('&lt;!--mlgrade:dashboard-rows--&gt; &lt;b&gt;&quot;x&quot;&lt;/b&gt;');
  expect(page).not.toContain('<!--mlgrade:dashboard-rows-->');
});
