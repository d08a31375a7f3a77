/**
 * Builds an assignment's mutants (assignments/<id>/mutants.ts) as ordinary submissions, so that a
 * test can grade them with the real CLI: each submission folder holds a copy of the compiled
 * reference (dist/reference and the dist/src files it requires), the mutants module transpiled to
 * CommonJS, and an entry file that exports the mutated functions. `npm run build` must have run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transform } from 'sucrase';
import { ROOT } from './cli';

/** Copies dist/reference/**.js and the dist/src modules it requires into `dest/reference` and `dest/src`. */
function copyReference(dest: string): void {
  fs.cpSync(path.join(ROOT, 'dist', 'reference'), path.join(dest, 'reference'), { recursive: true, filter: (src) => !src.endsWith('.d.ts') });
  fs.mkdirSync(path.join(dest, 'src'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'dist', 'src', 'arguments.js'), path.join(dest, 'src', 'arguments.js'));
}

/** The mutants module as CommonJS, `mlgrade/suite` replaced by a local identity `defineMutants`. */
function mutantsModule(assignment: string): string {
  const source = fs.readFileSync(path.join(ROOT, 'assignments', assignment, 'mutants.ts'), 'utf8');
  const code = transform(source, { transforms: ['typescript', 'imports'], filePath: 'mutants.ts' }).code;
  return code.replace(/require\(['"]mlgrade\/suite['"]\)/g, "({ defineMutants: (m) => m })");
}

/** The names of an assignment's mutants, in order. */
export function mutantNames(assignment: string): string[] {
  const module = { exports: {} as { default?: { name: string }[] } };
  new Function('module', 'exports', 'require', mutantsModule(assignment))(module, module.exports, require);
  return (module.exports.default ?? []).map((m) => m.name);
}

/**
 * Writes one submission folder per mutant (named after it) and `reference-solution` (the
 * unmutated reference) into `dir`; `entry` is the assignment's entry file name (`train.js`) and
 * `exportsList` the functions it exports.
 */
export function writeMutantSubmissions(assignment: string, dir: string, entry: string, exportsList: string[]): string[] {
  const names = mutantNames(assignment);
  const mutants = mutantsModule(assignment);
  for (const name of ['reference-solution', ...names]) {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder, { recursive: true });
    copyReference(path.join(folder, 'ref'));
    fs.writeFileSync(path.join(folder, 'mutants.js'), mutants);
    const pick = name === 'reference-solution' ? 'R' : `require('./mutants.js').default.find((m) => m.name === ${JSON.stringify(name)}).mutate(R)`;
    fs.writeFileSync(
      path.join(folder, entry),
      `'use strict';\nconst R = require('./ref/reference/index.js');\nconst M = ${pick};\nmodule.exports = { ${exportsList.map((fn) => `${fn}: M.${fn}`).join(', ')} };\n`,
    );
  }
  return names;
}
