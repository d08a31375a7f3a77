/**
 * Bundles a course module (a reference solution, an assignment's mutants) into one CommonJS file
 * that a sandboxed submission folder can hold: the sandbox reads nothing outside the folder, so
 * everything the module imports — its own files and `mlgrade/reference` — goes into the bundle,
 * except the packages submissions may import anyway (the assignment's allowed modules).
 */
import * as esbuild from 'esbuild';
import { publicModuleFiles } from '../publicModules';

/** Thrown when a module cannot be bundled; the message names the file, line and problem. */
export class ModuleBundleError extends Error {
  override readonly name = 'ModuleBundleError';
}

/**
 * Bundles `entry` (TypeScript or JavaScript) and writes it to `outfile`.
 *
 * @example
 * await bundleModule('reference/hinge.ts', '/tmp/x/reference.js', { external: ['mathjs'] });
 */
export async function bundleModule(entry: string, outfile: string, options: { external?: readonly string[] } = {}): Promise<void> {
  try {
    await esbuild.build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      alias: publicModuleFiles(),
      external: [...(options.external ?? [])],
      logLevel: 'silent',
      legalComments: 'none',
    });
  } catch (error) {
    const failure = error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] };
    const first = failure.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
    throw new ModuleBundleError(`cannot bundle ${entry}: ${where}${first?.text ?? (error as Error).message}`);
  }
}
