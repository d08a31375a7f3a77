/**
 * Ingestion of LMS downloads: unpacks a zip of submissions (GitHub Classroom's one folder per
 * repository, Canvas's flat `name_userid_fileid_file` layout, or one submission) — or arranges an
 * already unzipped Canvas folder — into one folder per submission that grading accepts. No
 * student code runs here.
 *
 * Safety: every entry is checked before anything is written: names that escape the archive
 * (`..`, absolute paths, drive letters, backslash variants of both), symbolic links, special
 * files, encrypted or oddly compressed entries, and sizes (per file, compression ratio; enforced
 * on the bytes actually inflated, never trusted from the header).
 *
 * Fairness: each submission is planned and limited on its own (files, bytes, depth: see
 * {@link ZIP_LIMITS}), so one student's 20,000 files cannot drop or zero anyone else; every
 * submission in the download gets a {@link SubmissionRef}, with a `problem` when nothing of it can
 * be graded and `notes` for what was renamed or left out. A zip a student uploaded is unpacked
 * (one level) with the same checks. Only an unreadable or non-zip input throws.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import type { SubmissionRef } from './discover';
import { planCanvas, planFolderSubmission, planLayout, type ArchivePath, type Layout, type LayoutPlan, type PlannedFile, type PlannedSubmission } from './layoutPlan';
import { SUBMISSION_LIMITS, assessSubmission, findSubmissionRoot, listSome, selectWithinLimits, type SubmissionContents } from './submissionFiles';
import { entryPattern, entryRule, type EntryName } from './entryFile';

/** Limits applied while ingesting; see {@link ZIP_LIMITS} for the defaults. */
export interface ZipLimits {
  /** Entries read from an archive's central directory; the rest are not read (a last line of defence). */
  maxEntries: number;
  /** Uncompressed bytes of one file (counted while inflating). */
  maxFileBytes: number;
  /** Uncompressed bytes of all extracted files together (a last line of defence). */
  maxTotalBytes: number;
  /** Largest accepted uncompressed:compressed ratio of one file … */
  maxCompressionRatio: number;
  /** … checked once a file has inflated to this many bytes (small text files compress well). */
  ratioCheckFromBytes: number;
  /** Submissions extracted from one archive (by id); the rest are listed as not extracted. */
  maxSubmissions: number;
  /** Files extracted per submission. */
  maxFilesPerSubmission: number;
  /** Bytes extracted per submission. */
  maxBytesPerSubmission: number;
  /** Folders below a submission's top. */
  maxDepthPerSubmission: number;
  /** Bytes of the zip archives one student uploaded, together (each is read into memory to be unpacked). */
  maxNestedZipBytes: number;
}

const MiB = 1024 * 1024;

/**
 * Default limits. Per submission they match staging's (200 files, 8 MiB), so nothing extracted
 * is dropped later; the archive-wide ones only stop a hostile download and are far above a class
 * of 1,000 students with a few files each.
 */
export const ZIP_LIMITS: Readonly<ZipLimits> = {
  maxEntries: 100_000,
  maxFileBytes: MiB,
  maxTotalBytes: 1024 * MiB,
  maxCompressionRatio: 200,
  ratioCheckFromBytes: 100 * 1024,
  maxSubmissions: 5_000,
  maxFilesPerSubmission: SUBMISSION_LIMITS.maxFiles,
  maxBytesPerSubmission: SUBMISSION_LIMITS.maxBytes,
  maxDepthPerSubmission: SUBMISSION_LIMITS.maxDepth,
  maxNestedZipBytes: 8 * MiB,
};

/** The file given is missing, unreadable or not a zip archive. */
export class ZipInputError extends Error {
  override readonly name = 'ZipInputError';
}

/** What ingesting a download produced. */
export interface Ingestion {
  layout: Layout;
  /** One per submission folder created under the destination, sorted by id. */
  submissions: SubmissionRef[];
  /**
   * For the instructor: one line per skipped entry or group of entries, named as in the download,
   * e.g. `evil/../../x.ts: path escapes the archive: skipped`. What concerns one submission is on
   * its row too (`notes`, `problem`).
   */
  skipped: string[];
}

