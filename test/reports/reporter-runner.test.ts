/**
 * One failing output format never loses results or stops the other reporters.
 */
import { ReporterRunner, type Reporter, type RunInfo } from '../../reports/reporter';
import type { SubmissionResult } from '../../src/types';

const run: RunInfo = { assignment: { id: 'losses', title: 'Losses' }, outDir: '/tmp/none', scope: 'all', startedAt: new Date(0) };
const result = (submission: string) => ({ submission, assignment: 'losses', score: 1, maxScore: 1, tests: [] }) as unknown as SubmissionResult;

test('a throwing or rejecting reporter is recorded by name and the others still run', async () => {
  const seen: string[] = [];
  const reporters: Reporter[] = [
    { name: 'broken', onResult: () => { throw new Error('template typo'); } },
    { name: 'async-broken', onResult: async () => { throw new Error('disk full'); }, onRunComplete: () => { throw new Error('no dashboard'); } },
    { name: 'fine', onResult: (r) => { seen.push(`result ${r.submission}`); }, onRunComplete: (rs) => { seen.push(`complete ${[...rs].length}`); } },
  ];
  const runner = new ReporterRunner(reporters);
  runner.result(result('a'), run);
  runner.result(result('b'), run);
  await runner.complete([result('a'), result('b')], run);
  expect(seen).toEqual(['result a', 'result b', 'complete 2']);
  expect(runner.failures).toEqual([
    'the broken reporter failed for a: template typo',
    'the broken reporter failed for b: template typo',
    'the async-broken reporter failed for a: disk full',
    'the async-broken reporter failed for b: disk full',
    'the async-broken reporter failed at the end of the run: no dashboard',
  ]);
});
