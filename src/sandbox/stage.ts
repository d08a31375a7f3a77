/**
 * Staging: copies a submission's regular files into a fresh folder that the sandboxed child may
 * read. TypeScript and ES-module JavaScript are transpiled to CommonJS with inline source maps
 * (so stack traces name the student's own lines); Python is copied as it is, and a notebook
 * entry is converted to the cells the Python runner runs (src/sandbox/python/notebook.ts). The
 * stage is readable by every user (the Python sandbox runs as an unprivileged one when the grader
 * is root). No student code runs here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transform } from 'sucrase';
import { entryFileList, entryNotes, pickEntryFile, type EntryMatch, type EntryName } from '../grading/entryFile';
import { convertNotebook, describeNotebookChange } from './python/notebook';

const CODE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.cjs', '.mjs', '.jsx']);
const SKIPPED_DIRS = new Set(['node_modules', '.git', '__MACOSX']);
/** Folders of a Python submission that are caches or environments, never code to grade. */
const PYTHON_SKIPPED_DIRS = new Set(['__pycache__', '.ipynb_checkpoints', '.venv', 'venv', '.pytest_cache']);
export const STAGE_LIMITS = { maxFiles: 200, maxFileBytes: 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024 };
/** A notebook entry is read (for its code cells) up to this size, outputs and pictures included. */
const NOTEBOOK_MAX_BYTES = 32 * 1024 * 1024;

/** A syntax error found while transpiling, located in the student's file. */
export interface SyntaxProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type StageOutcome =
  | {
      status: 'staged';
      dir: string;
      /** The file the runtime loads: the transpiled entry, the Python module, or a notebook's converted cells (`hw1.ipynb.json`). */
      entry: string;
      /** The entry file as the student named it (`losses.ts`, `hw1.ipynb`). */
      entryName: string;
      /** `node` for TypeScript and JavaScript, `python` for modules and notebooks. */
      runtime: 'node' | 'python';
      skipped: string[];
      syntax: SyntaxProblem[];
      /** For the student: how the entry was chosen, what a notebook's conversion skipped. */
      notes: string[];
      /** Set when the entry cannot be run at all (a notebook that is not one): one line, for the student. */
      invalid?: string;
    }
  | { status: 'no-entry'; message: string; skipped: string[] };

/** Options of {@link stageSubmission}. */
export interface StageOptions {
  /** Notebook cells with one of these tags are not run (besides `mlgrade-skip` and `otter_ignore`). */
  skipTags?: readonly string[];
}

/** Formats a syntax problem the way compilers do: `losses.ts:23:5 - error: ')' expected.` */
export function formatSyntaxProblem(problem: SyntaxProblem): string {
  return `${problem.file}:${problem.line}:${problem.column} - syntax error: ${problem.message}`;
}

/** Syntax problems of a file as TypeScript words them (the compiler's messages are the clearest). */
function typescriptTranspile(source: string, relativeName: string): { code: string; problems: SyntaxProblem[] } {
  // Loaded only when needed: typescript takes ~200 ms to load, sucrase handles the common case.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const result = ts.transpileModule(source, {
    fileName: relativeName,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, allowJs: true, inlineSourceMap: true, inlineSources: false },
  });
  const problems: SyntaxProblem[] = [];
  for (const diagnostic of result.diagnostics ?? []) {
    if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
    const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : { line: 0, character: 0 };
    problems.push({ file: relativeName, line: where.line + 1, column: where.character + 1, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') });
  }
  return { code: result.outputText, problems };
}

/** ES-module syntax at the start of a line: such JavaScript needs converting to CommonJS. */
const ESM_SYNTAX = /^\s*(import|export)\b/m;

/**
 * Transpiles one source file to CommonJS, keeping line numbers (so stack traces name the
 * student's own lines). Sucrase does the work (~3 ms a file); on a syntax error TypeScript is
 * asked for its clearer message. Returns the code, or the syntax problems found — then the
 * code is a stub that throws a SyntaxError naming file and line when it is required.
 * Plain CommonJS JavaScript is kept as it is (after a syntax check), sloppy mode included.
 */
export function transpileSource(source: string, relativeName: string): { code: string; problems: SyntaxProblem[] } {
  const typescript = /\.(ts|tsx|mts|cts)$/.test(relativeName);
  try {
    const { code } = transform(source, { transforms: typescript ? ['typescript', 'imports'] : ['imports'], filePath: relativeName });
    return { code: typescript || ESM_SYNTAX.test(source) ? code : source, problems: [] };
  } catch (error) {
    const compiled = typescriptTranspile(source, relativeName);
    // Sucrase refused something TypeScript accepts: use TypeScript's output.
    if (compiled.problems.length === 0) return compiled;
    const text = compiled.problems.map(formatSyntaxProblem).join('\n');
    void error;
    return { code: `throw Object.assign(new SyntaxError(${JSON.stringify(text)}), { mlgradeSyntax: true });\n`, problems: compiled.problems };
  }
}

/**
 * Picks the entry file among `<base>.ts`, `.js`, `.mts`, `.cts`, `.mjs`, `.cjs` (TypeScript first),
 * and `.py`, `.ipynb` where the assignment accepts Python, an exact name before one that differs
 * only in letter case (`Losses.ts`): see `pickEntryFile`.
 */
export function findEntry(dir: string, entry: EntryName): string | undefined {
  return findEntryMatch(dir, entry)?.name;
}

function findEntryMatch(dir: string, entry: EntryName): EntryMatch | undefined {
  try {
    const files = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile());
    return pickEntryFile(
      files.map((d) => d.name),
      entry,
    );
  } catch {
    return undefined;
  }
}

