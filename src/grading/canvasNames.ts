/**
 * Canvas "Download Submissions" file names (pure; no I/O). Source: instructure/canvas-lms
 * `lib/content_zipper.rb` (names) and `app/models/attachment.rb` (`make_unique_filename`, the
 * resubmission suffix); see /work/shared/research/lms-and-ci.md §1.
 *
 * - An upload: `<name>_[LATE_]<userId>_<fileId>_<displayName>`, e.g. `doejane_LATE_12345_67890_losses-1.ts`.
 *   `name` is the sortable name (a group's name for a group assignment) lower-cased with non-word
 *   characters removed; the 4th field is Canvas's **attachment (file) id**, not a submission id.
 * - Anonymous grading: `[LATE_]anon_<anonymousId>_<fileId>_<displayName>`.
 * - A text entry or a URL: `<prefix>_text.html`, `<prefix>_link.html` (no file id).
 * - A re-uploaded file is renamed with `-1`…`-7`, then `-<uuid>`, before the compound extension:
 *   `model.tar.gz` → `model-1.tar.gz`, `a.b.c.pdf` → `a-1.b.c.pdf`; very old Canvas put it before
 *   the last extension (`x.tar-1.gz`), which the same split also undoes. Higher numbers (`-8`,
 *   `-2024`) are not Canvas's today and are left alone: they are more likely the student's own.
 */

/** Whose submission a Canvas file belongs to. */
export type CanvasIdentity =
  /** `name`: the sortable-name token (`doejane`), or a group's name token for a group assignment. */
  | { kind: 'user'; name: string; userId: string }
  | { kind: 'anonymous'; anonymousId: string };

/** What a Canvas download says about one submission (kept on its SubmissionRef). */
export type CanvasSubmission = CanvasIdentity & {
  /** Canvas's attachment (file) ids of the files in the download, ascending. Not submission ids. */
  fileIds: string[];
};

/** One parsed Canvas file name. */
export interface CanvasName {
  /** The submission's folder name and grouping key: `doejane_12345`, `anon_ab3De`. */
  id: string;
  identity: CanvasIdentity;
  /** Canvas's `LATE` flag. */
  late: boolean;
  /** An uploaded file (its display name still carries Canvas's `-N` suffix, if any), or a text/URL entry. */
  content: { kind: 'upload'; fileId: string; displayName: string } | { kind: 'text' } | { kind: 'link' };
}

// Canvas keeps only word characters in the name part (`[^[[:word:]]]` removed).
const NAME = String.raw`[\p{L}\p{M}\p{N}\p{Pc}]+?`;
const REST = String.raw`_(?:(?<fileId>\d+)_(?<display>.+)|(?<entry>text|link)\.html)$`;
const ANONYMOUS = new RegExp(String.raw`^(?<late>LATE_)?anon_(?<anon>[A-Za-z0-9]+?)${REST}`, 'su');
const NAMED = new RegExp(String.raw`^(?<name>${NAME})_(?<late>LATE_)?(?<user>\d+)${REST}`, 'su');

/**
 * Parses one file name of a Canvas download, or returns undefined. The name part is matched as
 * short as possible (the first `_<digits>_<digits>_` run gives user and file id), as Canvas's own
 * re-upload parser does.
 *
 * @example
 * parseCanvasName('smithjohn_LATE_23456_67892_losses-1.js')
 * // returns { id: 'smithjohn_23456', identity: { kind: 'user', name: 'smithjohn', userId: '23456' }, late: true,
 * //           content: { kind: 'upload', fileId: '67892', displayName: 'losses-1.js' } }
 * parseCanvasName('anon_ab3De_67890_losses.ts')?.id // returns 'anon_ab3De'
 * parseCanvasName('doejane_12345_text.html')?.content // returns { kind: 'text' }
 */
