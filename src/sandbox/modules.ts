/**
 * Packages a submission may import, resolved from the grader's own node_modules, and the
 * folders the sandbox must be allowed to read for them (the package and its dependencies).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AllowedModules {
  /** bare specifier → absolute entry file */
  entries: Record<string, string>;
  /** package folders the child may read */
  readDirs: string[];
}

function packageDirOf(entryFile: string, name: string): string {
  let dir = path.dirname(entryFile);
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === name) return dir;
      } catch {
        /* keep walking */
      }
    }
    dir = path.dirname(dir);
  }
  throw new Error(`allowed module ${name}: cannot find its package folder from ${entryFile}`);
}

function findPackageDir(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  while (true) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const cache = new Map<string, AllowedModules>();

/** Resolves the allowed packages (default: mathjs) and the folders they need, transitively. */
export function resolveAllowedModules(names: readonly string[] = ['mathjs']): AllowedModules {
  const key = names.join(',');
  const hit = cache.get(key);
  if (hit) return hit;
  const entries: Record<string, string> = {};
  const readDirs = new Set<string>();
  const visit = (pkgDir: string): void => {
    if (readDirs.has(pkgDir)) return;
    readDirs.add(pkgDir);
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      const found = findPackageDir(dependency, pkgDir);
      if (found) visit(found);
    }
  };
  for (const name of names) {
    const entry = require.resolve(name);
    entries[name] = entry;
    visit(packageDirOf(entry, name));
  }
  const resolved = { entries, readDirs: [...readDirs] };
  cache.set(key, resolved);
  return resolved;
}
