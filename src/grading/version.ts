/**
 * The grader version recorded in each result: mlgrade's version plus a hash of the compiled
 * suite and the assignment spec, so that a changed grader regrades and an unchanged one may skip.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedAssignment } from '../assignments/spec';
import { distDir, packageVersion } from '../paths';

function hashTree(hash: crypto.Hash, dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, full);
    else if (entry.isFile() && entry.name.endsWith('.js')) hash.update(entry.name).update(fs.readFileSync(full));
  }
}

const cache = new Map<string, string>();

export function graderVersion(assignment: ResolvedAssignment): string {
  const hit = cache.get(assignment.specFile);
  if (hit) return hit;
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(assignment.specFile));
  for (const part of [path.join('graders', assignment.grader), path.join('graders', 'lib'), 'reference', path.join('src', 'sandbox')]) hashTree(hash, path.join(distDir(), part));
  const version = `${packageVersion()}+${hash.digest('hex').slice(0, 12)}`;
  cache.set(assignment.specFile, version);
  return version;
}
