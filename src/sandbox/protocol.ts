/**
 * Messages exchanged over IPC between the trusted grader (parent) and the sandboxed child that
 * loads one submission. The parent validates every message it receives: the child is untrusted.
 */

/** A value the child could not send back, described in words ("a Promise", "a Proxy"…). */
export interface UnsendableValue {
  kind: 'unsendable';
  description: string;
}

/** Error thrown by student code, reduced to plain strings. */
export interface ThrownError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export type ParentMessage =
  | { type: 'init'; entry: string; modules: Record<string, string> }
  /** One or more calls in one message; the child copies each call's arguments, so no two calls share an object. */
  | { type: 'callBatch'; id: number; calls: { fn: string; args: unknown[]; echoArgs?: boolean }[] };

/** Result of one call inside the child: copies of the value and (when asked) the arguments, taken when it returned. */
export type CallReply =
  | { ok: true; value: unknown; ms: number; argsAfter?: unknown }
  | { ok: false; thrown: ThrownError; ms: number }
  | { ok: false; unsendable: UnsendableValue; ms: number };

export type ChildMessage =
  | { type: 'loaded'; exports: Record<string, string> }
  | { type: 'loadFailed'; thrown: ThrownError }
  | { type: 'exitCalled'; code: number; during: 'load' | 'call' }
  | { type: 'results'; id: number; replies: CallReply[] };
