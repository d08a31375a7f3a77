/**
 * The layout of a download (pure; no I/O): which files make up which submission and where each
 * goes inside it. GitHub Classroom's folder per repository, Canvas's flat
 * `name_userid_fileid_file` files, or one submission; see {@link planLayout}.
 */
import { compareIds, parseCanvasName, restoreUploadNames, type CanvasName, type CanvasSubmission, type FileRename } from './canvasNames';
import { entryPattern, isEntryFileName, type EntryName } from './entryFile';
import { findSubmissionRoot, listSome } from './submissionFiles';

/** How the files of a download were arranged. */
export type Layout = 'folders' | 'canvas' | 'single';

/** An accepted file of a download, as the layout planner sees it. */
export interface ArchivePath {
  /** The name as stored in the download (for the instructor's messages). */
  name: string;
  segments: string[];
  /** Set when the file is not extracted (e.g. a symbolic link): why; reported on its submission's row. */
  refused?: string;
}

/** One file of a planned submission. */
export interface PlannedFile<F> {
  file: F;
  /** Path inside the submission folder. */
  target: string[];
  /** The file's name as its student knows it (no LMS prefix, no temporary folder). */
  label: string;
}

/** One submission as planned from the download's names, before anything is written. */
export interface PlannedSubmission<F> {
  id: string;
  files: PlannedFile<F>[];
  /** Files of this submission the plan leaves out, with why (`target` when inside the submission). */
  notExtracted: { file: F; label: string; target?: string[]; reason: string }[];
  late?: boolean;
  canvas?: CanvasSubmission;
  renames: FileRename[];
  /** Lines for the student (e.g. "graded from src/"). */
  notes: string[];
  /** Canvas text (`_text.html`) and URL (`_link.html`) entries among `files`. */
  textEntries: ('text' | 'link')[];
}

/** Where each file of a download goes: `<dest>/<id>/<target…>`. */
export interface LayoutPlan<F extends ArchivePath = ArchivePath> {
  layout: Layout;
  submissions: PlannedSubmission<F>[];
  /** Files that belong to no submission, one line each (or per group). */
  skipped: string[];
}

const startsWith = (segments: string[], prefix: string[]) => prefix.length <= segments.length && prefix.every((s, i) => segments[i] === s);
const folderOf = (segments: string[]) => segments.slice(0, -1);
const last = (segments: string[]) => segments[segments.length - 1];
const show = (segments: string[]) => (segments.length ? segments.join('/') + '/' : 'the top of the archive');
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Plans one submission from files given relative to its folder (`rel`): root found, outside files left out. */
export function planFolderSubmission<F extends ArchivePath>(id: string, files: { file: F; rel: string[] }[], entry: EntryName): PlannedSubmission<F> {
  const usable = files.filter((f) => !f.file.refused);
  const { root, wrappers, outside } = findSubmissionRoot(
    usable.map((f) => f.rel),
    entry,
  );
  const outsideSet = new Set(outside.map((p) => p.join('/')));
  const planned: PlannedSubmission<F> = { id, files: [], notExtracted: [], renames: [], notes: [], textEntries: [] };
  const hoisted = root.length > wrappers.length;
  if (hoisted) planned.notes.push(`graded from ${root.join('/')}/, the folder holding ${entryPattern(entry)}`);
  for (const { file, rel } of files) {
    const label = rel.join('/');
    if (file.refused) {
      planned.notExtracted.push({ file, label, target: startsWith(rel, root) ? rel.slice(root.length) : undefined, reason: file.refused });
    } else if (outsideSet.has(label)) {
      planned.notExtracted.push({ file, label, reason: `outside ${root.join('/')}/, the folder holding ${entryPattern(entry)}` });
    } else {
      planned.files.push({ file, target: rel.slice(root.length), label });
    }
  }
  return planned;
}

/**
 * Plans Canvas's flat layout (pure): files grouped per submission (`<name>_<userId>`,
 * `anon_<id>`), each saved under the name its student uploaded: Canvas's resubmission suffix is
 * dropped from every file whose un-suffixed name is not also in the submission (see
 * `restoreUploadNames`), every rename recorded. Text and URL entries become `canvas-text.html` and
 * `canvas-link.html`. Files not named like Canvas's go to `skipped`.
 *
 * @example
 * planCanvas([{ name: 'doejane_12345_67890_losses-1.ts', segments: ['doejane_12345_67890_losses-1.ts'] }]).submissions[0]
 * // returns { id: 'doejane_12345', files: [{ target: ['losses.ts'], label: 'losses-1.ts', … }],
 * //           renames: [{ from: 'losses-1.ts', to: 'losses.ts', why: 'lms-suffix' }], late: false, canvas: { kind: 'user', … }, … }
 */
