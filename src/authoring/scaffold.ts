/**
 * Course scaffolding: `mlgrade init` makes a course repository, `mlgrade new <id>` adds an
 * assignment to it (a Huber loss and its gradient as the pattern to edit), and
 * `mlgrade new <id> --from losses` copies one of mlgrade's built-in assignments into it to adapt.
 *
 * A course keeps `assignments/<id>/` (spec, handout, starter, examples, mutants),
 * `reference/<entry>.ts` (the reference solution) and `graders/<id>/index.ts` (the suite) side by
 * side; suites and references are TypeScript that runs without a build step and imports only
 * `mlgrade/suite` and `mlgrade/reference`. Nothing is ever written inside node_modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { courseRoot } from '../assignments/spec';
import { packageRoot, packageVersion } from '../paths';
import { courseFiles } from './templates/course';
import { assignmentFiles } from './templates/assignment';

export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
}

/** `huber-loss` → `huberLoss` (the entry file and function-name stem of a new assignment). */
export const camelCase = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function checkId(id: string): void {
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new ScaffoldError(`the assignment id must be lower-case letters, digits and dashes, starting with a letter (got "${id}")`);
}

function insideNodeModules(dir: string): boolean {
  return path.resolve(dir).split(path.sep).includes('node_modules');
}

/** Writes `files` (relative path → content) under `root`; refuses when any exists (but those in `replace`). Returns the paths. */
function writeFiles(root: string, files: Record<string, string>, replace: readonly string[] = []): string[] {
  const existing = Object.keys(files).filter((file) => !replace.includes(file) && fs.existsSync(path.join(root, file)));
  if (existing.length) throw new ScaffoldError(`${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${root}: nothing was written`);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return Object.keys(files).sort();
}

/**
 * Scaffolds a course repository in `dir` (created if needed): package.json with mlgrade as a
 * devDependency, tsconfig.json, .gitignore, README.md, empty assignments/, reference/, graders/,
 * and the workflow that grades students' repositories on the course's own runner.
 */
export function initCourse(dir: string, options: { name?: string } = {}): { root: string; files: string[] } {
  const root = path.resolve(dir);
  if (insideNodeModules(root)) throw new ScaffoldError(`refusing to create a course inside node_modules (${root}): run \`npx mlgrade init\` in your course folder`);
  const name = options.name ?? (path.basename(root).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'ml-course');
  fs.mkdirSync(root, { recursive: true });
  const files = courseFiles({ name, mlgradeVersion: packageVersion() });
  // A package.json that is already there (e.g. from `npm install --save-dev mlgrade`) is merged: its
  // name, dependencies and scripts are kept, the course's scripts and devDependencies are added.
  const manifest = path.join(root, 'package.json');
  const merge = fs.existsSync(manifest);
  if (merge) files['package.json'] = mergedManifest(manifest, JSON.parse(files['package.json']));
  return { root, files: writeFiles(root, files, merge ? ['package.json'] : []) };
}

type Manifest = Record<string, unknown> & { scripts?: Record<string, string>; devDependencies?: Record<string, string>; dependencies?: Record<string, string> };

/** An existing package.json with the course's scripts and devDependencies added where missing. */
function mergedManifest(file: string, course: Manifest): string {
  let existing: Manifest;
  try {
    existing = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (error) {
    throw new ScaffoldError(`${file} is not valid JSON (${(error as Error).message}): fix it or remove it, then run init again`);
  }
  const installed = { ...existing.dependencies, ...existing.devDependencies };
  const devDependencies = { ...existing.devDependencies };
  for (const [name, range] of Object.entries(course.devDependencies ?? {})) if (!(name in installed)) devDependencies[name] = range;
  return JSON.stringify({ ...course, ...existing, scripts: { ...course.scripts, ...existing.scripts }, devDependencies }, null, 2) + '\n';
}

/** The course folder to write into: the nearest one above `cwd` holding assignments/, never one in node_modules. */
function targetCourse(cwd: string): string {
  const root = courseRoot(cwd);
  if (!root) throw new ScaffoldError(`no course here: ${path.resolve(cwd)} and the folders above it hold no assignments/ folder; run \`npx mlgrade init\` first`);
  if (insideNodeModules(root)) throw new ScaffoldError(`the course folder found (${root}) is inside node_modules: run mlgrade from your course folder`);
  return root;
}

/**
 * Adds assignment `id` to the course in (or above) `cwd`: the spec, handout, starter, a correct and a
 * faulty example, mutants.ts, the reference and the suite, all for a Huber loss to edit.
 */
export function newAssignment(id: string, cwd = process.cwd()): { root: string; files: string[] } {
  checkId(id);
  const root = targetCourse(cwd);
  return { root, files: writeFiles(root, assignmentFiles(id, camelCase(id))) };
}

/** The files of `dir` under `prefix`, recursively (regular files only). */
function treeFiles(dir: string, prefix: string, keep: (relative: string) => boolean = () => true): Record<string, string> {
  const files: Record<string, string> = {};
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const relative = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (keep(relative)) files[`${prefix}/${relative}`] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

/** The copied suite's files, importing the course's reference module instead of mlgrade's, so that editing it changes what the suite expects. */
function usingCourseReference(files: Record<string, string>, entry: string): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([file, text]) => [file, text.replace(/from 'mlgrade\/reference'/g, `from '../../reference/${entry}'`)]));
}

/**
 * Copies built-in assignment `from` (e.g. `losses`) into the course as `id`: its spec (pointed at
 * the copied suite and at a reference module that re-exports mlgrade's), handout, starter,
 * examples, mutants and suite — to adapt (change seeds, hidden cases, points…).
 */
export function copyBuiltInAssignment(from: string, id: string, cwd = process.cwd()): { root: string; files: string[] } {
  checkId(id);
  const builtIn = path.join(packageRoot(), 'assignments', from);
  const specFile = path.join(builtIn, 'assignment.json');
  if (!fs.existsSync(specFile)) {
    const known = fs.readdirSync(path.join(packageRoot(), 'assignments')).filter((d) => fs.existsSync(path.join(packageRoot(), 'assignments', d, 'assignment.json')));
    throw new ScaffoldError(`no built-in assignment "${from}" (built in: ${known.join(', ')})`);
  }
  const root = targetCourse(cwd);
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as { id: string; entry: string; grader: string; [key: string]: unknown };
  const copied = { ...spec, id, grader: id, reference: `../../reference/${spec.entry}.ts` };
  const files: Record<string, string> = {
    [`assignments/${id}/assignment.json`]: JSON.stringify(copied, null, 2) + '\n',
    ...treeFiles(builtIn, `assignments/${id}`, (relative) => relative !== 'assignment.json'),
    ...usingCourseReference(treeFiles(path.join(packageRoot(), 'graders', spec.grader), `graders/${id}`), spec.entry),
    [`reference/${spec.entry}.ts`]: `/**\n * Reference of "${id}", copied from mlgrade's built-in "${from}": mlgrade's reference math.\n * Replace or extend it to change what the suite expects.\n */\nexport * from 'mlgrade/reference';\n`,
  };
  return { root, files: writeFiles(root, files) };
}
