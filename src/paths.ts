/**
 * Where mlgrade's own files are: the package root (with package.json), and the compiled
 * grading suites under dist/ (suites always run compiled, without a TypeScript transform).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/** The folder holding mlgrade's package.json (works from src/ under ts-jest and from dist/src/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'mlgrade') return (root = dir);
    dir = path.dirname(dir);
  }
  throw new Error(`mlgrade: cannot find mlgrade's package.json above ${__dirname}`);
}

/** The compiled output folder. */
export function distDir(): string {
  return path.join(packageRoot(), 'dist');
}

/** mlgrade's version from package.json. */
export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
}
