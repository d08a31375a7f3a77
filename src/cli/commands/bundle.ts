/**
 * `mlgrade bundle encrypt|decrypt <input> --out <path>`: seals a folder of hidden tests into an
 * encrypted bundle students may see, or opens one in CI (the work is in src/authoring/bundle.ts).
 */
import { BundleError, openBundle, sealDirectory } from '../../authoring/bundle';
import { type CommandSpec, type ParsedArgs } from '../command';
import { requiredPath } from '../usage';
import { plural } from '../plural';

function bundleKey(env: NodeJS.ProcessEnv): string {
  const key = env.MLGRADE_BUNDLE_KEY;
  if (!key) throw new BundleError('set MLGRADE_BUNDLE_KEY to the bundle passphrase (in CI: a repository secret)');
  return key;
}

async function runBundle(args: ParsedArgs): Promise<number> {
  const input = String(args.input);
  const out = requiredPath('out', args.out, args.action === 'encrypt' ? 'file' : 'folder');
  if (args.action === 'encrypt') {
    const files = sealDirectory(input, out, bundleKey(process.env));
    process.stdout.write(`Sealed ${plural(files.length, 'file')} of ${input} into ${out}.\n`);
  } else {
    const written = openBundle(input, out, bundleKey(process.env));
    process.stdout.write(`Unpacked ${plural(written.length, 'file')} into ${out}:\n${written.map((file) => `  ${file}`).join('\n')}\n`);
  }
  return 0;
}

/** `mlgrade bundle`: its arguments, options, help and what it runs. */
export const bundleCommand: CommandSpec = {
  name: 'bundle',
  usage: 'bundle <action> <input>',
  describe: 'Encrypt a folder of hidden tests into a bundle, or decrypt one (passphrase in MLGRADE_BUNDLE_KEY)',
  positionals: {
    action: { choices: ['encrypt', 'decrypt'], describe: 'encrypt a folder, or decrypt a bundle' },
    input: { type: 'string', describe: 'encrypt: the folder (must hold files); decrypt: the bundle file' },
  },
  options: {
    out: { type: 'string', demandOption: true, requiresArg: true, describe: 'encrypt: the bundle file to write; decrypt: the folder to unpack into' },
  },
  examples: [
    ['MLGRADE_BUNDLE_KEY=… $0 bundle encrypt hidden/ --out hidden.mlgb', 'seal the hidden tests (commit hidden.mlgb, never the key)'],
    ['MLGRADE_BUNDLE_KEY=${{ secrets.KEY }} $0 bundle decrypt hidden.mlgb --out hidden/', 'open it in CI'],
  ],
  exitCodes: [
    [0, 'sealed, or unpacked (the files are listed)'],
    [2, 'bad usage or input: empty or missing folder, missing key, wrong key or corrupted bundle, a bundle with no files'],
  ],
  environment: [['MLGRADE_BUNDLE_KEY', 'the bundle passphrase (required; in CI a repository secret)']],
  run: runBundle,
};
