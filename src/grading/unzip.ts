/**
 * Zip input: unpacks an archive of submissions (GitHub Classroom's one folder per repository,
 * Canvas's flat "name_userid_submissionid_file" layout, or one submission) into a folder of
 * submission folders that `discoverSubmissions` accepts. No student code runs here.
 *
 * Every entry is checked before anything is written: names that escape the archive (`..`,
 * absolute paths, drive letters, backslash variants of both), symbolic links, special files,
 * encrypted or oddly compressed entries, nested archives, and sizes (per file, total, entry
 * count, compression ratio; sizes are enforced on the bytes actually inflated, never trusted from
 * the header). A bad entry is skipped with a message; only an unreadable or non-zip file throws.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import type { SubmissionRef } from './discover';

/** Limits applied while unpacking; see {@link ZIP_LIMITS} for the defaults. */
export interface ZipLimits {
  /** Entries read from the central directory; the rest are skipped. */
  maxEntries: number;
  /** Uncompressed bytes of one file (counted while inflating). */
  maxFileBytes: number;
  /** Uncompressed bytes of all extracted files together. */
  maxTotalBytes: number;
  /** Largest accepted uncompressed:compressed ratio of one file … */
  maxCompressionRatio: number;
  /** … checked once a file has inflated to this many bytes (small text files compress well). */
  ratioCheckFromBytes: number;
}

export const ZIP_LIMITS: Readonly<ZipLimits> = {
  maxEntries: 20_000,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioCheckFromBytes: 100 * 1024,
};

/** The file given is missing, unreadable or not a zip archive. */
export class ZipInputError extends Error {
  override readonly name = 'ZipInputError';
}

export interface ZipExtraction {
  /** One per submission folder created under the destination, sorted by id. */
  submissions: SubmissionRef[];
  /** One line per skipped entry (or group of entries), e.g. `evil/../../x.ts: path escapes the archive: skipped`. */
  skipped: string[];
}

/** Same extensions and order as `findEntry` in src/sandbox/stage.ts. */
const ENTRY_EXTENSIONS = ['.ts', '.js', '.mts', '.cts', '.mjs', '.cjs'];
const ARCHIVE_SUFFIXES = ['.zip', '.tar', '.tgz', '.tar.gz', '.tar.bz2', '.tar.xz', '.rar', '.7z', '.gz'];
/** Folders never extracted: dependencies and version control are not part of a submission. */
const NOT_EXTRACTED_DIRS = new Set(['node_modules', '.git']);
const MAX_DEPTH = 32;
const MAX_SEGMENT_BYTES = 255;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** The outcome of checking one entry name: the normalised path segments, or why it is refused. */
export type EntryPathCheck = { status: 'ok'; segments: string[]; directory: boolean } | { status: 'rejected'; reason: string };

/**
 * Checks an entry name as stored in the archive. Backslashes count as separators (Windows zip
 * tools write them), so `..\x` is caught like `../x`; `.` and empty segments are dropped.
 *
 * @example
 * checkEntryPath('evil/../../x.ts') // returns { status: 'rejected', reason: 'path escapes the archive' }
 * checkEntryPath('alice/src/losses.ts') // returns { status: 'ok', segments: ['alice', 'src', 'losses.ts'], directory: false }
 */
export function checkEntryPath(name: string): EntryPathCheck {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { status: 'rejected', reason: 'control characters in the name' };
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return { status: 'rejected', reason: 'absolute path' };
  const raw = slashed.split('/');
  if (raw.includes('..')) return { status: 'rejected', reason: 'path escapes the archive' };
  // A colon would name a drive or an NTFS stream on Windows.
  if (slashed.includes(':')) return { status: 'rejected', reason: 'a ":" in the name' };
  const segments = raw.filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return { status: 'rejected', reason: 'empty name' };
  if (segments.length > MAX_DEPTH) return { status: 'rejected', reason: `more than ${MAX_DEPTH} folders deep` };
  if (segments.some((s) => Buffer.byteLength(s) > MAX_SEGMENT_BYTES)) return { status: 'rejected', reason: `a name longer than ${MAX_SEGMENT_BYTES} bytes` };
  return { status: 'ok', segments, directory: slashed.endsWith('/') };
}

