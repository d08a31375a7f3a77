/**
 * Re-runs a task whenever a source file in a folder is saved (debounced; one run at a time): the
 * `--watch` of `mlgrade check` and of a student kit's `node check.mjs`.
 */
import * as fs from 'node:fs';

const SOURCE_FILE = /\.(ts|js|mts|cts|mjs|cjs|py|ipynb|json)$/;

/**
 * Calls `task` after every save of a source file in `dir` (an error it throws goes to `onError`
 * and the watch goes on); never resolves (the process is interrupted), and rejects when watching
 * itself fails (the folder removed, no watches left).
 */
export function watchFolder(dir: string, task: () => Promise<unknown>, announce: (line: string) => void, onError: (error: unknown) => void): Promise<never> {
  announce(`\nWatching ${dir} — save a file to check again (Ctrl-C to stop).\n`);
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
        announce('\n' + '─'.repeat(60) + '\n');
        try {
          await task();
        } catch (error) {
          // One failed check (say, the report file could not be written) does not end the watch.
          onError(error);
        }
      } while (again);
      running = false;
    }, 150);
  };
  const watcher = fs.watch(dir, { recursive: false }, (_event, file) => {
    if (file && SOURCE_FILE.test(String(file))) trigger();
  });
  // The folder removed, or the system out of watches: the watch ends with that error (the CLI
  // says it in one line), not with an unhandled 'error' event.
  return new Promise<never>((_resolve, reject) => {
    watcher.on('error', (error) => {
      watcher.close();
      reject(error);
    });
  });
}
