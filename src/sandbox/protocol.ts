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
  | { type: 'call'; id: number; fn: string; args: unknown[]; echoArgs?: boolean }
  | { type: 'callMany'; id: number; fn: string; argsList: unknown[][] }
  /** Planned calls in one message; the child copies each call's arguments, so no two calls share an object. */
  | { type: 'callBatch'; id: number; calls: { fn: string; args: unknown[]; echoArgs?: boolean }[] };

/** Result of one call inside the child. `payload` is a v8-serialised value; batch replies carry `value` itself. */
export type CallReply =
  | { ok: true; payload: Uint8Array; ms: number; /** The arguments as they were after the call (when asked). */ argsPayload?: Uint8Array }
  | { ok: true; value: unknown; ms: number; argsAfter?: unknown }
  | { ok: false; thrown: ThrownError; ms: number }
  | { ok: false; unsendable: UnsendableValue; ms: number };

export type ChildMessage =
  | { type: 'loaded'; exports: Record<string, string> }
  | { type: 'loadFailed'; thrown: ThrownError }
  | { type: 'exitCalled'; code: number; during: 'load' | 'call' }
  | { type: 'result'; id: number; reply: CallReply }
  | { type: 'results'; id: number; replies: CallReply[] };