/** Archives a student may upload that mlgrade does not unpack (a `.zip` is unpacked). */
const OTHER_ARCHIVES = ['.tar', '.tgz', '.tar.gz', '.tar.bz2', '.tar.xz', '.rar', '.7z', '.gz', '.bz2', '.xz'];
const isZipName = (name: string) => name.toLowerCase().endsWith('.zip');
const isOtherArchiveName = (name: string) => OTHER_ARCHIVES.some((suffix) => name.toLowerCase().endsWith(suffix));
/** Folders never extracted: dependencies and version control are not part of a submission. */
const NOT_EXTRACTED_DIRS = new Set(['node_modules', '.git']);
const MAX_DEPTH = 32;
const MAX_SEGMENT_BYTES = 255;
/** Entries read from one uploaded zip, in multiples of the per-submission file limit. */
const NESTED_ENTRY_FACTOR = 10;

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

const startsWith = (segments: string[], prefix: string[]) => prefix.length <= segments.length && prefix.every((s, i) => segments[i] === s);
const folderOf = (segments: string[]) => segments.slice(0, -1);
const last = (segments: string[]) => segments[segments.length - 1];
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// Reading archives

/** A file that can be extracted: from the download, a zip a student uploaded, or a folder. */
interface SourceFile extends ArchivePath {
  /** Uncompressed bytes as declared. */
  size: number;
  compressedSize: number;
  open(): Promise<NodeJS.ReadableStream>;
}

/** Archives up to this size are read into memory first: reading 20,000 central-directory records one small file read at a time costs seconds. */
const IN_MEMORY_ZIP_BYTES = 64 * MiB;
// decodeStrings: false — yauzl would otherwise end the whole read at the first `../` name; we
// decode and check names ourselves. validateEntrySizes: false — sizes are checked here, per
// entry, so one lying header skips one file instead of aborting the archive.
const YAUZL_OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false };

async function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  let size: number;
  try {
    const stat = fs.statSync(zipPath);
    if (stat.isDirectory()) throw new ZipInputError(`${zipPath} is a folder, not a zip archive`);
    size = stat.size;
  } catch (error) {
    if (error instanceof ZipInputError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ZipInputError(`No such file: ${zipPath}`);
    throw new ZipInputError(`${zipPath} is not readable (${(error as Error).message})`, { cause: error });
  }
  try {
    if (size <= IN_MEMORY_ZIP_BYTES) return await openZipBuffer(fs.readFileSync(zipPath));
    return await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(zipPath, YAUZL_OPTIONS, (error, zip) => (error || !zip ? reject(error ?? new Error('unreadable')) : resolve(zip))),
    );
  } catch (error) {
    throw new ZipInputError(`${zipPath} is not a zip archive (${(error as Error).message})`, { cause: error });
  }
}

function openZipBuffer(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, YAUZL_OPTIONS, (error, zip) => (error || !zip ? reject(error ?? new Error('unreadable')) : resolve(zip)));
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
    if (limit <= 0) finish();
    else zip.readEntry();
  });
}

function decodeName(entry: yauzl.Entry): string {
  // Strict: keep backslashes so that checkEntryPath sees (and normalises) them itself.
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
}

/** Why an entry is not extracted (before its data is read), or undefined. */
function refuseEntry(entry: yauzl.Entry, segments: string[], caps: ZipLimits, nested: boolean): string | undefined {
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) return 'symbolic link';
  if (type !== 0 && type !== S_IFREG) return `special file (mode 0o${type.toString(8)})`;
  if (entry.isEncrypted()) return 'encrypted';
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return `unsupported compression method ${entry.compressionMethod}`;
  const base = last(segments);
  const archive = isZipName(base) || isOtherArchiveName(base);
  if (nested && archive) return 'an archive inside an uploaded archive (mlgrade unpacks one level)';
  const limit = archive ? caps.maxNestedZipBytes : caps.maxFileBytes;
  if (entry.uncompressedSize > limit) return `${entry.uncompressedSize} bytes, over the limit of ${limit} bytes per ${archive ? 'uploaded archive' : 'file'}`;
  if (entry.uncompressedSize >= caps.ratioCheckFromBytes && entry.uncompressedSize > caps.maxCompressionRatio * Math.max(1, entry.compressedSize)) {
    return `compression ratio over ${caps.maxCompressionRatio}:1 (a zip bomb?)`;
  }
  return undefined;
}

function openReadStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}

/** What a zip holds, checked entry by entry (nothing is read yet but the directory). */
interface ScreenedZip {
  files: SourceFile[];
  /** Entries skipped before any file could be named (bad names, duplicates), and summaries (metadata). */
  skipped: string[];
  /** About the archive as a whole (damaged directory, too many entries), without the archive's name. */
  notices: string[];
}

/** The files of a zip, checked; what cannot be attributed to a file (bad names, metadata) as lines. */
async function screenZip(zip: yauzl.ZipFile, limit: number, caps: ZipLimits, nested: boolean): Promise<ScreenedZip> {
  const skipped: string[] = [];
  const notices: string[] = [];
  const { entries, damaged } = await readEntries(zip, limit);
  if (damaged) notices.push(`the archive's directory is damaged after ${entries.length} entries (${damaged}): the rest is skipped`);
  if (zip.entryCount > limit) {
    const consequence = nested ? '' : ', so the submissions they belong to may be incomplete';
    notices.push(`${zip.entryCount} entries, over the limit of ${limit}: the last ${zip.entryCount - limit} were not read${consequence}`);
  }
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  const summaries = new Map<string, number>();
  const summarise = (text: string) => summaries.set(text, (summaries.get(text) ?? 0) + 1);
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
    if (segments[0] === '__MACOSX' || last(segments) === '.DS_Store') {
      summarise('__MACOSX/ and .DS_Store: macOS metadata');
      continue;
    }
    const hidden = segments.findIndex((s) => NOT_EXTRACTED_DIRS.has(s));
    if (hidden >= 0 && hidden < segments.length - 1) {
      summarise(`${segments.slice(0, hidden + 1).join('/')}/: ${segments[hidden] === '.git' ? 'version control' : 'installed dependencies'}`);
      continue;
    }
    const key = segments.join('/');
    if (seen.has(key)) {
      skipped.push(`${shown}: a second entry with the same path: skipped`);
      continue;
    }
    seen.add(key);
    files.push({
      name: shown,
      segments,
      refused: refuseEntry(entry, segments, caps, nested),
      size: entry.uncompressedSize,
      compressedSize: entry.compressedSize,
      open: () => openReadStream(zip, entry),
    });
  }
  for (const [text, count] of summaries) skipped.push(`${text} (${count} ${count === 1 ? 'entry' : 'entries'}): skipped`);
  return { files, skipped, notices };
}

// ---------------------------------------------------------------------------------------------
// Writing

class LimitExceeded extends Error {
  constructor(
    message: string,
    readonly scope: 'file' | 'submission' | 'archive',
  ) {
    super(message);
  }
}

/** Counts inflated bytes and fails the stream as soon as a limit is crossed. */
class ByteGuard extends Transform {
  bytes = 0;
  constructor(private readonly check: (bytes: number) => LimitExceeded | undefined) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const problem = this.check(this.bytes);
    if (problem) callback(problem);
    else callback(null, chunk);
  }
}

/** The per-file checks on inflated bytes: size limit, a size over the declared one, ratio. */
function checkInflated(bytes: number, source: SourceFile, limit: number, caps: ZipLimits): LimitExceeded | undefined {
  if (bytes > limit) return new LimitExceeded(`more than ${limit} bytes once inflated, over the limit per file`, 'file');
  if (bytes > source.size) return new LimitExceeded(`more data than its header declares (${source.size} bytes): a forged size`, 'file');
  if (bytes >= caps.ratioCheckFromBytes && bytes > caps.maxCompressionRatio * Math.max(1, source.compressedSize)) {
    return new LimitExceeded(`compression ratio over ${caps.maxCompressionRatio}:1 (a zip bomb?)`, 'file');
  }
  return undefined;
}

