/**
 * `mlgrade dist <assignment> --out <dir>`: the student kit. A folder a student uses with Node ≥ 20
 * and nothing else installed — no npm install, no network:
 *
 *   README.md            the handout
 *   <entry>.ts …          the starter files of the kit's language, to edit in place
 *   check.mjs            the checker: `node check.mjs [--watch] [--report file.html]`
 *   CHECKING.md          how to check, and what the checks are
 *   package.json         `npm test` = `node check.mjs` (no dependencies)
 *   .github/workflows/   the public checks on every push (the kit doubles as a template repository)
 *   .mlgrade/            the public checks (plans with precomputed inputs and expected values), the
 *                        sandbox child (and the Python runner when the assignment accepts Python), the
 *                        report templates and the modules a submission may import
 *
 * The kit holds no reference code, no example solution and no hidden check: the suite is declared
 * for the public scope only, so hidden checks are not even computed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment, type Language } from '../assignments/spec';
import { entryFileWords, entryOf, languageOfEntry } from '../grading/entryFile';
import { distDir, packageRoot, packageVersion } from '../paths';
import { KIT_FORMAT, serializeKitSpec, type KitSpec } from '../kit/spec';
import type { CheckMeta } from '../types';
import { bundleModule } from './bundleModule';
import { declareSuite } from './declareSuite';
import { studentWorkflow } from './templates/kit';

/** Thrown when a kit cannot be built where asked; the message says why. */
export class KitBuildError extends Error {
  override readonly name = 'KitBuildError';
}

/** Copies the regular files under `from` into `to` (those `keep` accepts); returns their paths relative to `base`. */
function copyTree(from: string, to: string, base: string, keep: (name: string) => boolean = () => true): string[] {
  const written: string[] = [];
  for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !keep(entry.name)) continue;
    const source = path.join(entry.parentPath, entry.name);
    const target = path.join(to, path.relative(from, source));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
    written.push(path.relative(base, target).split(path.sep).join('/'));
  }
  return written;
}

/** Refuses a non-empty folder that is not an earlier kit (a kit is rebuilt in place). */
function prepareOutDir(out: string): void {
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory()) throw new KitBuildError(`${out} is a file: give a folder for the kit`);
    const earlierKit = fs.existsSync(path.join(out, '.mlgrade', 'checks.json'));
    if (!earlierKit && fs.readdirSync(out).length > 0) throw new KitBuildError(`${out} is not empty and holds no earlier kit: give a new or empty folder`);
    if (earlierKit) fs.rmSync(path.join(out, '.mlgrade'), { recursive: true, force: true });
  }
  fs.mkdirSync(out, { recursive: true });
}

/** What CHECKING.md says about Python: the names, what to install, and the sandbox on the student's machine. */
function pythonGuide(spec: KitSpec, language: Language): string[] {
  const python = spec.assignment.python;
  if (!python) return [];
  const names = spec.assignment.exports.map((e) => `\`${python.names[e] ?? e}\``).join(', ');
  const entry = spec.assignment.entry;
  return [
    '## Python',
    '',
    language === 'python'
      ? `Write your solution in \`${entry}.py\`, or in the notebook \`${entry}.ipynb\` and delete \`${entry}.py\` (when both are here, \`${entry}.py\` is checked). A notebook's code cells run in order; IPython magics and shell lines are skipped, and a cell tagged \`mlgrade-skip\` is not run.`
      : `This assignment may also be written in Python: \`${entry}.py\`, or a notebook \`${entry}.ipynb\` (delete \`${entry}.ts\` then: when both are here, the TypeScript file is checked).`,
    `The Python names are ${names}. Arguments arrive as lists of floats; return floats, lists, tuples or NumPy arrays.`,
    '',
    'For Python you also need Python 3 with NumPy: on Debian or Ubuntu `sudo apt-get install python3 python3-numpy`, elsewhere',
    'e.g. `pip install numpy`. On Linux with bubblewrap (`sudo apt-get install bubblewrap`) your Python code runs in the',
    "same sandbox as when it is graded; elsewhere (macOS, Windows, a Linux without bubblewrap) it runs without that",
    "sandbox — it is your own code on your own machine — and the checker says so. Your graded run is always sandboxed.",
    '',
  ];
}

