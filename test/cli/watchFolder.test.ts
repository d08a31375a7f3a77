/**
 * `--watch` (mlgrade check and the kit's check.mjs): a failure of the watch itself (the system
 * out of watches, the folder gone) ends the watch with that error instead of crashing the process
 * on an unhandled 'error' event.
 */
import { EventEmitter } from 'node:events';
import { watchFolder } from '../../src/watchFolder';

const mockWatcher = Object.assign(new EventEmitter(), { close: jest.fn() });
jest.mock('node:fs', () => ({ ...jest.requireActual('node:fs'), watch: () => mockWatcher }));

test('an error of the watcher rejects the watch, and the watcher is closed', async () => {
  const lines: string[] = [];
  const watching = watchFolder('/some/folder', async () => undefined, (line) => lines.push(line), () => undefined);
  mockWatcher.emit('error', Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' }));
  await expect(watching).rejects.toThrow(/file watchers reached/);
  expect(mockWatcher.close).toHaveBeenCalled();
  expect(lines.join('')).toMatch(/Watching \/some\/folder/);
});