/** A Canvas submission file name: `doejane_LATE_12345_67890_losses-1.ts`. */
export interface CanvasName {
  student: string;
  userId: string;
  submissionId: string;
  late: boolean;
  /** The name the student uploaded, with Canvas's `-N` suffix (if any). */
  original: string;
}

const CANVAS_NAME = /^([^_]+)(_late)?_(\d+)_(\d+)_(.+)$/i;

/**
 * Parses a file name from a Canvas "Download submissions" zip, or returns undefined.
 *
 * @example
 * parseCanvasName('smithjohn_LATE_23456_67892_losses-1.js')
 * // returns { student: 'smithjohn', userId: '23456', submissionId: '67892', late: true, original: 'losses-1.js' }
 */
export function parseCanvasName(fileName: string): CanvasName | undefined {
  const match = CANVAS_NAME.exec(fileName);
  if (!match) return undefined;
  return { student: match[1], late: match[2] !== undefined, userId: match[3], submissionId: match[4], original: match[5] };
}

function isEntryName(fileName: string, entryBase: string): boolean {
  return ENTRY_EXTENSIONS.some((extension) => fileName === entryBase + extension);
}

/**
 * Restores the name a Canvas file was uploaded as: Canvas renames a re-uploaded `losses.ts` to
 * `losses-1.ts`; the suffix is dropped only when what remains is the entry file, since a name
 * like `layer-2.ts` may be the student's own.
 *
 * @example
 * restoreCanvasFileName('losses-1.ts', 'losses') // returns { name: 'losses.ts', revision: 1 }
 * restoreCanvasFileName('helpers-1.ts', 'losses') // returns { name: 'helpers-1.ts', revision: 0 }
 */
export function restoreCanvasFileName(original: string, entryBase: string): { name: string; revision: number } {
  const match = /^(.*)-(\d+)(\.[^.]+)$/.exec(original);
  if (match && isEntryName(match[1] + match[3], entryBase)) return { name: match[1] + match[3], revision: Number(match[2]) };
  return { name: original, revision: 0 };
}

/** An accepted archive file, as the layout planner sees it. */
export interface ArchivePath {
  /** The name as stored in the archive (for messages). */
  name: string;
  segments: string[];
}

/** Where each accepted file goes: `<dest>/<id>/<target…>`. */
export interface LayoutPlan<F extends ArchivePath = ArchivePath> {
  layout: 'folders' | 'canvas' | 'single';
  submissions: { id: string; files: { file: F; target: string[] }[] }[];
  skipped: string[];
}

const startsWith = (segments: string[], prefix: string[]) => prefix.length <= segments.length && prefix.every((s, i) => segments[i] === s);
const folderOf = (segments: string[]) => segments.slice(0, -1);
const show = (segments: string[]) => (segments.length ? segments.join('/') + '/' : 'the top of the archive');