/** Bytes written for the whole download; once over its limit nothing more is written. */
interface ArchiveBudget {
  limit: number;
  used: number;
  stopped: boolean;
  /** Submissions that lost files to the archive-wide limit, and how many files. */
  affected: string[];
  files: number;
}

type WriteOutcome = { status: 'written'; bytes: number } | { status: 'skipped'; reason: string } | { status: 'archive-limit' };

async function writeSourceFile(source: SourceFile, submissionDir: string, target: string[], caps: ZipLimits, remaining: number, archive: ArchiveBudget): Promise<WriteOutcome> {
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
  const guard = new ByteGuard((bytes) => {
    const problem = checkInflated(bytes, source, caps.maxFileBytes, caps);
    if (problem) return problem;
    if (bytes > remaining) return new LimitExceeded(`over the limit of ${caps.maxBytesPerSubmission} bytes per submission`, 'submission');
    if (archive.used + bytes > archive.limit) return new LimitExceeded('over the total limit', 'archive');
    return undefined;
  });
  const sink = fs.createWriteStream(destination, { fd });
  try {
    await pipeline(await source.open(), guard, sink);
  } catch (error) {
    sink.destroy();
    fs.rmSync(destination, { force: true });
    if (error instanceof LimitExceeded) return error.scope === 'archive' ? { status: 'archive-limit' } : { status: 'skipped', reason: error.message };
    return { status: 'skipped', reason: `unreadable (${(error as Error).message})` };
  }
  if (guard.bytes !== source.size) {
    fs.rmSync(destination, { force: true });
    return { status: 'skipped', reason: `${guard.bytes} bytes where its header declares ${source.size}: a damaged or forged entry` };
  }
  return { status: 'written', bytes: guard.bytes };
}

/** Reads a (nested) archive into memory with the per-file checks; `limit` bytes at most. */
async function readToBuffer(source: SourceFile, limit: number, caps: ZipLimits): Promise<{ status: 'read'; buffer: Buffer } | { status: 'failed'; reason: string }> {
  const chunks: Buffer[] = [];
  const guard = new ByteGuard((bytes) => checkInflated(bytes, source, limit, caps));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  try {
    await pipeline(await source.open(), guard, sink);
  } catch (error) {
    return { status: 'failed', reason: error instanceof LimitExceeded ? error.message : `unreadable (${(error as Error).message})` };
  }
  if (guard.bytes !== source.size) return { status: 'failed', reason: `${guard.bytes} bytes where its header declares ${source.size}: a damaged or forged entry` };
  return { status: 'read', buffer: Buffer.concat(chunks) };
}

// ---------------------------------------------------------------------------------------------
// Ingesting

interface CandidateFile {
  source: SourceFile;
  target: string[];
  size: number;
  label: string;
}

interface NotExtracted {
  /** Name in the download (instructor). */
  source: string;
  /** Name the student knows. */
  label: string;
  target?: string;
  reason: string;
  scope: 'submission' | 'archive';
}

/** A file of the student's left out for a reason of their own submission. */
function leftOut(source: string, label: string, reason: string, target?: string[]): NotExtracted {
  return { source, label, target: target?.join('/'), reason, scope: 'submission' };
}

/** Groups lines by reason: `a.ts, b.ts and 3 more: <reason>: <verb>`. */
function groupByReason(items: { name: string; reason: string }[], verb: string): string[] {
  const byReason = new Map<string, string[]>();
  for (const item of items) {
    const names = byReason.get(item.reason);
    if (names) names.push(item.name);
    else byReason.set(item.reason, [item.name]);
  }
  return [...byReason].map(([reason, names]) => `${listSome(names)}: ${reason}: ${verb}`);
}

/** One submission's files while it is being ingested. */
interface UploadedFiles {
  candidates: CandidateFile[];
  notExtracted: NotExtracted[];
  /** Uploaded archives not unpacked: `source` names it as in the download. */
  unopened: { label: string; source: string; reason: string }[];
  /** For the student. */
  notes: string[];
  /** For the instructor, about entries of uploaded zips that name no file of the submission. */
  lines: string[];
  opened: yauzl.ZipFile[];
}

