/**
 * The jest transform of grading suites: a course's suites and its reference are TypeScript and
 * run without a build step. Sucrase strips the types and turns ES-module syntax into CommonJS
 * (about 1 ms a file), keeping line numbers and adding a source map, so a grader error points at
 * the suite's own lines. Nothing is type-checked here (a course runs `tsc --noEmit` for that).
 */
import { transform } from 'sucrase';

interface TransformResult {
  code: string;
  map?: unknown;
}

function process(source: string, filename: string): TransformResult {
  const { code, sourceMap } = transform(source, {
    transforms: ['typescript', 'imports'],
    filePath: filename,
    sourceMapOptions: { compiledFilename: filename },
  });
  return { code, map: sourceMap };
}

export = { process };