/** `a.ts, b.ts, c.ts and 4 more` */
function listSome(names: string[], max = 3): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * Decides the layout of an archive from its (already checked) file paths — pure, no I/O.
 *
 * 1. Wrapper folders are stripped: while everything sits in one folder that does not itself hold
 *    the entry file, descend into it.
 * 2. If that level holds `<entry>.ts|js` itself, the archive is one submission (id: the folder's
 *    name, or `fallbackId` at the top).
 * 3. Else, if it holds Canvas-named files and none of its folders holds an entry file: Canvas's
 *    flat layout, grouped by student (`<name>_<userid>`), original names restored.
 * 4. Else each folder at that level is one submission (id: the folder's name). When its entry
 *    file is not at its top but in exactly one sub-folder (`src/`), that sub-folder becomes the
 *    submission folder and files outside it are not extracted.
 *
 * @example
 * planLayout([{ name: 'hw/alice/losses.ts', segments: ['hw', 'alice', 'losses.ts'] }], 'losses', 'hw')
 * // returns { layout: 'folders', submissions: [{ id: 'alice', files: [{ …, target: ['losses.ts'] }] }], skipped: [] }
 */
export function planLayout<F extends ArchivePath>(files: F[], entryBase: string, fallbackId: string): LayoutPlan<F> {
  const skipped: string[] = [];
  const entryFolders = files.filter((f) => isEntryName(f.segments[f.segments.length - 1], entryBase)).map((f) => folderOf(f.segments));
  const holdsEntry = (folder: string[]) => entryFolders.some((e) => e.length === folder.length && startsWith(e, folder));

  let base: string[] = [];
  for (;;) {
    const under = files.filter((f) => startsWith(f.segments, base));
    const here = under.filter((f) => f.segments.length === base.length + 1);
    const children = new Set(under.filter((f) => f.segments.length > base.length + 1).map((f) => f.segments[base.length]));
    if (here.length > 0 || children.size !== 1) break;
    const [child] = children;
    if (holdsEntry([...base, child])) break;
    base = [...base, child];
  }
  const outside = files.filter((f) => !startsWith(f.segments, base));
  if (outside.length) skipped.push(`${listSome(outside.map((f) => f.name))}: outside ${show(base)}, which holds the submissions: skipped`);
  const inBase = files.filter((f) => startsWith(f.segments, base));
  const relative = (f: F, root: string[]) => f.segments.slice(root.length);

  if (holdsEntry(base)) {
    const id = base.length ? base[base.length - 1] : fallbackId;
    return { layout: 'single', submissions: [{ id, files: inBase.map((file) => ({ file, target: relative(file, base) })) }], skipped };
  }

  const topFiles = inBase.filter((f) => f.segments.length === base.length + 1);
  const folders = [...new Set(inBase.filter((f) => f.segments.length > base.length + 1).map((f) => f.segments[base.length]))].sort();
  const canvasFiles = topFiles.filter((f) => parseCanvasName(f.segments[f.segments.length - 1]));
  const foldersWithEntry = folders.filter((folder) => entryFolders.some((e) => startsWith(e, [...base, folder])));

  if (canvasFiles.length > 0 && foldersWithEntry.length === 0) {
    const groups = new Map<string, { file: F; canvas: CanvasName; name: string; revision: number }[]>();
    for (const file of topFiles) {
      const canvas = parseCanvasName(file.segments[file.segments.length - 1]);
      if (!canvas) {
        skipped.push(`${file.name}: not named like a Canvas submission file (name_userid_submissionid_file): skipped`);
        continue;
      }
      const id = `${canvas.student}_${canvas.userId}`;
      const restored = restoreCanvasFileName(canvas.original, entryBase);
      const group = groups.get(id) ?? [];
      group.push({ file, canvas, ...restored });
      groups.set(id, group);
    }
    const inFolders = inBase.filter((f) => f.segments.length > base.length + 1);
    if (inFolders.length) skipped.push(`${listSome(inFolders.map((f) => f.name))}: inside a folder, not part of Canvas's flat layout: skipped`);
    const submissions = [...groups.entries()].map(([id, group]) => {
      // Newest first: the highest `-N`, then the highest submission id; older copies are skipped.
      const ordered = [...group].sort((a, b) => b.revision - a.revision || Number(b.canvas.submissionId) - Number(a.canvas.submissionId));
      const kept = new Map<string, (typeof group)[number]>();
      for (const item of ordered) {
        if (kept.has(item.name)) skipped.push(`${item.file.name}: an older copy of ${id}/${item.name}: skipped`);
        else kept.set(item.name, item);
      }
      return { id, files: group.filter((item) => kept.get(item.name) === item).map((item) => ({ file: item.file, target: [item.name] })) };
    });
    return { layout: 'canvas', submissions, skipped };
  }

  if (topFiles.length) skipped.push(`${listSome(topFiles.map((f) => f.name))}: not inside a submission folder: skipped`);
  const submissions = folders.map((folder) => {
    const top = [...base, folder];
    const mine = inBase.filter((f) => startsWith(f.segments, top));
    let root = top;
    if (!holdsEntry(top)) {
      const deeper = [...new Set(entryFolders.filter((e) => startsWith(e, top)).map((e) => e.join('/')))].sort();
      if (deeper.length === 1) {
        root = deeper[0].split('/');
        const left = mine.filter((f) => !startsWith(f.segments, root));
        if (left.length) skipped.push(`${listSome(left.map((f) => f.name))}: outside ${show(root)}, the folder holding ${entryBase}.ts|js: not extracted`);
      } else if (deeper.length > 1) {
        skipped.push(`${show(top)}: ${entryBase}.ts|js is in ${deeper.length} sub-folders (${listSome(deeper.map((d) => d + '/'))}) and not at the top: extracted as is, so it will be graded as having no entry file`);
      } else {
        skipped.push(`${show(top)}: no ${entryBase}.ts or ${entryBase}.js anywhere: extracted as is, so it will be graded as having no entry file`);
      }
    }
    return { id: folder, files: mine.filter((f) => startsWith(f.segments, root)).map((file) => ({ file, target: relative(file, root) })) };
  });
  return { layout: 'folders', submissions, skipped };
}

interface AcceptedEntry extends ArchivePath {
  entry: yauzl.Entry;
}

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings: false — yauzl would otherwise end the whole read at the first `../` name;
    // we decode and check names ourselves. validateEntrySizes: false — sizes are checked here,
    // per entry, so one lying header skips one file instead of aborting the archive.
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false }, (error, zip) => {
      if (error || !zip) {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (code === 'ENOENT') reject(new ZipInputError(`No such file: ${zipPath}`));
        else if (code === 'EISDIR') reject(new ZipInputError(`${zipPath} is a folder, not a zip archive`));
        else reject(new ZipInputError(`${zipPath} is not a zip archive (${error?.message ?? 'unreadable'})`, { cause: error }));
        return;
      }
      resolve(zip);
    });
  });
}

