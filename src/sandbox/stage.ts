/**
 * Staging: copies a submission's regular files into a fresh folder that the sandboxed child may
 * read, transpiling TypeScript and ES-module JavaScript to CommonJS with inline source maps
 * (so stack traces name the student's own lines). No student code runs here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transform } from 'sucrase';
import { pickEntryFile } from '../grading/entryFile';

const CODE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.cjs', '.mjs', '.jsx']);
const SKIPPED_DIRS = new Set(['node_modules', '.git', '__MACOSX']);
export const STAGE_LIMITS = { maxFiles: 200, maxFileBytes: 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024 };

/** A syntax error found while transpiling, located in the student's file. */
export interface SyntaxProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type StageOutcome =
  | { status: 'staged'; dir: string; entry: string; entryName: string; skipped: string[]; syntax: SyntaxProblem[] }
  | { status: 'no-entry'; message: string; skipped: string[] };

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
 * an exact name before one that differs only in letter case (`Losses.ts`): see `pickEntryFile`.
 */
export function findEntry(dir: string, entryBase: string): string | undefined {
  try {
    const files = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile());
    return pickEntryFile(
      files.map((d) => d.name),
      entryBase,
    )?.name;
  } catch {
    return undefined;
  }
}

/**
 * Stages `submissionDir` into `stageDir` (created; must not exist or be empty).
 * Symlinks, special files, node_modules and oversized files are skipped and listed.
 */
export function stageSubmission(submissionDir: string, stageDir: string, entryBase: string): StageOutcome {
  const skipped: string[] = [];
  const entryName = findEntry(submissionDir, entryBase);
  if (!entryName) {
    let present: string[] = [];
    try {
      present = fs.readdirSync(submissionDir).slice(0, 10);
    } catch {
      /* unreadable folder: reported below */
    }
    return {
      status: 'no-entry',
      message: `No ${entryBase}.ts or ${entryBase}.js in the submission` + (present.length ? ` (found: ${present.join(', ')}): name your file ${entryBase}.ts or ${entryBase}.js` : ' (the folder is empty or unreadable)'),
      skipped,
    };
  }
  // The first folder of the stage that did not exist yet: everything below it is ours.
  let stageRoot = path.resolve(stageDir);
  while (!fs.existsSync(path.dirname(stageRoot)) && path.dirname(stageRoot) !== stageRoot) stageRoot = path.dirname(stageRoot);
  fs.mkdirSync(stageDir, { recursive: true });
  // The stage is CommonJS whatever the student's package.json said.
  fs.writeFileSync(path.join(stageDir, 'package.json'), '{"type":"commonjs"}\n');
  const syntax: SyntaxProblem[] = [];
  let files = 0;
  let total = 0;
  const walk = (relative: string): void => {
    const from = path.join(submissionDir, relative);
    for (const dirent of fs.readdirSync(from, { withFileTypes: true })) {
      const rel = relative ? path.join(relative, dirent.name) : dirent.name;
      if (dirent.isDirectory()) {
        if (SKIPPED_DIRS.has(dirent.name)) {
          skipped.push(`${rel}/ (not copied)`);
          continue;
        }
        // A stage inside the submission folder (`mlgrade check` of a folder holding the temp
        // folder) must not be copied into itself.
        if (path.resolve(submissionDir, rel) === path.resolve(stageRoot)) continue;
        fs.mkdirSync(path.join(stageDir, rel), { recursive: true });
        walk(rel);
        continue;
      }
      if (!dirent.isFile()) {
        skipped.push(`${rel} (${dirent.isSymbolicLink() ? 'symbolic link' : 'special file'}: not copied)`);
        continue;
      }
      if (dirent.name === 'package.json' && !relative) continue;
      const size = fs.statSync(path.join(from, dirent.name)).size;
      if (size > STAGE_LIMITS.maxFileBytes || files >= STAGE_LIMITS.maxFiles || total + size > STAGE_LIMITS.maxTotalBytes) {
        skipped.push(`${rel} (over the size or file-count limit: not copied)`);
        continue;
      }
      files += 1;
      total += size;
      const target = path.join(stageDir, rel);
      const extension = path.extname(dirent.name);
      if (CODE_EXTENSIONS.has(extension)) {
        const { code, problems } = transpileSource(fs.readFileSync(path.join(from, dirent.name), 'utf8'), rel.split(path.sep).join('/'));
        syntax.push(...problems);
        fs.writeFileSync(target, code);
      } else {
        fs.copyFileSync(path.join(from, dirent.name), target);
      }
    }
  };
  walk('');
  return { status: 'staged', dir: stageDir, entry: path.join(stageDir, entryName), entryName, skipped, syntax };
}
