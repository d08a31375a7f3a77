/**
 * From an error to what the user reads and the exit code: bad usage or input is one line (no
 * stack trace) and exit 2; anything else is a fault of mlgrade itself, said as such, exit 1.
 */
import { AssignmentSpecError } from '../assignments/spec';
import { BundleError } from '../authoring/bundle';
import { SuiteLoadError } from '../authoring/declareSuite';
import { ModuleBundleError } from '../authoring/bundleModule';
import { KitBuildError } from '../authoring/dist';
import { ScaffoldError } from '../authoring/scaffold';
import { ValidationSetupError } from '../authoring/validate';
import { KitSpecError } from '../kit/spec';
import { SubmissionPathError } from '../grading/discover';
import { CanvasColumnError } from '../grading/canvasColumnCheck';
import { MergeInputError } from '../grading/merge';
import { OutputFolderError } from '../grading/outputFolder';
import { ZipInputError } from '../grading/unzip';
import { UsageError } from './usage';

/** Errors that mean "the input is wrong": their message is written for the user. */
const INPUT_ERRORS = [
  UsageError,
  AssignmentSpecError,
  SubmissionPathError,
  ZipInputError,
  MergeInputError,
  BundleError,
  ScaffoldError,
  OutputFolderError,
  CanvasColumnError,
  SuiteLoadError,
  ValidationSetupError,
  ModuleBundleError,
  KitBuildError,
  KitSpecError,
];

const FILE_SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'name too long',
};

export interface ErrorReport {
  /** What to write to stderr (ends with a newline). */
  text: string;
  exitCode: number;
}

/**
 * How to report `error`.
 *
 * @example
 * describeError(new UsageError('--jobs must be …')) // returns { text: 'mlgrade: --jobs must be …\n', exitCode: 2 }
 */
export function describeError(error: unknown, env: NodeJS.ProcessEnv = process.env): ErrorReport {
  if (INPUT_ERRORS.some((kind) => error instanceof kind)) return { text: `mlgrade: ${(error as Error).message}\n`, exitCode: 2 };
  const system = error as NodeJS.ErrnoException;
  if (system && typeof system.code === 'string' && FILE_SYSTEM_REASONS[system.code] && system.syscall) {
    const where = system.path ? ` ${system.path}` : '';
    return { text: `mlgrade: cannot ${system.syscall}${where}: ${FILE_SYSTEM_REASONS[system.code]}\n`, exitCode: 2 };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (env.MLGRADE_DEBUG === '1' && error instanceof Error && error.stack) return { text: `mlgrade: internal error: ${error.stack}\n`, exitCode: 1 };
  return { text: `mlgrade: internal error (not caused by your input): ${message} — MLGRADE_DEBUG=1 shows where\n`, exitCode: 1 };
}
