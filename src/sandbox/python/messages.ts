/**
 * The Python side of the sandbox wire protocol v2 (PROTOCOL.md): what runner.py accepts and
 * answers, beyond the messages the JavaScript child shares. Frames are the same (4-byte
 * big-endian length + UTF-8 JSON, requests on fd 3, replies on fd 4).
 */

/** PROTOCOL.md's ThrownError; `where` locates it in the student's terms ("losses.py, line 12, in mse_grad", "cell 7, line 3"). */
export interface PythonThrownError {
  name: string;
  message: string;
  /** The traceback with file names relative to the submission ("losses.py", "cell 4"), runner frames removed. */
  stack?: string;
  /** The errno name of an OSError (`ENOENT`, `EROFS`, `ECONNREFUSED`…). */
  code?: string;
  where?: string;
}

/** Limits the runner applies to itself with setrlimit after its imports (the command's prlimit applies them first). */
export interface RunnerLimits {
  /** Replies larger than this become `tooLarge` (default 16 MiB). */
  replyBytes?: number;
  /** RLIMIT_AS. */
  addressSpaceBytes?: number;
  /** RLIMIT_FSIZE: the largest file the submission may write. */
  fileBytes?: number;
  /** RLIMIT_NOFILE. */
  openFiles?: number;
  /** RLIMIT_CPU for the whole process (soft = hard). */
  cpuSeconds?: number;
}

/** grader → runner, first message. */
export interface PythonInit {
  type: 'init';
  /** Path inside the sandbox: a module (`/stage/losses.py`) or a converted notebook (`/stage/hw1.ipynb.json`, see notebook.ts). */
  entry: string;
  /** Export name → Python name (names.ts `pythonNames`); the runner falls back as names.ts `resolvePythonNames` says. */
  names: Record<string, string>;
  /** The stage folder inside the sandbox (default: the entry's folder): paths under it are shown relative. */
  stageDir?: string;
  limits?: RunnerLimits;
  /** Modules besides the standard library a submission may import (for the "No module named …" hint). */
  allowedModules?: string[];
  /** `ndarray` (default): rectangular lists of numbers in arguments arrive as float64 ndarrays; `list`: as lists of floats. */
  arrayArgs?: 'ndarray' | 'list';
  /** Notebooks: go on after a failing cell (default, reported in `cellErrors`) or stop with `loadFailed`. */
  notebook?: { onCellError?: 'continue' | 'stop' };
}

/** grader → runner: calls run in order, one reply each (PROTOCOL.md). */
export interface PythonCallBatch {
  type: 'callBatch';
  id: number;
  calls: { fn: string; args: unknown[]; echoArgs?: boolean }[];
}

/** A notebook cell that raised or did not compile (the notebook went on). */
export interface CellError {
  cell: number;
  thrown: PythonThrownError;
  syntax: boolean;
  /** Names the cell's text defines at top level that are not defined after loading (so its failure explains them). */
  undefined: string[];
}

/** A reply to one call (PROTOCOL.md's CallReply). */
export type PythonCallReply =
  | { ok: true; value: unknown; ms: number; argsAfter?: unknown }
  | { ok: false; thrown: PythonThrownError; ms: number }
  | { ok: false; unsendable: { kind: 'unsendable'; description: string }; ms: number }
  | { ok: false; tooLarge: { bytes: number }; ms: number };

/** runner → grader. */
export type PythonRunnerMessage =
  | {
      type: 'loaded';
      /** Export name → kind ("function", "number", "string", "boolean", "object") for the exports found. */
      exports: Record<string, string>;
      /** Export name → the Python name it was bound to. */
      resolved: Record<string, string>;
      /** Public top-level names the submission defines itself, with their kinds (for "did you mean"). */
      defined: Record<string, string>;
      cellErrors?: CellError[];
    }
  | { type: 'loadFailed'; thrown: PythonThrownError; syntax: boolean; /** Notebooks stopped at a failing cell. */ cell?: number }
  | { type: 'exitCalled'; code: number; during: 'load' | 'call' }
  | { type: 'results'; id: number; replies: PythonCallReply[] };
