/**
 * Builds real zip archives for the ingestion tests with yazl, including entries no honest zip
 * tool writes (`..` names, absolute paths, forged sizes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as yazl from 'yazl';

export interface ZipItem {
  name: string;
  data?: Buffer | string;
  mode?: number;
  compress?: boolean;
  directory?: boolean;
}

function fill(zip: yazl.ZipFile, items: ZipItem[], patches: [Buffer, Buffer][]): void {
  items.forEach((item, index) => {
    let name = item.name;
    // yazl refuses `..` and absolute names: add them under a placeholder of the same byte length
    // and patch the name bytes afterwards.
    if (name.split(/[\\/]/).includes('..') || /^([\\/]|[A-Za-z]:)/.test(name)) {
      const length = Buffer.byteLength(name);
      const placeholder = `p${index}`.padEnd(length, 'q');
      if (placeholder.length !== length) throw new Error(`name too short to patch: ${name}`);
      patches.push([Buffer.from(placeholder), Buffer.from(name)]);
      name = placeholder;
    }
    if (item.directory) zip.addEmptyDirectory(name);
    else zip.addBuffer(typeof item.data === 'string' || item.data === undefined ? Buffer.from(item.data ?? '') : item.data, name, { mode: item.mode, compress: item.compress ?? true });
  });
  zip.end();
}

/** The archive's bytes (for small archives; patches `..`/absolute names in place). */
export async function buildZip(items: ZipItem[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const patches: [Buffer, Buffer][] = [];
  fill(zip, items, patches);
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const buffer = Buffer.concat(chunks);
  for (const [from, to] of patches) {
    for (let at = buffer.indexOf(from); at >= 0; at = buffer.indexOf(from, at + 1)) to.copy(buffer, at);
  }
  return buffer;
}

/** Streams an archive straight to `file` (for large archives; no hostile names). */
export async function writeZipFile(file: string, items: ZipItem[]): Promise<string> {
  const zip = new yazl.ZipFile();
  const patches: [Buffer, Buffer][] = [];
  fill(zip, items, patches);
  if (patches.length) throw new Error('writeZipFile cannot patch names: use buildZip');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await pipeline(zip.outputStream, fs.createWriteStream(file));
  return file;
}

/** Rewrites the uncompressed size that the central directory declares for `name`. */
export function forgeDeclaredSize(zip: Buffer, name: string, size: number): void {
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]); // central directory file header
  for (let at = zip.indexOf(signature); at >= 0; at = zip.indexOf(signature, at + 1)) {
    const nameLength = zip.readUInt16LE(at + 28);
    if (zip.subarray(at + 46, at + 46 + nameLength).toString() === name) {
      zip.writeUInt32LE(size, at + 24);
      return;
    }
  }
  throw new Error(`no central directory record for ${name}`);
}

/** Every path under `dir`, relative, with symlinks marked. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isSymbolicLink()) out.push(`${r} -> symlink`);
      else if (d.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}
