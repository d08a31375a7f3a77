/**
 * Entry point of the sandboxed child process. It is started by `SandboxProcess` under the Node
 * permission model with read access to nothing but this file, the staged submission and the
 * packages a submission may import (mathjs). It loads the submission, then answers calls.
 *
 * This file must only import Node built-ins: it runs with a locked-down file system.
 * Nothing here is trusted by the parent: the student's code shares this realm and could patch
 * anything. The parent re-validates every reply and compares values in its own process.
 */
import Module = require('node:module');
import v8 = require('node:v8');
import util = require('node:util');
import type { CallReply, ChildMessage, ParentMessage, ThrownError } from './protocol';

// Keep our own references before student code can patch the globals.
const send = process.send!.bind(process);
const serialize = v8.serialize;
const clone = structuredClone;
const deserialize = v8.deserialize;
const isProxy = util.types.isProxy;
const isPromise = util.types.isPromise;
const now = () => performance.now();
const realExit = process.exit.bind(process);

// bwrap sets PWD (the stage folder) whatever the parent passed: the environment the
// submission sees is exactly the scrubbed one (LANG, TZ).
delete process.env.PWD;

let phase: 'load' | 'call' = 'load';
let exportsObject: Record<string, unknown> = {};

function post(message: ChildMessage): void {
  send(message);
}

function describeError(error: unknown): ThrownError {
  try {
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      return {
        name: String(error.name),
        message: String(error.message),
        stack: typeof error.stack === 'string' ? error.stack.slice(0, 4000) : undefined,
        code: typeof code === 'string' ? code : undefined,
      };
    }
    return { name: 'Thrown value', message: `threw a non-Error value: ${String(error).slice(0, 200)}` };
  } catch {
    return { name: 'Thrown value', message: 'threw a value that cannot even be printed' };
  }
}

/** Words for a value that is not plain data, or undefined when it can be sent as is. */
function describeUnsendable(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') return 'a function';
    if (typeof value === 'symbol') return 'a symbol';
    return undefined;
  }
  if (isProxy(value)) return 'a Proxy object';
  if (isPromise(value)) return 'a Promise (is the function declared async, or does it return a promise?)';
  return undefined;
}

/** A copy of `value` as it is now; throws when it cannot be copied (with v8.serialize's words). */
function snapshot(value: unknown): unknown {
  try {
    return clone(value);
  } catch {
    return deserialize(serialize(value));
  }
}

/**
 * Runs one call. The reply carries copies taken right after it: a later call of the same
 * message may change what this one returned (a reused output array) or its arguments.
 */
function reply(fn: string, args: unknown[], echoArgs = false): CallReply {
  const start = now();
  let value: unknown;
  try {
    const target = exportsObject[fn];
    if (typeof target !== 'function') {
      return { ok: false, thrown: { name: 'MissingExport', message: `${fn} is not exported as a function` }, ms: 0 };
    }
    value = (target as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    return { ok: false, thrown: describeError(error), ms: now() - start };
  }
  const ms = now() - start;
  try {
    const description = describeUnsendable(value);
    if (description) return { ok: false, unsendable: { kind: 'unsendable', description }, ms };
    const copy = snapshot(value);
    if (!echoArgs) return { ok: true, value: copy, ms };
    let argsAfter: unknown;
    try {
      argsAfter = snapshot(args);
    } catch {
      argsAfter = 'the arguments were replaced by values that cannot be copied';
    }
    return { ok: true, value: copy, ms, argsAfter };
  } catch (error) {
    const what = describeError(error);
    let kind = 'an object';
    try {
      kind = Array.isArray(value) ? 'an array with a non-plain element' : `an object with keys {${Object.keys(value as object).slice(0, 5).join(', ')}}`;
    } catch {
      /* a hostile object; keep the generic words */
    }
    return { ok: false, unsendable: { kind: 'unsendable', description: `${kind} that cannot be copied out of the sandbox (${what.message})` }, ms };
  }
}

function load(entry: string, modules: Record<string, string>): void {
  // Allow-listed bare imports (mathjs) resolve to the grader's copy; everything else as usual.
  const moduleApi = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _extensions: Record<string, unknown> };
  const resolve = moduleApi._resolveFilename;
  moduleApi._resolveFilename = function (request: string, ...rest: unknown[]): string {
    const mapped = modules[request];
    if (mapped) return mapped;
    return resolve.call(this, request, ...rest);
  };
  // Staged .ts files already hold transpiled JavaScript (with inline source maps).
  for (const extension of ['.ts', '.mts', '.cts', '.tsx']) moduleApi._extensions[extension] = moduleApi._extensions['.js'];

  process.exit = ((code?: number) => {
    post({ type: 'exitCalled', code: typeof code === 'number' ? code : 0, during: phase });
    realExit(typeof code === 'number' ? code : 0);
  }) as typeof process.exit;

  try {
    const loaded = require(entry) as Record<string, unknown>;
    exportsObject = loaded && (typeof loaded === 'object' || typeof loaded === 'function') ? loaded : {};
    const kinds: Record<string, string> = {};
    for (const key of Object.keys(exportsObject)) kinds[key] = typeof exportsObject[key];
    phase = 'call';
    post({ type: 'loaded', exports: kinds });
  } catch (error) {
    post({ type: 'loadFailed', thrown: describeError(error) });
  }
}

process.on('message', (raw: unknown) => {
  const message = raw as ParentMessage;
  if (!message || typeof message !== 'object') return;
  switch (message.type) {
    case 'init':
      load(message.entry, message.modules);
      break;
    case 'callBatch':
      // One message may hold the same object in several calls' arguments: each call gets its own copy.
      post({ type: 'results', id: message.id, replies: message.calls.map((call) => reply(call.fn, clone(call.args), call.echoArgs === true)) });
      break;
  }
});
// Student code may leave timers or open handles; the parent decides when we end (disconnect or kill).
process.on('disconnect', () => realExit(0));
