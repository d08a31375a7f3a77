/**
 * The processes this process started, directly or not (jest workers and the sandboxes under
 * them), so that an interrupted run can end them all before it removes their folders: jest's
 * workers would otherwise grade the rest of their batch after the grader is gone.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/** Parent of every process this user can see, by pid: from /proc on Linux, from `ps` elsewhere. */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  if (fs.existsSync('/proc/self/stat')) {
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        // "pid (command) state ppid …": the command may hold spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        parents.set(Number(name), Number(fields[1]));
      } catch {
        /* ended meanwhile */
      }
    }
    return parents;
  }
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const line of (ps.stdout ?? '').split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid && ppid !== undefined) parents.set(pid, ppid);
  }
  return parents;
}

/** Pids of every descendant of `root` (children, their children…). */
export function descendantPids(root: number = process.pid): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentsByPid()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** True while `pid` runs (a zombie, ended but not yet reaped, counts as ended). */
function running(pid: number): boolean {
  if (fs.existsSync('/proc/self/stat')) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat[stat.lastIndexOf(')') + 2] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Kills (SIGKILL) every descendant of this process and waits, at most `timeoutMs`, until they have
 * ended. Synchronous, for a signal handler. Returns how many were killed.
 */
export function killDescendants(timeoutMs = 2000): number {
  const killed = new Set<number>();
  // Twice: a worker may have started a sandbox between the listing and its own end.
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const pid of descendantPids()) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch {
        /* already gone */
      }
    }
  }
  const deadline = Date.now() + timeoutMs;
  while ([...killed].some(running) && Date.now() < deadline) sleepSync(20);
  return killed.size;
}
