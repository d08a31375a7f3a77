/**
 * Output folders are checked before any work starts: a folder that cannot be created or written
 * must fail the run in a second, not after a whole class has been graded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The output folder is missing, a file, or not writable; the message names it and the reason. */
export class OutputFolderError extends Error {
  override readonly name = 'OutputFolderError';
}

/** Why a file-system call failed, in words (the error's code as a fallback). */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EEXIST':
      return 'a file of that name exists';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOENT':
      return 'a part of the path cannot be created there';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

/**
 * Makes sure `dir` exists (created with its parents when missing) and that a file can be written
 * into it (a probe file is written and removed). `label` says what the folder is in messages.
 * Returns the absolute path.
 *
 * @example
 * ensureWritableFolder('grades', 'the output folder') // returns '/home/ta/grades', now created
 * ensureWritableFolder('/sys/x', 'the output folder') // throws "cannot create the output folder /sys/x (…): …"
 */
export function ensureWritableFolder(dir: string, label: string): string {
  if (!dir.trim()) throw new OutputFolderError(`no name given for ${label}`);
  const absolute = path.resolve(dir);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(absolute);
  } catch {
    stat = undefined;
  }
  if (stat && !stat.isDirectory()) throw new OutputFolderError(`${label} ${dir} is a file, not a folder: choose another name`);
  if (!stat) {
    try {
      fs.mkdirSync(absolute, { recursive: true });
    } catch (error) {
      throw new OutputFolderError(`cannot create ${label} ${dir} (${reason(error)}): choose a folder you can write to`);
    }
  }
  const probe = path.join(absolute, `.mlgrade-write-test-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (error) {
    throw new OutputFolderError(`cannot write into ${label} ${dir} (${reason(error)}): choose a folder you can write to`);
  }
  return absolute;
}

/**
 * For an output file (`--junit`, `--report`): makes sure its folder can be written
 * (see {@link ensureWritableFolder}) and that the path itself is not a folder.
 */
export function ensureWritableFile(file: string, label: string): string {
  if (!file.trim()) throw new OutputFolderError(`no name given for ${label}`);
  const absolute = path.resolve(file);
  if (fs.existsSync(absolute) && fs.statSync(absolute).isDirectory()) throw new OutputFolderError(`${label} ${file} is a folder: give a file name`);
  ensureWritableFolder(path.dirname(absolute), `the folder of ${label}`);
  return absolute;
}
