/**
 * `check --watch`: run a task again whenever the student saves a source file.
 */
import * as fs from 'node:fs';
import { describeError } from './errors';

/**
 * Re-runs `task` whenever a source file in `dir` is saved (debounced; one run at a time).
 * Resolves only when the process is interrupted.
 */
export function watchFolder(dir: string, task: () => Promise<unknown>): Promise<number> {
  process.stdout.write(`\nWatching ${dir} — save a file to check again (Ctrl-C to stop).\n`);
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const trigger = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      do {
        again = false;
        process.stdout.write('\n' + '─'.repeat(60) + '\n');
        try {
          await task();
        } catch (error) {
          // One failed check (say, the report file could not be written) does not end the watch.
          process.stderr.write(describeError(error).text);
        }
      } while (again);
      running = false;
    }, 150);
  };
  fs.watch(dir, { recursive: false }, (_event, file) => {
    if (file && /\.(ts|js|mts|cts|mjs|cjs|json)$/.test(String(file))) trigger();
  });
  return new Promise(() => undefined);
}
