/**
 * Finds the submissions under a path: the path itself when it holds the entry file, else each
 * sub-folder (id = folder name), sorted so that ids and order are deterministic.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findEntry } from '../sandbox/stage';

export interface SubmissionRef {
  id: string;
  dir: string;
}

export class SubmissionPathError extends Error {
  override readonly name = 'SubmissionPathError';
}

export function discoverSubmissions(target: string, entryBase: string): SubmissionRef[] {
  const dir = path.resolve(target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new SubmissionPathError(`No such folder: ${target}`);
  }
  if (!stat.isDirectory()) throw new SubmissionPathError(`${target} is not a folder (pass a submission folder, or a folder of submission folders)`);
  if (findEntry(dir, entryBase)) return [{ id: path.basename(dir), dir }];
  const children = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
    .map((d) => d.name)
    .sort();
  if (children.length === 0) {
    throw new SubmissionPathError(`${target} holds neither ${entryBase}.ts / ${entryBase}.js nor sub-folders of submissions`);
  }
  return children.map((name) => ({ id: name, dir: path.join(dir, name) }));
}