/** Reads up to `limit` central-directory records; a damaged directory ends the list early. */
function readEntries(zip: yauzl.ZipFile, limit: number): Promise<{ entries: yauzl.Entry[]; damaged?: string }> {
  return new Promise((resolve) => {
    const entries: yauzl.Entry[] = [];
    let done = false;
    const finish = (damaged?: string) => {
      if (done) return;
      done = true;
      zip.removeAllListeners('entry');
      zip.removeAllListeners('end');
      resolve({ entries, damaged });
    };
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length >= limit) finish();
      else zip.readEntry();
    });
    zip.on('end', () => finish());
    zip.on('error', (error: Error) => finish(error.message));
    zip.readEntry();
  });
}

function decodeName(entry: yauzl.Entry): string {
  // Strict: keep backslashes so that checkEntryPath sees (and normalises) them itself.
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
}

/** Why an entry is not extracted (before its data is read), or undefined. */
function refuseEntry(entry: yauzl.Entry, segments: string[], limits: ZipLimits): string | undefined {
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) return 'symbolic link';
  if (type !== 0 && type !== S_IFREG) return `special file (mode 0o${type.toString(8)})`;
  if (entry.isEncrypted()) return 'encrypted';
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return `unsupported compression method ${entry.compressionMethod}`;
  const base = segments[segments.length - 1].toLowerCase();
  if (ARCHIVE_SUFFIXES.some((suffix) => base.endsWith(suffix))) return 'a nested archive (not unpacked: extract it and pass the folder)';
  if (entry.uncompressedSize > limits.maxFileBytes) return `${entry.uncompressedSize} bytes, over the limit of ${limits.maxFileBytes} bytes per file`;
  if (entry.uncompressedSize >= limits.ratioCheckFromBytes && entry.uncompressedSize > limits.maxCompressionRatio * Math.max(1, entry.compressedSize)) {
    return `compression ratio over ${limits.maxCompressionRatio}:1 (a zip bomb?)`;
  }
  return undefined;
}