export function planCanvas<F extends ArchivePath>(files: F[]): { submissions: PlannedSubmission<F>[]; skipped: string[] } {
  const skipped: string[] = [];
  const groups = new Map<string, { file: F; canvas: CanvasName }[]>();
  for (const file of files) {
    const canvas = parseCanvasName(last(file.segments));
    if (!canvas || file.segments.length !== 1) {
      skipped.push(`${file.name}: not named like a Canvas submission file (name_userid_fileid_file): skipped`);
      continue;
    }
    const group = groups.get(canvas.id) ?? [];
    group.push({ file, canvas });
    groups.set(canvas.id, group);
  }
  const submissions = [...groups.entries()].map(([id, group]): PlannedSubmission<F> => {
    const planned: PlannedSubmission<F> = { id, files: [], notExtracted: [], renames: [], notes: [], textEntries: [] };
    const uploads = group.flatMap((item) => (item.canvas.content.kind === 'upload' ? [{ ...item, upload: item.canvas.content }] : []));
    const restored = restoreUploadNames(uploads.map((u) => ({ name: u.upload.displayName, fileId: u.upload.fileId })));
    uploads.forEach((item, index) => {
      const label = item.upload.displayName;
      // A display name that is not one safe file name (`..`) keeps the download's full name.
      // (The whole name already passed checkEntryPath, so the display name holds no separator.)
      const name = restored[index] !== '.' && restored[index] !== '..' && restored[index] !== '' ? restored[index] : item.file.name;
      if (name === restored[index] && name !== label) planned.renames.push({ from: label, to: name, why: 'lms-suffix' });
      if (item.file.refused) planned.notExtracted.push({ file: item.file, label, target: [name], reason: item.file.refused });
      else planned.files.push({ file: item.file, target: [name], label });
    });
    for (const item of group) {
      const kind = item.canvas.content.kind;
      if (kind === 'upload') continue;
      planned.textEntries.push(kind);
      const label = `canvas-${kind}.html`;
      if (item.file.refused) planned.notExtracted.push({ file: item.file, label, reason: item.file.refused });
      else planned.files.push({ file: item.file, target: [label], label });
    }
    if (planned.renames.length) {
      const list = planned.renames.map((r) => `${r.from} → ${r.to}`).join(', ');
      planned.notes.push(`Canvas's resubmission suffix removed (Canvas adds -1, -2, … to a re-uploaded file's name): ${list}`);
    }
    planned.late = group.some((item) => item.canvas.late);
    const fileIds = uploads.map((u) => u.upload.fileId).sort(compareIds);
    planned.canvas = { ...group[0].canvas.identity, fileIds };
    return planned;
  });
  return { submissions: submissions.sort(byId), skipped };
}

/**
 * Decides the layout of a download from its (already checked) file paths — pure, no I/O.
 *
 * 1. Wrapper folders are stripped: while everything sits in one folder that does not itself hold
 *    the entry file, descend into it.
 * 2. If that level holds the entry file (`losses.ts|js`, any letter case) itself, the download is
 *    one submission (id: the folder's name, or `fallbackId` at the top).
 * 3. Else, if it holds Canvas-named files and none of its folders holds an entry file: Canvas's
 *    flat layout ({@link planCanvas}).
 * 4. Else each folder at that level is one submission (id: the folder's name); inside it, see
 *    `findSubmissionRoot` (wrappers stripped, a single `src/` holding the entry hoisted).
 *
 * @example
 * planLayout([{ name: 'hw/alice/losses.ts', segments: ['hw', 'alice', 'losses.ts'] }], 'losses', 'hw')
 * // returns { layout: 'folders', submissions: [{ id: 'alice', files: [{ …, target: ['losses.ts'] }], … }], skipped: [] }
 */
export function planLayout<F extends ArchivePath>(files: F[], entry: EntryName, fallbackId: string): LayoutPlan<F> {
  const skipped: string[] = [];
  const entryFolders = files.filter((f) => !f.refused && isEntryFileName(last(f.segments), entry)).map((f) => folderOf(f.segments));
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
    const id = base.length ? last(base) : fallbackId;
    const files = inBase.map((file) => ({ file, rel: relative(file, base) }));
    return { layout: 'single', submissions: [planFolderSubmission(id, files, entry)], skipped };
  }

  const topFiles = inBase.filter((f) => f.segments.length === base.length + 1);
  const inFolders = inBase.filter((f) => f.segments.length > base.length + 1);
  const folders = [...new Set(inFolders.map((f) => f.segments[base.length]))].sort();
  const canvasFiles = topFiles.filter((f) => parseCanvasName(last(f.segments)));
  const foldersWithEntry = folders.filter((folder) => entryFolders.some((e) => startsWith(e, [...base, folder])));

  if (canvasFiles.length > 0 && foldersWithEntry.length === 0) {
    const canvas = planCanvas(topFiles.map((f) => ({ ...f, segments: relative(f, base) })));
    if (inFolders.length) skipped.push(`${listSome(inFolders.map((f) => f.name))}: inside a folder, not part of Canvas's flat layout: skipped`);
    return { layout: 'canvas', submissions: canvas.submissions, skipped: [...skipped, ...canvas.skipped] };
  }

  if (topFiles.length) skipped.push(`${listSome(topFiles.map((f) => f.name))}: not inside a submission folder: skipped`);
  const submissions = folders.map((folder) => {
    const top = [...base, folder];
    return planFolderSubmission(
      folder,
      inBase.filter((f) => startsWith(f.segments, top)).map((file) => ({ file, rel: relative(file, top) })),
      entry,
    );
  });
  return { layout: 'folders', submissions, skipped };
}