/** Unpacks the zips a student uploaded into candidates for their submission. */
async function unpackUploadedZips(
  zips: PlannedFile<SourceFile>[],
  entryBase: EntryName,
  caps: ZipLimits,
  out: UploadedFiles,
): Promise<void> {
  let budget = caps.maxNestedZipBytes;
  for (const zip of [...zips].sort((a, b) => (a.target.join('/') < b.target.join('/') ? -1 : 1))) {
    const fail = (reason: string) => out.unopened.push({ label: zip.label, source: zip.file.name, reason });
    if (zip.file.size > budget) {
      fail(`${zip.file.size} bytes, over the limit of ${caps.maxNestedZipBytes} bytes of uploaded archives per submission`);
      continue;
    }
    const read = await readToBuffer(zip.file, budget, caps);
    if (read.status === 'failed') {
      fail(read.reason);
      continue;
    }
    budget -= read.buffer.length;
    let nested: yauzl.ZipFile;
    try {
      nested = await openZipBuffer(read.buffer);
    } catch (error) {
      fail(`not a readable zip archive: ${(error as Error).message}`);
      continue;
    }
    out.opened.push(nested);
    const screened = await screenZip(nested, caps.maxFilesPerSubmission * NESTED_ENTRY_FACTOR, caps, true);
    if (screened.files.length === 0) {
      fail(screened.notices[0] ?? 'it holds no files');
      continue;
    }
    for (const line of [...screened.notices, ...screened.skipped.filter((l) => !l.startsWith('__MACOSX/'))]) {
      out.notes.push(`${zip.label}: ${line}`);
      out.lines.push(`${zip.file.name}: ${line}`);
    }
    const usable = screened.files.filter((f) => !f.refused);
    const { root, wrappers, outside } = findSubmissionRoot(
      usable.map((f) => f.segments),
      entryBase,
    );
    const outsideSet = new Set(outside.map((p) => p.join('/')));
    const folder = folderOf(zip.target);
    for (const file of screened.files) {
      const inner = file.segments.join('/');
      const label = `${zip.label}: ${inner}`;
      const source = `${zip.file.name}: ${inner}`;
      const within = startsWith(file.segments, root);
      const target = [...folder, ...file.segments.slice(root.length)];
      if (file.refused) out.notExtracted.push(leftOut(source, label, file.refused, within ? target : undefined));
      else if (outsideSet.has(inner)) out.notExtracted.push(leftOut(source, label, `outside ${root.join('/')}/, the folder holding ${entryPattern(entryBase)}`));
      else out.candidates.push({ source: { ...file, name: source }, target, size: file.size, label });
    }
    const how = root.length ? ` (from its folder ${root.join('/')}/${root.length > wrappers.length ? `, which holds ${entryPattern(entryBase)}` : ''})` : '';
    out.notes.push(`${zip.label} unpacked${how}`);
  }
}

const NOT_ZIP = 'mlgrade unpacks only .zip archives: submit the files themselves, or a .zip';

