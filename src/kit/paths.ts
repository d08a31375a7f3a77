/**
 * Where the files of a student kit are, for the kit's bundled checker (`check.mjs`): it replaces
 * src/paths.ts in the bundle. The bundle's `__dirname` is the kit's `.mlgrade/` folder, which holds
 * the report templates (`reports/html/`), the sandbox child and the bundled modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The kit's `.mlgrade/` folder. */
export function packageRoot(): string {
  return __dirname;
}

export function distDir(): string {
  return __dirname;
}

/** The mlgrade version that built the kit. */
export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8')).version;
}
