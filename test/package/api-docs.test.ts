/**
 * The public API is documented: every export of `mlgrade/suite`, `mlgrade/reference` and `mlgrade`
 * carries a TSDoc comment (what a course author reads in an editor, from the published types).
 */
import * as path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../support/cli';

const ENTRIES = {
  'mlgrade/suite': path.join(ROOT, 'src', 'suite', 'index.ts'),
  'mlgrade/reference': path.join(ROOT, 'reference', 'index.ts'),
  mlgrade: path.join(ROOT, 'src', 'index.ts'),
};

const program = ts.createProgram(Object.values(ENTRIES), { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, types: ['node', 'jest'], esModuleInterop: true });
const checker = program.getTypeChecker();

/** The exports of a module without a doc comment of their own (aliases followed to their declaration). */
function undocumented(file: string): string[] {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${file}`);
  const module = checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${file} is not a module`);
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const documented = target.getDocumentationComment(checker).length > 0 || (target.declarations ?? []).some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
    if (!documented) missing.push(exported.getName());
  }
  return missing.sort();
}

test.each(Object.entries(ENTRIES))('every export of %s has TSDoc', (_name, file) => {
  expect(undocumented(file)).toEqual([]);
});
