/**
 * A grader worker collects the previous test file's garbage before the next file: a full
 * collection, without leaving `gc` in the contexts jest creates afterwards.
 */
import * as vm from 'node:vm';
import { collectGarbage } from '../../src/grading/collectGarbage';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('collects an object nothing refers to any more', async () => {
  let weak: WeakRef<object> | undefined;
  (() => {
    weak = new WeakRef({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) });
  })();
  // A WeakRef keeps its target alive until the end of the job that made it.
  await nextTurn();
  collectGarbage();
  await nextTurn();
  expect(weak!.deref()).toBeUndefined();
});

test('later contexts (test environments) get no gc of their own', () => {
  collectGarbage();
  expect(vm.runInNewContext('typeof gc')).toBe('undefined');
  expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
});