class LimitExceeded extends Error {}

/** Counts inflated bytes and fails the stream as soon as a limit is crossed. */
class ByteGuard extends Transform {
  bytes = 0;
  constructor(private readonly check: (bytes: number) => string | undefined) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const problem = this.check(this.bytes);
    if (problem) callback(new LimitExceeded(problem));
    else callback(null, chunk);
  }
}

function openReadStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}

/**
 * Unpacks a zip of submissions into `destDir` (created; must be missing or empty), one folder per
 * submission, and returns the submissions (sorted by id, as `discoverSubmissions(destDir)` would
 * find them) and a message for everything skipped. Layouts: see {@link planLayout}.
 *
 * Throws {@link ZipInputError} only when `zipPath` is missing or not a zip archive; a bad entry
 * is skipped with a message, e.g. `evil/../../x.ts: path escapes the archive: skipped`.
 *
 * @example
 * const { submissions, skipped } = await extractSubmissionsZip('class.zip', '/tmp/class', 'losses');
 * // submissions: [{ id: 'doejane_12345', dir: '/tmp/class/doejane_12345' }, …]
 */
export async function extractSubmissionsZip(zipPath: string, destDir: string, entryBase: string, limits: Partial<ZipLimits> = {}): Promise<ZipExtraction> {
  if (!entryBase || /[\\/]/.test(entryBase)) throw new Error(`extractSubmissionsZip: entryBase must be a file name without extension, got ${JSON.stringify(entryBase)}`);
  const caps: ZipLimits = { ...ZIP_LIMITS, ...limits };
  const dest = path.resolve(destDir);
  if (fs.existsSync(dest)) {
    if (!fs.statSync(dest).isDirectory()) throw new Error(`extractSubmissionsZip: the destination ${destDir} is not a folder`);
    if (fs.readdirSync(dest).length > 0) throw new Error(`extractSubmissionsZip: the destination ${destDir} is not empty`);
  }

  const zip = await openZip(zipPath);
  try {
    const skipped: string[] = [];
    const { entries, damaged } = await readEntries(zip, caps.maxEntries);
    if (damaged) skipped.push(`${zipPath}: the archive's directory is damaged after ${entries.length} entries (${damaged}): the rest is skipped`);
    if (zip.entryCount > caps.maxEntries) skipped.push(`${zipPath}: ${zip.entryCount} entries, over the limit of ${caps.maxEntries}: the last ${zip.entryCount - caps.maxEntries} skipped`);

    const accepted: AcceptedEntry[] = [];
    const seen = new Set<string>();
    const summaries = new Map<string, number>();
    const summarise = (label: string) => summaries.set(label, (summaries.get(label) ?? 0) + 1);
    for (const entry of entries) {
      const name = decodeName(entry);
      const shown = name.replace(/[\u0000-\u001f\u007f]/g, '?'); // eslint-disable-line no-control-regex
      const checked = checkEntryPath(name);
      if (checked.status === 'rejected') {
        skipped.push(`${shown}: ${checked.reason}: skipped`);
        continue;
      }
      const { segments } = checked;
      if (checked.directory || ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFDIR) continue;
      if (segments[0] === '__MACOSX' || segments[segments.length - 1] === '.DS_Store') {
        summarise('__MACOSX/ and .DS_Store: macOS metadata');
        continue;
      }
      const hidden = segments.findIndex((s) => NOT_EXTRACTED_DIRS.has(s));
      if (hidden >= 0 && hidden < segments.length - 1) {
        summarise(`${segments.slice(0, hidden + 1).join('/')}/: ${segments[hidden] === '.git' ? 'version control' : 'installed dependencies'}`);
        continue;
      }
      const refusal = refuseEntry(entry, segments, caps);
      if (refusal) {
        skipped.push(`${shown}: ${refusal}: skipped`);
        continue;
      }
      const key = segments.join('/');
      if (seen.has(key)) {
        skipped.push(`${shown}: a second entry with the same path: skipped`);
        continue;
      }
      seen.add(key);
      accepted.push({ name: shown, segments, entry });
    }
    for (const [label, count] of summaries) skipped.push(`${label} (${count} ${count === 1 ? 'entry' : 'entries'}): skipped`);

    const fallbackId = path.basename(zipPath).replace(/\.zip$/i, '') || 'submission';
    const plan = planLayout(accepted, entryBase, fallbackId);
    skipped.push(...plan.skipped);
    if (accepted.length === 0) skipped.push(`${zipPath}: no files to extract`);

    fs.mkdirSync(dest, { recursive: true });
    let total = 0;
    let totalReached: { first: string; remaining: number } | undefined;
    const submissions: SubmissionRef[] = [];
    for (const submission of plan.submissions) {
      const submissionDir = path.join(dest, submission.id);
      fs.mkdirSync(submissionDir, { recursive: true });
      submissions.push({ id: submission.id, dir: submissionDir });
      for (const { file, target } of submission.files) {
        if (totalReached) {
          totalReached.remaining += 1;
          continue;
        }
        const outcome = await extractFile(zip, file.entry, submissionDir, target, caps, total);
        if (outcome.status === 'written') {
          total += outcome.bytes;
        } else if (outcome.status === 'total-limit') {
          totalReached = { first: file.name, remaining: 1 };
        } else {
          skipped.push(`${file.name}: ${outcome.reason}: skipped`);
        }
      }
    }
    if (totalReached) {
      skipped.push(`${totalReached.first} and ${totalReached.remaining - 1} later files: over the limit of ${caps.maxTotalBytes} bytes for the whole archive: skipped`);
    }
    submissions.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { submissions, skipped };
  } finally {
    zip.close();
  }
}

