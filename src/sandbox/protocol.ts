/**
 * Wire protocol v2 between the trusted grader and a sandboxed child (the JavaScript child.ts or
 * the Python runner): messages, text caps, and the grader's validation of what a child sends.
 * The text of record is notes/PROTOCOL.md; frames are in framing.ts, values in codec.ts.
 */
import { decodeValue, type Wire } from './codec';

/** A value the child could not send back, described in words ("a Promise", "a Proxy object"…). */
export interface UnsendableValue {
  kind: 'unsendable';
  description: string;
}

/** Error thrown by student code, reduced to plain strings (capped, see {@link TEXT_CAPS}). */
export interface ThrownError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  /** Python and notebooks: where, in the student's terms ("cell 7, line 3", "losses.py:12"). */
  where?: string;
}

/** Characters allowed in the texts a child sends, applied in the child and again in the grader. */
export const TEXT_CAPS = { name: 200, message: 2000, stack: 4000, description: 500, where: 200, code: 100 } as const;

/** `text` cut to at most `cap` characters, ending "… (N more characters)" (N: how far over the cap it was). */
export function capText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  const suffix = `… (${text.length - cap} more characters)`;
  return `${text.slice(0, Math.max(0, cap - suffix.length))}${suffix}`;
}

export type ParentMessage =
  | {
      type: 'init';
      entry: string;
      /** JavaScript: bare module name → absolute entry file. */
      modules?: Record<string, string>;
      /** Python: export name → Python name. */
      names?: Record<string, string>;
      /** Both: the reply cap. Python also applies its own kernel limits (setrlimit) after its imports. */
      limits?: { replyBytes?: number; addressSpaceBytes?: number; fileBytes?: number; openFiles?: number; cpuSeconds?: number };
      /** Python: the stage folder as the runner sees it (paths under it are shown relative). */
      stageDir?: string;
      /** Python: modules besides the standard library a submission may import (for the "No module named …" hint). */
      allowedModules?: string[];
      /** Python: arrays arrive as lists of floats (`list`, what mlgrade sends) or as float64 ndarrays. */
      arrayArgs?: 'ndarray' | 'list';
      /** Python notebooks: go on after a failing cell (reported in `cellErrors`) or stop. */
      notebook?: { onCellError?: 'continue' | 'stop' };
    }
  /** Calls run in order; each call's arguments are decoded afresh, so no two calls share an object. */
  | { type: 'callBatch'; id: number; calls: { fn: string; args: Wire[]; echoArgs?: boolean }[] };

/** One call's reply as sent (values still in wire form). */
export type WireReply =
  | { ok: true; value: Wire; ms: number; argsAfter?: Wire }
  | { ok: false; thrown: ThrownError; ms: number }
  | { ok: false; unsendable: UnsendableValue; ms: number }
  | { ok: false; tooLarge: { bytes: number }; ms: number };

/** One call's reply, validated and decoded into grader values. */
export type CallReply =
  | { ok: true; value: unknown; ms: number; argsAfter?: unknown }
  | { ok: false; thrown: ThrownError; ms: number }
  | { ok: false; unsendable: UnsendableValue; ms: number }
  | { ok: false; tooLarge: { bytes: number }; ms: number };

/** A notebook cell that raised or did not compile while the notebook loaded (it went on past it). */
export interface CellError {
  /** The cell's number from the top of the notebook (every cell counted, from 1). */
  cell: number;
  thrown: ThrownError;
  syntax: boolean;
  /** Names the cell defines at its top level that were left undefined (so its failure explains them). */
  undefined: string[];
}

/** What the Python runner adds to `loaded` (absent for the JavaScript child). */
export interface PythonLoaded {
  /** Export name → the Python name it was bound to. */
  resolved: Record<string, string>;
  /** Public top-level names the submission defines itself, with their kinds (for "did you mean"). */
  defined: Record<string, string>;
  cellErrors: CellError[];
}

export type ChildMessage =
  | { type: 'loaded'; exports: Record<string, string>; python?: PythonLoaded }
  | { type: 'loadFailed'; thrown: ThrownError; syntax: boolean }
  | { type: 'exitCalled'; code: number }
  | { type: 'results'; id: number; replies: CallReply[] };

/** Largest number of exports a child may report (more is malformed). */
const MAX_EXPORTS = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, cap: number): string {
  return capText(typeof value === 'string' ? value : String(value ?? ''), cap);
}

function optionalText(value: unknown, cap: number): string | undefined {
  return typeof value === 'string' ? capText(value, cap) : undefined;
}