/** Writes one planned submission into `dir` within its own limits; returns its ref and the instructor's lines. */
async function ingestSubmission(planned: PlannedSubmission<SourceFile>, dir: string, entryBase: EntryName, caps: ZipLimits, archive: ArchiveBudget): Promise<{ ref: SubmissionRef; lines: string[] }> {
  fs.mkdirSync(dir, { recursive: true });
  const notExtracted = planned.notExtracted.map((n) => leftOut(n.file.name, n.label, n.reason, n.target));
  const out: UploadedFiles = { candidates: [], notExtracted, unopened: [], notes: [...planned.notes], lines: [], opened: [] };
  const zips: PlannedFile<SourceFile>[] = [];
  for (const file of planned.files) {
    const name = last(file.target);
    if (isZipName(name)) zips.push(file);
    else if (isOtherArchiveName(name)) out.unopened.push({ label: file.label, source: file.file.name, reason: NOT_ZIP });
    else out.candidates.push({ source: file.file, target: file.target, size: file.file.size, label: file.label });
  }
  const written: string[] = [];
  try {
    await unpackUploadedZips(zips, entryBase, caps, out);
    // The first file for a path wins: the student's own loose files, then their archives' files.
    const unique = new Map<string, CandidateFile>();
    for (const candidate of out.candidates) {
      const key = candidate.target.join('/');
      if (unique.has(key)) notExtracted.push(leftOut(candidate.source.name, candidate.label, `a second file named ${key} (the first one is kept)`));
      else unique.set(key, candidate);
    }
    const limits = { maxFiles: caps.maxFilesPerSubmission, maxBytes: caps.maxBytesPerSubmission, maxDepth: caps.maxDepthPerSubmission };
    const { kept, refused } = selectWithinLimits([...unique.values()], entryBase, limits);
    for (const { item, reason } of refused) notExtracted.push(leftOut(item.source.name, item.label, reason, item.target));
    let bytes = 0;
    for (const candidate of kept) {
      const target = candidate.target.join('/');
      const remaining = caps.maxBytesPerSubmission - bytes;
      const outcome = archive.stopped ? ({ status: 'archive-limit' } as const) : await writeSourceFile(candidate.source, dir, candidate.target, caps, remaining, archive);
      if (outcome.status === 'written') {
        bytes += outcome.bytes;
        archive.used += outcome.bytes;
        written.push(target);
      } else if (outcome.status === 'archive-limit') {
        archive.stopped = true;
        archive.files += 1;
        const reason = `the whole download is over mlgrade's limit of ${archive.limit} bytes (a grader limit, not the student's doing; the instructor can raise it)`;
        notExtracted.push({ source: candidate.source.name, label: candidate.label, target, reason, scope: 'archive' });
      } else {
        notExtracted.push(leftOut(candidate.source.name, candidate.label, outcome.reason, candidate.target));
      }
    }
  } finally {
    for (const zip of out.opened) zip.close();
  }
  if (notExtracted.some((n) => n.scope === 'archive')) archive.affected.push(planned.id);

  const contents: SubmissionContents = { files: written.sort(), notExtracted, unopened: out.unopened, textEntries: planned.textEntries };
  const assessed = assessSubmission(contents, entryBase);
  const own = notExtracted.filter((n) => n.scope === 'submission');
  const notes = [
    ...out.notes,
    ...assessed.notes,
    ...out.unopened.map((u) => `${u.label}: not unpacked: ${u.reason}`),
    ...groupByReason(
      notExtracted.map((n) => ({ name: n.label, reason: n.reason })),
      'not extracted',
    ),
  ];
  const lines = [
    ...out.unopened.map((u) => `${u.source}: not unpacked: ${u.reason}`),
    ...out.lines,
    ...groupByReason(
      own.map((n) => ({ name: n.source, reason: n.reason })),
      'skipped',
    ),
  ];
  const ref: SubmissionRef = { id: planned.id, dir };
  if (planned.late !== undefined) ref.late = planned.late;
  if (planned.canvas) ref.canvas = planned.canvas;
  if (planned.renames.length) ref.renames = planned.renames;
  if (notes.length) ref.notes = notes;
  if (assessed.problem) ref.problem = assessed.problem;
  return { ref, lines };
}

