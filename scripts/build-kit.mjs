/**
 * Builds the runtime of student kits into dist/kit/ (run by `npm run build` after tsc):
 *  - check.mjs: the kit's checker (src/kit/main.ts and what it imports: the suite's evaluators,
 *    the sandbox, the console and HTML reports — never reference/ or graders/), one ES module;
 *  - child.js: the sandbox's child entry, one CommonJS file;
 *  - runner.py: the Python runner (also copied beside the compiled Python launcher in
 *    dist/src/sandbox/python/, where the engine finds it: tsc copies no .py file).
 * `mlgrade dist` copies them into a kit. The bundle's __dirname is the kit's .mlgrade/ folder, and
 * src/paths.ts is replaced by src/kit/paths.ts, so templates and modules are found there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'kit');

const banner = [
  "import { createRequire as __mlgradeCreateRequire } from 'node:module';",
  "import { fileURLToPath as __mlgradeFileURLToPath } from 'node:url';",
  "import { dirname as __mlgradeDirname, join as __mlgradeJoin } from 'node:path';",
  "const __filename = __mlgradeJoin(__mlgradeDirname(__mlgradeFileURLToPath(import.meta.url)), '.mlgrade', 'check.js');",
  'const __dirname = __mlgradeDirname(__filename);',
  'const require = __mlgradeCreateRequire(__filename);',
].join('\n');

/** Resolves src/paths (from anywhere in the engine) to the kit's version of it. */
const kitPaths = {
  name: 'kit-paths',
  setup(build) {
    build.onResolve({ filter: /(^|\/)paths$/ }, (args) => {
      const resolved = path.resolve(args.resolveDir, args.path);
      if (resolved === path.join(root, 'src', 'paths')) return { path: path.join(root, 'src', 'kit', 'paths.ts') };
      return undefined;
    });
  },
};

await esbuild.build({
  entryPoints: [path.join(root, 'src', 'kit', 'main.ts')],
  outfile: path.join(out, 'check.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: banner },
  plugins: [kitPaths],
  // Loaded only to word a syntax error; a kit carries its own copy in .mlgrade/node_modules.
  external: ['typescript'],
  legalComments: 'none',
  logLevel: 'warning',
});

await esbuild.build({
  entryPoints: [path.join(root, 'src', 'sandbox', 'child.ts')],
  outfile: path.join(out, 'child.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
});

const runner = path.join(root, 'src', 'sandbox', 'python', 'runner.py');
for (const target of [path.join(out, 'runner.py'), path.join(root, 'dist', 'src', 'sandbox', 'python', 'runner.py')]) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(runner, target);
  fs.chmodSync(target, 0o644);
}