/** A thrown error as the grader keeps it: strings only, capped (the child may have sent anything). */
export function validThrown(value: unknown): ThrownError {
  const raw = isRecord(value) ? value : {};
  const error: ThrownError = { name: text(raw.name ?? 'Error', TEXT_CAPS.name), message: text(raw.message, TEXT_CAPS.message) };
  const stack = optionalText(raw.stack, TEXT_CAPS.stack);
  const code = optionalText(raw.code, TEXT_CAPS.code);
  const where = optionalText(raw.where, TEXT_CAPS.where);
  if (stack !== undefined) error.stack = stack;
  if (code !== undefined) error.code = code;
  if (where !== undefined) error.where = where;
  return error;
}

function finiteMs(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** One reply, validated and decoded; undefined when it is not a reply at all. */
function validReply(value: unknown): CallReply | undefined {
  if (!isRecord(value)) return undefined;
  const ms = finiteMs(value.ms);
  if (value.ok === true) {
    if (!('value' in value)) return undefined;
    const reply: CallReply = { ok: true, value: decodeValue(value.value), ms };
    if ('argsAfter' in value) reply.argsAfter = decodeValue(value.argsAfter);
    return reply;
  }
  if (value.ok !== false) return undefined;
  if (isRecord(value.unsendable)) {
    return { ok: false, unsendable: { kind: 'unsendable', description: text(value.unsendable.description, TEXT_CAPS.description) }, ms };
  }
  if (isRecord(value.tooLarge)) {
    const bytes = value.tooLarge.bytes;
    return { ok: false, tooLarge: { bytes: typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0 ? Math.round(bytes) : 0 }, ms };
  }
  if ('thrown' in value) return { ok: false, thrown: validThrown(value.thrown), ms };
  return undefined;
}

/** A record of short strings (names → names or kinds), capped in count and length. */
function nameTable(value: unknown, cap: number): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  let count = 0;
  for (const key of Object.keys(value)) {
    if (key.length > TEXT_CAPS.name || typeof value[key] !== 'string' || count >= cap) continue;
    Object.defineProperty(out, key, { value: text(value[key], TEXT_CAPS.name), enumerable: true, writable: true, configurable: true });
    count += 1;
  }
  return out;
}

/** The Python runner's extras of `loaded`, validated. */
function validPythonLoaded(raw: Record<string, unknown>): PythonLoaded {
  const cellErrors: CellError[] = [];
  for (const item of Array.isArray(raw.cellErrors) ? raw.cellErrors.slice(0, 200) : []) {
    if (!isRecord(item) || typeof item.cell !== 'number' || !Number.isInteger(item.cell)) continue;
    const names = Array.isArray(item.undefined) ? item.undefined.filter((n): n is string => typeof n === 'string').slice(0, 50) : [];
    cellErrors.push({ cell: item.cell, thrown: validThrown(item.thrown), syntax: item.syntax === true, undefined: names.map((n) => capText(n, TEXT_CAPS.name)) });
  }
  return { resolved: nameTable(raw.resolved, MAX_EXPORTS), defined: nameTable(raw.defined, 1000), cellErrors };
}

/**
 * Validates a message a child sent (already parsed from JSON) and decodes its values. Returns the
 * reason instead when it is not a message of this protocol.
 */
export function validChildMessage(raw: unknown): ChildMessage | { malformed: string } {
  if (!isRecord(raw)) return { malformed: 'not an object' };
  switch (raw.type) {
    case 'loaded': {
      if (!isRecord(raw.exports)) return { malformed: 'loaded without exports' };
      const names = Object.keys(raw.exports);
      if (names.length > MAX_EXPORTS) return { malformed: 'too many exports' };
      const kinds: Record<string, string> = {};
      for (const name of names) {
        if (name.length > TEXT_CAPS.name) continue;
        Object.defineProperty(kinds, name, { value: text(raw.exports[name], 20), enumerable: true, writable: true, configurable: true });
      }
      const message: ChildMessage = { type: 'loaded', exports: kinds };
      if (isRecord(raw.resolved) || isRecord(raw.defined) || Array.isArray(raw.cellErrors)) message.python = validPythonLoaded(raw);
      return message;
    }
    case 'loadFailed':
      return { type: 'loadFailed', thrown: validThrown(raw.thrown), syntax: raw.syntax === true };
    case 'exitCalled':
      return { type: 'exitCalled', code: typeof raw.code === 'number' && Number.isInteger(raw.code) ? raw.code : 0 };
    case 'results': {
      if (typeof raw.id !== 'number' || !Array.isArray(raw.replies)) return { malformed: 'results without id or replies' };
      const replies: CallReply[] = [];
      for (const item of raw.replies) {
        const reply = validReply(item);
        if (!reply) return { malformed: 'a reply of an unknown shape' };
        replies.push(reply);
      }
      return { type: 'results', id: raw.id, replies };
    }
    default:
      return { malformed: 'an unknown message type' };
  }
}