function checkingGuide(spec: KitSpec, entryFiles: string[], language: Language): string {
  const byFunction = new Map<string, CheckMeta[]>();
  for (const { meta } of spec.checks) byFunction.set(meta.function, [...(byFunction.get(meta.function) ?? []), meta]);
  const python = language === 'python' ? spec.assignment.python : undefined;
  const named = (fn: string) => python?.names[fn] ?? fn;
  const rows = [...byFunction].map(([fn, metas]) => `| \`${named(fn)}\` | ${metas.map((m) => `${m.name} (${m.category}, ${m.points} pt)`).join('; ')} |`);
  const entry = language === 'python' ? { base: spec.assignment.entry, languages: ['python' as const] } : entryOf(spec.assignment);
  // A Python kit holds a module and a notebook: the Python section says which one is checked.
  const starters = python ? entryFiles.filter((f) => f.endsWith('.py')) : entryFiles;
  const files = starters.length ? starters.map((f) => `\`${f}\``).join(', ') : entryFileWords(entry);
  return [
    `# Checking your work — ${spec.assignment.title}`,
    '',
    `Write your solution in ${files} (keep the function names: ${spec.assignment.exports.map((e) => `\`${named(e)}\``).join(', ')}).`,
    'Then, in this folder:',
    '',
    '```sh',
    'node check.mjs              # run the public checks',
    'node check.mjs --watch      # … again every time you save',
    'node check.mjs --report report.html   # also write the feedback page',
    '```',
    '',
    'You need Node.js 20 or newer and nothing else (no `npm install`). Your code runs in a sandbox: no files, network,',
    'environment variables or child processes; time and memory are limited as they are when your work is graded.',
    '',
    ...pythonGuide(spec, language),
    'These are the **public** checks, with the same messages and diagnoses as your final grade. Your instructor also',
    'runs hidden checks: passing every public check is necessary, not sufficient.',
    '',
    '| function | public checks |',
    '|---|---|',
    ...rows,
    '',
    ...(spec.notInKit.length ? [`Not run by this kit (your instructor's grading runs them): ${spec.notInKit.map((m) => `${m.function} › ${m.name}`).join('; ')}.`, ''] : []),
  ].join('\n');
}

/**
 * Writes the student kit of an assignment into `outDir`; returns the kit's files (relative, sorted).
 * `language` (default: the assignment's first) chooses the starter files the kit holds; the kit
 * checks a submission in any language the assignment accepts (with Python among them, it holds
 * the Python runner, and the student's python3 and NumPy run it).
 */