/**
 * Stages `submissionDir` into `stageDir` (created; must not exist or be empty).
 * Symlinks, special files, node_modules (and Python caches) and oversized files are skipped and listed.
 */
export function stageSubmission(submissionDir: string, stageDir: string, entry: EntryName, options: StageOptions = {}): StageOutcome {
  const skipped: string[] = [];
  const match = findEntryMatch(submissionDir, entry);
  if (!match) {
    let present: string[] = [];
    try {
      present = fs.readdirSync(submissionDir).slice(0, 10);
    } catch {
      /* unreadable folder: reported below */
    }
    const wanted = entryFileList(entry);
    return {
      status: 'no-entry',
      message: `No ${wanted} in the submission` + (present.length ? ` (found: ${present.join(', ')}): name your file ${wanted}` : ' (the folder is empty or unreadable)'),
      skipped,
    };
  }
  const entryName = match.name;
  const python = match.language === 'python';
  // The first folder of the stage that did not exist yet: everything below it is ours.
  let stageRoot = path.resolve(stageDir);
  while (!fs.existsSync(path.dirname(stageRoot)) && path.dirname(stageRoot) !== stageRoot) stageRoot = path.dirname(stageRoot);
  fs.mkdirSync(stageDir, { recursive: true });
  // Every folder made here is traversable by the sandbox's own user whatever the umask (mkdir's
  // mode is masked by it: 027 would lock a Python sandbox run as another user out of its stage).
  for (let dir = path.resolve(stageDir); ; dir = path.dirname(dir)) {
    fs.chmodSync(dir, 0o755);
    if (dir === stageRoot || path.dirname(dir) === dir) break;
  }
  // The stage is CommonJS whatever the student's package.json said.
  if (!python) fs.writeFileSync(path.join(stageDir, 'package.json'), '{"type":"commonjs"}\n');
  const syntax: SyntaxProblem[] = [];
  let files = 0;
  let total = 0;
  const walk = (relative: string): void => {
    const from = path.join(submissionDir, relative);
    for (const dirent of fs.readdirSync(from, { withFileTypes: true })) {
      const rel = relative ? path.join(relative, dirent.name) : dirent.name;
      if (dirent.isDirectory()) {
        if (SKIPPED_DIRS.has(dirent.name) || (python && PYTHON_SKIPPED_DIRS.has(dirent.name))) {
          skipped.push(`${rel}/ (not copied)`);
          continue;
        }
        // A stage inside the submission folder (`mlgrade check` of a folder holding the temp
        // folder) must not be copied into itself.
        if (path.resolve(submissionDir, rel) === path.resolve(stageRoot)) continue;
        fs.mkdirSync(path.join(stageDir, rel), { recursive: true });
        fs.chmodSync(path.join(stageDir, rel), 0o755);
        walk(rel);
        continue;
      }
      if (!dirent.isFile()) {
        skipped.push(`${rel} (${dirent.isSymbolicLink() ? 'symbolic link' : 'special file'}: not copied)`);
        continue;
      }
      if (dirent.name === 'package.json' && !relative && !python) continue;
      if (python && /\.py[co]$/.test(dirent.name)) continue;
      const size = fs.statSync(path.join(from, dirent.name)).size;
      if (size > STAGE_LIMITS.maxFileBytes || files >= STAGE_LIMITS.maxFiles || total + size > STAGE_LIMITS.maxTotalBytes) {
        skipped.push(`${rel} (over the size or file-count limit: not copied)`);
        continue;
      }
      files += 1;
      total += size;
      const target = path.join(stageDir, rel);
      const extension = path.extname(dirent.name);
      if (CODE_EXTENSIONS.has(extension) && !python) {
        const { code, problems } = transpileSource(fs.readFileSync(path.join(from, dirent.name), 'utf8'), rel.split(path.sep).join('/'));
        syntax.push(...problems);
        fs.writeFileSync(target, code);
      } else {
        fs.copyFileSync(path.join(from, dirent.name), target);
      }
      // Readable by the sandbox's own user, whatever the student's file mode was.
      fs.chmodSync(target, 0o644);
    }
  };
  walk('');
  const notes = entryNotes(match, entry);
  const staged = { status: 'staged' as const, dir: stageDir, entryName, runtime: python ? ('python' as const) : ('node' as const), skipped, syntax, notes };
  if (!entryName.toLowerCase().endsWith('.ipynb')) return { ...staged, entry: path.join(stageDir, entryName) };
  return { ...staged, ...stageNotebook(path.join(submissionDir, entryName), stageDir, entryName, options, notes) };
}

/**
 * Converts a notebook entry into the cells the Python runner runs, written beside it as
 * `<name>.json` (the runner's entry); what the conversion skipped becomes notes for the student.
 */
function stageNotebook(file: string, stageDir: string, entryName: string, options: StageOptions, notes: string[]): { entry: string; notes: string[]; invalid?: string } {
  const entry = path.join(stageDir, `${entryName}.json`);
  let text: string;
  try {
    const bytes = fs.statSync(file).size;
    if (bytes > NOTEBOOK_MAX_BYTES) {
      const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
      return { entry, notes, invalid: `${entryName} is ${mb(bytes)}, over the ${mb(NOTEBOOK_MAX_BYTES)} notebooks may have: clear its outputs (Kernel → Restart & Clear Output) and save it again` };
    }
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { entry, notes, invalid: `${entryName} could not be read: upload it again` };
  }
  const converted = convertNotebook(text, { fileName: entryName, skipTags: options.skipTags });
  if (converted.status === 'invalid') return { entry, notes, invalid: converted.problem };
  fs.writeFileSync(entry, converted.document);
  fs.chmodSync(entry, 0o644);
  return { entry, notes: [...notes, ...converted.changes.map((change) => `${entryName}: ${describeNotebookChange(change)}`)] };
}