/** Writes every planned submission under `dest` (sorted by id, at most `maxSubmissions`). */
async function ingestPlan(plan: LayoutPlan<SourceFile>, dest: string, entryBase: EntryName, caps: ZipLimits, label: string, skipped: string[]): Promise<Ingestion> {
  let planned = [...plan.submissions].sort(byId);
  if (planned.length > caps.maxSubmissions) {
    const dropped = planned.slice(caps.maxSubmissions);
    skipped.push(
      `${label}: ${planned.length} submissions, over the limit of ${caps.maxSubmissions} per download (raise maxSubmissions to grade them all): ` +
        `the last ${dropped.length} by id (${listSome(dropped.map((s) => s.id))}) were not extracted`,
    );
    planned = planned.slice(0, caps.maxSubmissions);
  }
  fs.mkdirSync(dest, { recursive: true });
  const archive: ArchiveBudget = { limit: caps.maxTotalBytes, used: 0, stopped: false, affected: [], files: 0 };
  const submissions: SubmissionRef[] = [];
  for (const submission of planned) {
    const { ref, lines } = await ingestSubmission(submission, path.join(dest, submission.id), entryBase, caps, archive);
    submissions.push(ref);
    skipped.push(...lines);
  }
  if (archive.affected.length) {
    skipped.push(
      `${label}: over the limit of ${caps.maxTotalBytes} bytes for the whole download: ${archive.files} files of ${archive.affected.length} submissions ` +
        `not extracted (${listSome(archive.affected)}); each has the reason on its row`,
    );
  }
  return { layout: plan.layout, submissions, skipped };
}

function checkArguments(caller: string, destDir: string, entryBase: EntryName, limits: Partial<ZipLimits>): { dest: string; caps: ZipLimits } {
  const base = entryRule(entryBase).base;
  if (!base || /[\\/]/.test(base)) throw new Error(`${caller}: entryBase must be a file name without extension, got ${JSON.stringify(base)}`);
  const dest = path.resolve(destDir);
  if (fs.existsSync(dest)) {
    if (!fs.statSync(dest).isDirectory()) throw new Error(`${caller}: the destination ${destDir} is not a folder`);
    if (fs.readdirSync(dest).length > 0) throw new Error(`${caller}: the destination ${destDir} is not empty`);
  }
  return { dest, caps: { ...ZIP_LIMITS, ...limits } };
}

/**
 * Unpacks a zip of submissions into `destDir` (created; must be missing or empty), one folder per
 * submission, and returns the submissions (sorted by id, as `discoverSubmissions(destDir)` would
 * find them, each with its `notes` and `problem`) and a line for everything skipped. Layouts: see
 * {@link planLayout}.
 *
 * Throws {@link ZipInputError} only when `zipPath` is missing or not a zip archive; a bad entry
 * is skipped with a message, e.g. `evil/../../x.ts: path escapes the archive: skipped`.
 *
 * @example
 * const { submissions, skipped } = await extractSubmissionsZip('class.zip', '/tmp/class', 'losses');
 * // submissions: [{ id: 'doejane_12345', dir: '/tmp/class/doejane_12345', late: false, canvas: { kind: 'user', … } }, …]
 */
export async function extractSubmissionsZip(zipPath: string, destDir: string, entryBase: EntryName, limits: Partial<ZipLimits> = {}): Promise<Ingestion> {
  const { dest, caps } = checkArguments('extractSubmissionsZip', destDir, entryBase, limits);
  const zip = await openZip(zipPath);
  try {
    const screened = await screenZip(zip, caps.maxEntries, caps, false);
    const { files } = screened;
    const skipped = [...screened.notices.map((n) => `${zipPath}: ${n}`), ...screened.skipped];
    const fallbackId = path.basename(zipPath).replace(/\.zip$/i, '') || 'submission';
    const plan = planLayout(files, entryBase, fallbackId);
    skipped.push(...plan.skipped);
    if (files.length === 0) skipped.push(`${zipPath}: no files to extract`);
    return await ingestPlan(plan, dest, entryBase, caps, zipPath, skipped);
  } finally {
    zip.close();
  }
}

/** A file on disk as a source: size from `stat`, opened without following links. */
function diskFile(full: string, name: string, segments: string[], dirent: fs.Dirent, caps: ZipLimits): SourceFile {
  const refused = dirent.isFile() ? undefined : dirent.isSymbolicLink() ? 'symbolic link' : 'special file';
  const size = refused ? 0 : fs.statSync(full).size;
  const archive = isZipName(dirent.name) || isOtherArchiveName(dirent.name);
  const limit = archive ? caps.maxNestedZipBytes : caps.maxFileBytes;
  return {
    name,
    segments,
    refused: refused ?? (size > limit ? `${size} bytes, over the limit of ${limit} bytes per ${archive ? 'uploaded archive' : 'file'}` : undefined),
    size,
    compressedSize: size,
    // O_NOFOLLOW: a file swapped for a link since it was listed is not followed.
    open: async () => fs.createReadStream('', { fd: fs.openSync(full, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW) }),
  };
}

