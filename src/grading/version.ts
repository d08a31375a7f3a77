/**
 * The grader version recorded in each result: mlgrade's version plus a hash of the assignment
 * spec, the course's suite folder, its reference's folder and the engine's suite and sandbox code,
 * so that a changed grader regrades and an unchanged one may skip.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedAssignment } from '../assignments/spec';
import { distDir, packageVersion } from '../paths';

const CODE = /\.(?:[cm]?[jt]s|json|py)$/;

function hashTree(hash: crypto.Hash, dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') hashTree(hash, full);
    else if (entry.isFile() && CODE.test(entry.name)) hash.update(entry.name).update(fs.readFileSync(full));
  }
}

const cache = new Map<string, string>();

export function graderVersion(assignment: ResolvedAssignment): string {
  const hit = cache.get(assignment.specFile);
  if (hit) return hit;
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(assignment.specFile));
  const course = [path.dirname(assignment.graderEntry), ...(assignment.referenceModule ? [path.dirname(assignment.referenceModule)] : [])];
  const engine = [path.join('src', 'suite'), path.join('src', 'sandbox')].map((part) => path.join(distDir(), part));
  for (const dir of [...course, ...engine]) hashTree(hash, dir);
  const version = `${packageVersion()}+${hash.digest('hex').slice(0, 12)}`;
  cache.set(assignment.specFile, version);
  return version;
}
