/**
 * Encrypted hidden-test bundles: instructors commit an encrypted bundle of the hidden tests to a
 * repository students can read; CI decrypts it with a key kept in a repository secret.
 *
 * Format: "MLGB1" (5 bytes) | salt (16) | iv (12) | GCM tag (16) | ciphertext.
 * Key = scrypt(passphrase, salt, 32). AES-256-GCM authenticates the whole ciphertext, so a wrong
 * passphrase and a modified byte are both detected.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAGIC = Buffer.from('MLGB1', 'ascii');
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES + IV_BYTES + TAG_BYTES;

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

function deriveKey(passphrase: string, salt: Buffer): Buffer {
  if (!passphrase) throw new BundleError('the bundle key is empty');
  return crypto.scryptSync(passphrase, salt, 32);
}

/** Encrypts `plain` with a key derived from `passphrase` (fresh random salt and iv each call). */
export function encryptBundle(plain: Buffer, passphrase: string): Buffer {
  const salt = crypto.randomBytes(SALT_BYTES);
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', deriveKey(passphrase, salt), iv);
  cipher.setAAD(MAGIC);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, salt, iv, cipher.getAuthTag(), ciphertext]);
}

/** Decrypts a bundle; throws BundleError("wrong key or corrupted bundle") when it does not authenticate. */
export function decryptBundle(sealed: Buffer, passphrase: string): Buffer {
  if (sealed.length < HEADER_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BundleError('not an mlgrade bundle (missing "MLGB1" header)');
  }
  let offset = MAGIC.length;
  const salt = sealed.subarray(offset, (offset += SALT_BYTES));
  const iv = sealed.subarray(offset, (offset += IV_BYTES));
  const tag = sealed.subarray(offset, (offset += TAG_BYTES));
  const ciphertext = sealed.subarray(offset);
  const decipher = crypto.createDecipheriv('aes-256-gcm', deriveKey(passphrase, salt), iv);
  decipher.setAAD(MAGIC);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new BundleError('wrong key or corrupted bundle');
  }
}

/** Checks a bundle member path: relative, forward slashes, no `..`, no absolute or drive paths. */
export function checkBundlePath(relative: string): string {
  if (typeof relative !== 'string' || !relative || relative.includes('\0')) throw new BundleError(`unsafe path in bundle: ${JSON.stringify(relative)}`);
  const parts = relative.split(/[\\/]/);
  if (relative.startsWith('/') || relative.startsWith('\\') || /^[A-Za-z]:/.test(relative) || path.isAbsolute(relative) || parts.some((p) => p === '..' || p === '' || p === '.')) {
    throw new BundleError(`unsafe path in bundle: ${JSON.stringify(relative)}`);
  }
  return parts.join('/');
}

/** Packs the regular files under `dir` into a JSON document {relativePath: base64}. */
export function packDirectory(dir: string): Buffer {
  const files: Record<string, string> = {};
  const walk = (rel: string): void => {
    const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else if (entry.isFile()) files[checkBundlePath(r)] = fs.readFileSync(path.join(dir, r)).toString('base64');
    }
  };
  walk('');
  return Buffer.from(JSON.stringify({ format: 'mlgrade-bundle/1', files }), 'utf8');
}

/** Writes a packed directory into `destDir`; rejects every unsafe path before writing anything. Returns the paths written. */
export function unpackDirectory(packed: Buffer, destDir: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(packed.toString('utf8'));
  } catch {
    throw new BundleError('bundle contents are not valid JSON');
  }
  const files = (doc as { files?: unknown })?.files;
  if (!files || typeof files !== 'object' || Array.isArray(files)) throw new BundleError('bundle contents have no "files" map');
  const root = path.resolve(destDir);
  const plan = Object.entries(files as Record<string, unknown>).map(([rel, data]) => {
    const safe = checkBundlePath(rel);
    const target = path.resolve(root, safe);
    if (!target.startsWith(root + path.sep)) throw new BundleError(`unsafe path in bundle: ${JSON.stringify(rel)}`);
    if (typeof data !== 'string') throw new BundleError(`bundle entry ${JSON.stringify(rel)} is not base64 text`);
    return { safe, target, data: Buffer.from(data, 'base64') };
  });
  for (const { target, data } of plan) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
  }
  return plan.map((p) => p.safe);
}

/**
 * Convenience for the CLI: packs and encrypts `dir` into `bundleFile`; returns the paths sealed.
 * A missing folder, or one without a file, is refused (a bundle of nothing would hide a wrong path).
 */
export function sealDirectory(dir: string, bundleFile: string, passphrase: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new BundleError(`no such folder: ${dir} (pass the folder of hidden tests to seal)`);
  }
  const packed = packDirectory(dir);
  const files = Object.keys((JSON.parse(packed.toString('utf8')) as { files: Record<string, string> }).files);
  if (!files.length) throw new BundleError(`${dir} holds no files: nothing to seal (is it the right folder?)`);
  fs.writeFileSync(bundleFile, encryptBundle(packed, passphrase));
  return files;
}

/**
 * Convenience for the CLI: decrypts `bundleFile` and unpacks it into `destDir`. Returns the paths
 * written; a bundle that holds no file is refused.
 */
export function openBundle(bundleFile: string, destDir: string, passphrase: string): string[] {
  if (!fs.existsSync(bundleFile) || !fs.statSync(bundleFile).isFile()) throw new BundleError(`no such bundle file: ${bundleFile}`);
  const written = unpackDirectory(decryptBundle(fs.readFileSync(bundleFile), passphrase), destDir);
  if (!written.length) throw new BundleError(`${bundleFile} holds no files: it was sealed from an empty folder; seal the hidden tests again`);
  return written;
}