type FileOutcome = { status: 'written'; bytes: number } | { status: 'skipped'; reason: string } | { status: 'total-limit' };

async function extractFile(zip: yauzl.ZipFile, entry: yauzl.Entry, submissionDir: string, target: string[], caps: ZipLimits, totalSoFar: number): Promise<FileOutcome> {
  const destination = path.join(submissionDir, ...target);
  // Belt and braces: checkEntryPath already refused anything that could leave the folder.
  if (!destination.startsWith(submissionDir + path.sep)) return { status: 'skipped', reason: 'path escapes the archive' };
  let fd: number;
  try {
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    // 'wx': never overwrite, never follow a link; no executable bits.
    fd = fs.openSync(destination, 'wx', 0o644);
  } catch (error) {
    return { status: 'skipped', reason: `could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  let hitTotal = false;
  const guard = new ByteGuard((bytes) => {
    if (bytes > caps.maxFileBytes) return `more than ${caps.maxFileBytes} bytes once inflated, over the limit per file`;
    if (bytes > entry.uncompressedSize) return `more data than its header declares (${entry.uncompressedSize} bytes): a forged size`;
    if (bytes >= caps.ratioCheckFromBytes && bytes > caps.maxCompressionRatio * Math.max(1, entry.compressedSize)) return `compression ratio over ${caps.maxCompressionRatio}:1 (a zip bomb?)`;
    if (totalSoFar + bytes > caps.maxTotalBytes) {
      hitTotal = true;
      return 'over the total limit';
    }
    return undefined;
  });
  const sink = fs.createWriteStream(destination, { fd });
  try {
    const source = await openReadStream(zip, entry);
    await pipeline(source, guard, sink);
  } catch (error) {
    sink.destroy();
    fs.rmSync(destination, { force: true });
    if (hitTotal) return { status: 'total-limit' };
    return { status: 'skipped', reason: error instanceof LimitExceeded ? error.message : `unreadable (${(error as Error).message})` };
  }
  if (guard.bytes !== entry.uncompressedSize) {
    fs.rmSync(destination, { force: true });
    return { status: 'skipped', reason: `${guard.bytes} bytes where its header declares ${entry.uncompressedSize}: a damaged or forged entry` };
  }
  return { status: 'written', bytes: guard.bytes };
}