export async function buildStudentKit(nameOrDir: string, outDir: string, options: { language?: Language } = {}): Promise<{ files: string[]; notInKit: CheckMeta[] }> {
  const assignment = loadAssignment(nameOrDir);
  const language = options.language ?? assignment.languages[0];
  if (!assignment.languages.includes(language)) {
    throw new KitBuildError(`${assignment.id} does not accept ${language} (its languages: ${assignment.languages.join(', ')}): choose one of those`);
  }
  const runtime = path.join(distDir(), 'kit');
  if (!fs.existsSync(path.join(runtime, 'check.mjs'))) throw new KitBuildError(`mlgrade's kit runtime is missing (${runtime}): reinstall mlgrade, or run \`npm run build\` in its folder`);
  const declared = declareSuite(assignment, 'public');
  const hidden = declared.declared.filter((m) => m.visibility !== 'public');
  if (hidden.length) throw new KitBuildError(`internal error: hidden checks were declared for a kit (${hidden.map((m) => m.id).join(', ')})`);
  const spec: KitSpec = {
    format: KIT_FORMAT,
    mlgrade: packageVersion(),
    assignment: {
      id: assignment.id,
      title: assignment.title,
      entry: assignment.entry,
      exports: assignment.exports,
      ...(assignment.dueDate ? { dueDate: assignment.dueDate } : {}),
      languages: [...assignment.languages],
      ...(assignment.python ? { python: assignment.python } : {}),
    },
    limits: assignment.limits,
    allowedModules: assignment.allowedModules,
    checks: declared.plans,
    notInKit: declared.declared.filter((m) => declared.custom.includes(m.id)),
  };
  const out = path.resolve(outDir);
  prepareOutDir(out);
  const files: string[] = [];
  const write = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(out, relative)), { recursive: true });
    fs.writeFileSync(path.join(out, relative), text);
    files.push(relative);
  };
  const handout = path.join(assignment.dir, 'README.md');
  if (fs.existsSync(handout)) write('README.md', fs.readFileSync(handout, 'utf8'));
  const starter = path.join(assignment.dir, 'starter');
  // The starter files of the kit's language only: a folder holding losses.ts and losses.py would check the TypeScript one.
  const ofLanguage = (name: string) => {
    const of = languageOfEntry(name);
    return of === undefined || (of === 'python') === (language === 'python');
  };
  const entryFiles = fs.existsSync(starter) ? copyTree(starter, out, out, ofLanguage) : [];
  files.push(...entryFiles);
  write('CHECKING.md', checkingGuide(spec, entryFiles, language));
  write('package.json', JSON.stringify({ private: true, description: `${assignment.title} — student kit`, scripts: { test: 'node check.mjs', watch: 'node check.mjs --watch' } }, null, 2) + '\n');
  write('.gitignore', 'report.html\nnode_modules/\n');
  write('.github/workflows/mlgrade-check.yml', studentWorkflow(assignment.id, { python: assignment.languages.includes('python') }));
  fs.copyFileSync(path.join(runtime, 'check.mjs'), path.join(out, 'check.mjs'));
  files.push('check.mjs');

  const kitData = path.join(out, '.mlgrade');
  write('.mlgrade/checks.json', serializeKitSpec(spec));
  write('.mlgrade/package.json', JSON.stringify({ name: 'mlgrade-kit', private: true, version: packageVersion() }) + '\n');
  fs.copyFileSync(path.join(runtime, 'child.js'), path.join(kitData, 'child.js'));
  files.push('.mlgrade/child.js');
  if (assignment.python) {
    fs.copyFileSync(path.join(runtime, 'runner.py'), path.join(kitData, 'runner.py'));
    files.push('.mlgrade/runner.py');
  }
  files.push(...copyTree(path.join(packageRoot(), 'reports', 'html'), path.join(kitData, 'reports', 'html'), out));
  for (const name of assignment.allowedModules) {
    await bundleModule(require.resolve(name), path.join(kitData, 'modules', `${name}.js`));
    files.push(`.mlgrade/modules/${name}.js`);
  }
  // TypeScript words syntax errors as in instructor grading (loaded only when a file does not parse).
  const typescript = path.dirname(require.resolve('typescript/package.json'));
  const tsTarget = path.join(kitData, 'node_modules', 'typescript');
  fs.mkdirSync(path.join(tsTarget, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(tsTarget, 'package.json'), JSON.stringify({ name: 'typescript', version: require('typescript/package.json').version, main: './lib/typescript.js' }) + '\n');
  fs.copyFileSync(path.join(typescript, 'lib', 'typescript.js'), path.join(tsTarget, 'lib', 'typescript.js'));
  files.push('.mlgrade/node_modules/typescript/package.json', '.mlgrade/node_modules/typescript/lib/typescript.js');
  return { files: files.sort(), notInKit: spec.notInKit };
}