/**
 * Arranges an already unzipped Canvas download — the flat `name_userid_fileid_file` files directly
 * in `folder` — exactly as {@link extractSubmissionsZip} would the zip: one folder per submission
 * under `destDir` (created; must be missing or empty), names restored, uploaded zips unpacked, the
 * same limits. Sub-folders, links and special files are not part of the layout and are skipped.
 *
 * @example
 * await extractCanvasFolder('Downloads/submissions', '/tmp/class', 'losses')
 * // returns { layout: 'canvas', submissions: [{ id: 'doejane_12345', … }], skipped: [] }
 */
export async function extractCanvasFolder(folder: string, destDir: string, entryBase: EntryName, limits: Partial<ZipLimits> = {}): Promise<Ingestion> {
  const { dest, caps } = checkArguments('extractCanvasFolder', destDir, entryBase, limits);
  const source = path.resolve(folder);
  const skipped: string[] = [];
  const files: SourceFile[] = [];
  for (const dirent of fs.readdirSync(source, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (dirent.name.startsWith('.')) continue;
    if (dirent.isDirectory()) skipped.push(`${dirent.name}/: a folder, not part of Canvas's flat layout: skipped`);
    else files.push(diskFile(path.join(source, dirent.name), dirent.name, [dirent.name], dirent, caps));
  }
  const plan = planCanvas(files);
  skipped.push(...plan.skipped);
  return ingestPlan({ layout: 'canvas', ...plan }, dest, entryBase, caps, folder, skipped);
}

/**
 * Copies one submission folder into `destDir` (created; must be missing or empty) the way a
 * download's folder would be extracted: the zips its student uploaded unpacked (one level), a
 * single `src/` holding the entry hoisted, the same checks and per-submission limits. Used when a
 * folder cannot be graded in place (its work is inside an uploaded zip).
 *
 * @example
 * await extractSubmissionFolder('alice', 'class/alice', '/tmp/work/alice', 'losses')
 * // returns { ref: { id: 'alice', dir: '/tmp/work/alice', notes: ['hw1.zip unpacked'] }, skipped: [] }
 */
export async function extractSubmissionFolder(id: string, folder: string, destDir: string, entryBase: EntryName, limits: Partial<ZipLimits> = {}): Promise<{ ref: SubmissionRef; skipped: string[] }> {
  const { dest, caps } = checkArguments('extractSubmissionFolder', destDir, entryBase, limits);
  const root = path.resolve(folder);
  const files: SourceFile[] = [];
  const skipped: string[] = [];
  const walk = (relative: string[]): void => {
    for (const dirent of fs.readdirSync(path.join(root, ...relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const segments = [...relative, dirent.name];
      if (files.length >= caps.maxEntries) return;
      if (dirent.isDirectory()) {
        if (NOT_EXTRACTED_DIRS.has(dirent.name) || dirent.name === '__MACOSX') continue;
        if (segments.length < MAX_DEPTH) walk(segments);
        else skipped.push(`${segments.join('/')}/: more than ${MAX_DEPTH} folders deep: skipped`);
        continue;
      }
      if (dirent.name === '.DS_Store') continue;
      files.push(diskFile(path.join(root, ...segments), [id, ...segments].join('/'), segments, dirent, caps));
    }
  };
  walk([]);
  const planned = planFolderSubmission(
    id,
    files.map((file) => ({ file, rel: file.segments })),
    entryBase,
  );
  const archive: ArchiveBudget = { limit: caps.maxTotalBytes, used: 0, stopped: false, affected: [], files: 0 };
  const { ref, lines } = await ingestSubmission(planned, dest, entryBase, caps, archive);
  return { ref, skipped: [...skipped, ...lines] };
}
