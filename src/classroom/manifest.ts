/**
 * `manifest.json`, written by `classroom fetch` next to the submissions it fetched and read by
 * `classroom post`: for every roster entry (and every open pull request) which commit was fetched
 * into which submission folder, or why nothing was. Instructor-only (it names repositories and
 * remotes); students never see it.
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   "createdAt": "2026-12-01T16:00:00.000Z",
 *   "roster": "roster.csv",
 *   "since": "2026-12-01T12:00:00.000Z",            // when --since was given
 *   "entries": [
 *     { "status": "fetched", "submission": "alice", "students": ["alice"],
 *       "repository": { "label": "org/losses-alice", "github": { "owner": "org", "name": "losses-alice" },
 *                       "remote": "https://github.com/org/losses-alice.git" },
 *       "ref": "refs/heads/main", "branch": "main", "commit": "47c7f32…", "committedAt": "2026-12-01T15:39:24+00:00",
 *       "dir": "submissions/alice", "files": 3, "skipped": [] },
 *     { "status": "fetched", "submission": "alice.pr1", …, "ref": "refs/pull/1/head", "pullRequest": { "number": 1 }, … },
 *     { "status": "unchanged", "submission": "bob", …, "reason": "last commit 2026-11-30T09:00:00Z is before --since …" },
 *     { "status": "failed", "submission": "carol", "students": ["carol"], "repository": { … },
 *       "reason": "fatal: repository 'https://github.com/org/losses-carol.git/' not found" }
 *   ]
 * }
 * ```
 *
 * Submission ids are the folder names under `submissions/` and so the ids `grade` gives the
 * results: a student's (or group's) id for the default branch, `<id>.pr<N>` for pull request N.
 */
import * as fs from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../../reports/atomic';
import { ClassroomUsageError } from './errors';

export const MANIFEST_VERSION = 1;

/** A submission id: a roster id, and `.pr<N>` for a pull request (so it can never equal a roster id). */
export const SUBMISSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.pr[0-9]+)?$/;

const repositorySchema = z
  .object({
    label: z.string(),
    github: z.object({ owner: z.string().min(1), name: z.string().min(1) }).strict().optional(),
    remote: z.string(),
  })
  .strict();

const common = {
  submission: z.string().regex(SUBMISSION_ID, 'a submission id (letters, digits, _ and -, then .pr<N> for a pull request)'),
  students: z.array(z.string()),
  pullRequest: z.object({ number: z.number().int().positive() }).strict().optional(),
};

const commitFields = {
  repository: repositorySchema,
  /** The ref fetched: `refs/heads/<default branch>` or `refs/pull/<N>/head`. */
  ref: z.string(),
  /** The default branch's name, for default-branch submissions. */
  branch: z.string().optional(),
  commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a full commit hash'),
  /** The commit's committer date (ISO 8601), as git recorded it. */
  committedAt: z.string(),
};

const fetchedSchema = z
  .object({
    status: z.literal('fetched'),
    ...common,
    ...commitFields,
    /** The submission folder, relative to the manifest's folder. */
    dir: z.string(),
    files: z.number().int().min(0),
    /** Files of the commit not written, with the reason (the student's own paths). */
    skipped: z.array(z.string()),
  })
  .strict();

const unchangedSchema = z.object({ status: z.literal('unchanged'), ...common, ...commitFields, reason: z.string() }).strict();

const failedSchema = z.object({ status: z.literal('failed'), ...common, repository: repositorySchema.optional(), reason: z.string() }).strict();

const entrySchema = z.discriminatedUnion('status', [fetchedSchema, unchangedSchema, failedSchema]);

const manifestSchema = z
  .object({
    version: z.literal(MANIFEST_VERSION),
    createdAt: z.string(),
    roster: z.string(),
    since: z.string().optional(),
    entries: z.array(entrySchema),
  })
  .strict();

export type ManifestEntry = z.infer<typeof entrySchema>;
export type FetchedEntry = z.infer<typeof fetchedSchema>;
export type UnchangedEntry = z.infer<typeof unchangedSchema>;
export type FailedEntry = z.infer<typeof failedSchema>;
export type ClassroomManifest = z.infer<typeof manifestSchema>;
export type ManifestRepository = z.infer<typeof repositorySchema>;

/** Writes the manifest atomically (a run that stops half-way never leaves half a manifest). */
export function writeManifest(file: string, manifest: ClassroomManifest): void {
  writeFileAtomic(file, JSON.stringify(manifest, null, 2) + '\n');
}

/**
 * Reads and checks a manifest; a missing file or one that is not a manifest is a
 * {@link ClassroomUsageError} naming the key at fault.
 */
export function readManifest(file: string): ClassroomManifest {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const fix = 'give the manifest.json written by `mlgrade classroom fetch`';
    throw new ClassroomUsageError(missing ? `no manifest ${file}: ${fix} (--manifest)` : `${file} is not JSON: ${fix}`);
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ClassroomUsageError(`${file}: key "${issue.path.join('.') || '(top)'}": ${issue.message} (is this a manifest of \`mlgrade classroom fetch\`, version ${MANIFEST_VERSION}?)`);
  }
  return parsed.data;
}
