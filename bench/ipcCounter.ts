/**
 * Preloaded into a profiled grading run (`NODE_OPTIONS=--require …/ipcCounter.js`) to count the
 * processes started through `child_process.spawn` (the sandboxes: jest forks its workers through
 * Node's internal spawn, which this does not see) and the IPC messages sent to them (loads,
 * calls). Each process writes `$MLGRADE_BENCH_COUNT_DIR/<pid>.json` when it exits. Sandbox
 * processes get a scrubbed environment, so this never runs inside one.
 */
// The module object itself (not a namespace copy), so that `spawn` can be replaced on it.
import childProcess = require('node:child_process');
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = process.env.MLGRADE_BENCH_COUNT_DIR;
if (dir) {
  const counts = { spawns: 0, sends: 0 };
  const spawn = childProcess.spawn;
  (childProcess as { spawn: unknown }).spawn = function (this: unknown, ...args: unknown[]) {
    counts.spawns += 1;
    const child = (spawn as (...a: unknown[]) => childProcess.ChildProcess).apply(this, args);
    // Node puts `send` on each child with an IPC channel, not on the prototype.
    const send = child.send;
    if (typeof send === 'function') {
      child.send = function (this: childProcess.ChildProcess, ...sendArgs: unknown[]) {
        counts.sends += 1;
        return (send as (...a: unknown[]) => boolean).apply(this, sendArgs);
      } as typeof child.send;
    }
    return child;
  };
  process.on('exit', () => fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(counts)));
}