export function parseCanvasName(fileName: string): CanvasName | undefined {
  const match = ANONYMOUS.exec(fileName) ?? NAMED.exec(fileName);
  if (!match?.groups) return undefined;
  const g = match.groups;
  const identity: CanvasIdentity = g.anon !== undefined ? { kind: 'anonymous', anonymousId: g.anon } : { kind: 'user', name: g.name, userId: g.user };
  const id = identity.kind === 'anonymous' ? `anon_${identity.anonymousId}` : `${identity.name}_${identity.userId}`;
  const content: CanvasName['content'] =
    g.entry === 'text' || g.entry === 'link' ? { kind: g.entry } : { kind: 'upload', fileId: g.fileId, displayName: g.display };
  return { id, identity, late: g.late !== undefined, content };
}

/** Canvas's compound extension: the first run of `.letter…` segments that ends the name (`.tar.gz`, `.test.ts`). */
const COMPOUND_EXTENSION = /(\.[A-Za-z][A-Za-z0-9]*)*(\.[A-Za-z0-9]*)$/;
const SUFFIX = /-(?:[1-7]|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Splits a file name where Canvas inserts its resubmission suffix: before the compound extension.
 *
 * @example
 * splitCompoundExtension('model.tar.gz') // returns ['model', '.tar.gz']
 * splitCompoundExtension('v1.2.ts')      // returns ['v1.2', '.ts']
 * splitCompoundExtension('Makefile')     // returns ['Makefile', '']
 */
export function splitCompoundExtension(name: string): [string, string] {
  const match = COMPOUND_EXTENSION.exec(name);
  if (!match || match.index === 0) return [name, ''];
  return [name.slice(0, match.index), name.slice(match.index)];
}

/**
 * The name without a Canvas resubmission suffix (`-N`, `-<uuid>`), or undefined when it has none.
 * Whether the suffix really is Canvas's is decided by {@link restoreUploadNames}.
 *
 * @example
 * stripLmsSuffix('losses-1.ts')      // returns 'losses.ts'
 * stripLmsSuffix('a-2.b.c.pdf')      // returns 'a.b.c.pdf'
 * stripLmsSuffix('x.tar-1.gz')       // returns 'x.tar.gz' (old Canvas)
 * stripLmsSuffix('data-2024.csv')    // returns undefined (not a suffix Canvas writes)
 * stripLmsSuffix('layer.ts')         // returns undefined
 */
export function stripLmsSuffix(name: string): string | undefined {
  const [base, extension] = splitCompoundExtension(name);
  const stripped = base.replace(SUFFIX, '');
  return stripped !== base && stripped !== '' ? stripped + extension : undefined;
}

/** A file saved under another name than the one in the download (both relative to the submission). */
export interface FileRename {
  from: string;
  to: string;
  why: 'lms-suffix';
}

/** One uploaded file of a submission, for {@link restoreUploadNames}. */
export interface UploadName {
  name: string;
  /** Canvas's attachment id: a higher id is a later upload. */
  fileId: string;
}

/**
 * Restores the names a submission's files were uploaded as: Canvas's suffix is dropped from every
 * file whose un-suffixed name is not also among the submission's files (a real `layer-1.ts` next
 * to `layer.ts` stays). When several files restore to one name, the latest upload (highest file
 * id) gets it and the others keep their names. Returns the name to save each file as, in order.
 *
 * @example
 * restoreUploadNames([{ name: 'losses-1.ts', fileId: '7' }, { name: 'activations-1.ts', fileId: '8' }])
 * // returns ['losses.ts', 'activations.ts']
 * restoreUploadNames([{ name: 'layer.ts', fileId: '7' }, { name: 'layer-1.ts', fileId: '8' }])
 * // returns ['layer.ts', 'layer-1.ts']
 */
export function restoreUploadNames(files: UploadName[]): string[] {
  const present = new Set(files.map((f) => f.name));
  const claims = new Map<string, number>();
  const candidates = files.map((file, index) => {
    const restored = stripLmsSuffix(file.name);
    if (restored === undefined || present.has(restored)) return undefined;
    const holder = claims.get(restored);
    if (holder === undefined || compareIds(file.fileId, files[holder].fileId) > 0) claims.set(restored, index);
    return restored;
  });
  return files.map((file, index) => {
    const restored = candidates[index];
    return restored !== undefined && claims.get(restored) === index ? restored : file.name;
  });
}

/** Compares two decimal ids numerically (ids may exceed 2^53). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
