/**
 * Entry point of the sandboxed JavaScript child process (protocol v2, notes/PROTOCOL.md). It is
 * started by `SubmissionSandbox` under the Node permission model with read access to nothing but
 * this file and its three siblings, the staged submission and the packages a submission may
 * import. It loads the submission, then answers calls: requests arrive as frames on fd 3,
 * replies leave as frames on fd 4 (stdout and stderr are the submission's own output).
 *
 * This file must only import Node built-ins and its siblings: it runs with a locked-down file
 * system. Nothing here is trusted by the grader: the student's code shares this realm. This file
 * only makes the replies robust: every reference it uses after the submission has loaded was
 * taken before (JSON, Reflect, String methods, fs.read/writeSync…), messages are built from
 * null-prototype objects and string concatenation, and values go through codec.ts, so patching
 * JSON, Object.prototype, Array.prototype or Math cannot forge or break a reply. The grader
 * re-validates everything anyway.
 */
import Module = require('node:module');
import fs = require('node:fs');
import util = require('node:util');
import { decodeValue, encodeValue } from './codec';
import { frameReader, utf8Length, writeFrameSync } from './framing';
import { TEXT_CAPS, type ThrownError } from './protocol';

// References taken before student code can patch anything.
const { apply, defineProperty, getOwnPropertyDescriptor, getPrototypeOf } = Reflect;
const { hasOwn, keys: objectKeys } = Object;
const parse = JSON.parse;
const stringify = JSON.stringify;
const toText = String;
const stringSlice = String.prototype.slice;
const stringIndexOf = String.prototype.indexOf;
const ErrorType = Error;
const ErrorPrototype = Error.prototype;
const { isNativeError, isProxy } = util.types;
const read = fs.read;
const perf = performance;
const perfNow = performance.now;
const realExit = process.exit.bind(process);
const REQUEST_FD = 3;
const REPLY_FD = 4;

// bwrap sets PWD (the stage folder) whatever the parent passed: the environment the
// submission sees is exactly the scrubbed one (LANG, TZ).
delete process.env.PWD;

let phase: 'load' | 'call' = 'load';
let loaded = false;
let exportsObject: Record<string, unknown> = {};
let replyBytes = 16 * 1024 * 1024;

const now = (): number => apply(perfNow, perf, []) as number;

/** As protocol.ts capText, with references taken before student code loaded. */
function cap(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const suffix = `… (${text.length - limit} more characters)`;
  const keep = limit - suffix.length;
  return `${apply(stringSlice, text, [0, keep > 0 ? keep : 0]) as string}${suffix}`;
}

/** A student value as text, whatever it is (its toString may throw or be huge). */
function safeText(value: unknown, limit: number): string {
  try {
    return cap(typeof value === 'string' ? value : toText(value), limit);
  } catch {
    return 'a value that cannot be printed';
  }
}

/** True for an Error of any realm, found without `instanceof` (a submission can redefine Error[Symbol.hasInstance]). */
function isError(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || isProxy(value)) return false;
  if (isNativeError(value)) return true;
  let proto = getPrototypeOf(value);
  for (let depth = 0; proto !== null && depth < 32; depth++) {
    if (proto === ErrorPrototype) return true;
    if (isProxy(proto)) return false;
    proto = getPrototypeOf(proto);
  }
  return false;
}

/** Reads `error[key]` (a student getter may throw). */
function field(error: object, key: string): unknown {
  try {
    return (error as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function send(json: string): void {
  writeFrameSync(REPLY_FD, json);
}

/** A message object with no prototype: JSON.stringify finds no toJSON a submission added. */
function message<T extends object>(fields: T): T {
  return { __proto__: null, ...fields } as T;
}

/**
 * An error reduced to capped strings. A huge name or message is cut on the error itself before
 * its stack is read, so the stack's first line does not copy it again.
 */
function describeError(error: unknown): ThrownError {
  if (!isError(error)) {
    return message({ name: 'Thrown value', message: withoutStage(`threw a non-Error value: ${safeText(error, 200)}`) });
  }
  const rawMessage = field(error, 'message');
  const text = safeText(rawMessage ?? '', TEXT_CAPS.message);
  if (typeof rawMessage === 'string' && rawMessage.length > TEXT_CAPS.message) {
    try {
      defineProperty(error, 'message', { __proto__: null, value: text, configurable: true, writable: true } as PropertyDescriptor);
    } catch {
      /* a frozen error: its stack will be long, and is cut below */
    }
  }
  const rawName = field(error, 'name');
  const name = safeText(rawName ?? 'Error', TEXT_CAPS.name);
  if (typeof rawName === 'string' && rawName.length > TEXT_CAPS.name) {
    try {
      defineProperty(error, 'name', { __proto__: null, value: name, configurable: true, writable: true } as PropertyDescriptor);
    } catch {
      /* as for the message */
    }
  }
  const thrown = message<ThrownError>({ name, message: withoutStage(text) });
  const stack = field(error, 'stack');
  if (typeof stack === 'string') thrown.stack = withoutStage(cap(stack, TEXT_CAPS.stack));
  const code = field(error, 'code');
  if (typeof code === 'string') thrown.code = cap(code, TEXT_CAPS.code);
  return thrown;
}

function thrownJson(error: unknown): string {
  try {
    return stringify(describeError(error));
  } catch {
    return '{"name":"Thrown value","message":"threw a value that cannot even be printed"}';
  }
}

/**
 * Runs one call and returns its reply as JSON text. The reply holds copies taken right after
 * the call returned: a later call of the same batch may change the value or the arguments.
 */
function runCall(fn: string, argsWire: unknown, echoArgs: boolean): string {
  const descriptor = loaded && typeof fn === 'string' ? getOwnPropertyDescriptor(exportsObject, fn) : undefined;
  let target: unknown;
  try {
    target = descriptor ? (hasOwn(descriptor, 'value') ? descriptor.value : exportsObject[fn]) : undefined;
  } catch (error) {
    return `{"ok":false,"thrown":${thrownJson(error)},"ms":0}`;
  }
  if (typeof target !== 'function') {
    return `{"ok":false,"thrown":${stringify(message({ name: 'MissingExport', message: `${safeText(fn, 200)} is not exported as a function` }))},"ms":0}`;
  }
  const args = decodeValue(argsWire) as unknown[];
  const start = now();
  let value: unknown;
  try {
    value = apply(target as (...a: unknown[]) => unknown, undefined, args);
  } catch (error) {
    const ms = now() - start;
    return `{"ok":false,"thrown":${thrownJson(error)},"ms":${ms}}`;
  }
  const ms = now() - start;
  const encoded = encodeValue(value, replyBytes);
  if (encoded.status === 'unsendable') {
    return `{"ok":false,"unsendable":{"kind":"unsendable","description":${stringify(cap(encoded.description, TEXT_CAPS.description))}},"ms":${ms}}`;
  }
  if (encoded.status === 'tooLarge') return `{"ok":false,"tooLarge":{"bytes":${encoded.bytes}},"ms":${ms}}`;
  if (!echoArgs) return `{"ok":true,"value":${encoded.json},"ms":${ms}}`;
  const after = encodeValue(args, replyBytes - encoded.json.length);
  let argsAfter: string;
  if (after.status === 'encoded') argsAfter = after.json;
  else if (after.status === 'unsendable') {
    argsAfter = `{"$desc":${stringify(cap(`the arguments were changed into values that cannot be sent: ${after.description}`, TEXT_CAPS.description))}}`;
  } else argsAfter = '{"$desc":"the arguments grew too large to send back"}';
  return `{"ok":true,"value":${encoded.json},"ms":${ms},"argsAfter":${argsAfter}}`;
}

/**
 * Answers a callBatch. When the replies together exceed the reply cap, the largest become
 * `tooLarge` (with their own size, at most the cap) until the message fits: the grader then
 * runs those calls again on their own.
 */
function runBatch(id: number, calls: { fn: string; args: unknown; echoArgs?: boolean }[]): void {
  phase = 'call';
  const texts: Record<number, string> = { __proto__: null } as unknown as Record<number, string>;
  const sizes: Record<number, number> = { __proto__: null } as unknown as Record<number, number>;
  const count = calls.length;
  const head = `{"type":"results","id":${typeof id === 'number' ? id : 0},"replies":[`;
  let total = head.length + 2;
  for (let i = 0; i < count; i++) {
    const call = calls[i];
    let text = runCall(call.fn, call.args, call.echoArgs === true);
    let size = utf8Length(text);
    if (size > replyBytes) {
      text = `{"ok":false,"tooLarge":{"bytes":${size}},"ms":0}`;
      size = text.length;
    }
    texts[i] = text;
    sizes[i] = size;
    total += size + 1;
  }
  while (total > replyBytes) {
    let largest = -1;
    for (let i = 0; i < count; i++) if (sizes[i] > 60 && (largest < 0 || sizes[i] > sizes[largest])) largest = i;
    if (largest < 0) break;
    const small = `{"ok":false,"tooLarge":{"bytes":${sizes[largest]}},"ms":0}`;
    total -= sizes[largest] - small.length;
    texts[largest] = small;
    sizes[largest] = small.length;
  }
  let json = head;
  for (let i = 0; i < count; i++) json += i ? `,${texts[i]}` : texts[i];
  send(`${json}]}`);
}

function exitCalled(code: unknown): never {
  const status = typeof code === 'number' ? code : 0;
  try {
    send(`{"type":"exitCalled","code":${status | 0},"during":"${phase}"}`);
  } finally {
    realExit(status);
  }
  throw new ErrorType('unreachable');
}

/** The staged entry's folder: the submission's root inside the sandbox. */
let stageRoot = '';

/**
 * `text` with the stage's absolute folder taken out of every path in it (`open 'data.json'`, not
 * `open '/tmp/mlgrade-…/stage/s00000/data.json'`): error messages reach students, and Node's
 * file errors name the absolute path the student's code built from __dirname.
 */
function withoutStage(text: string): string {
  if (!stageRoot) return text;
  const prefix = `${stageRoot}/`;
  let kept = '';
  let from = 0;
  const next = () => apply(stringIndexOf, text, [prefix, from]) as number;
  for (let at = next(); at >= 0; at = next()) {
    kept += apply(stringSlice, text, [from, at]) as string;
    from = at + prefix.length;
  }
  return kept + (apply(stringSlice, text, [from]) as string);
}

/** A path inside the submission, as the student knows it (`util/helpers.ts`), never the stage's absolute path. */
function studentPath(file: string): string {
  const relative = stageRoot && (apply(stringSlice, file, [0, stageRoot.length + 1]) as string) === `${stageRoot}/` ? (apply(stringSlice, file, [stageRoot.length + 1]) as string) : '';
  return relative || (apply(stringSlice, file, [file.lastIndexOf('/') + 1]) as string);
}

/** The TypeScript twins a JavaScript specifier may mean: `./x.js` is how TypeScript (NodeNext) writes an import of `x.ts`. */
const TS_TWIN: Record<string, string> = { __proto__: null, '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts', '.jsx': '.tsx' } as unknown as Record<string, string>;

const CODE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'];

/**
 * The message for an import that cannot be resolved, in the student's terms: which file asked for
 * what, and what there is (no path of the sandbox or the grader).
 */
function unresolvedMessage(request: string, parentFile: string | undefined, modules: Record<string, string>): string {
  const asker = parentFile ? studentPath(parentFile) : 'your code';
  if (!request.startsWith('.') && !request.startsWith('/')) {
    const allowed = objectKeys(modules);
    return `${asker} imports '${request}', which is not available here: submissions may import ${allowed.length ? `${allowed.join(', ')} and ` : ''}their own files only`;
  }
  let nearby = '';
  try {
    const folder = parentFile ? parentFile.slice(0, parentFile.lastIndexOf('/')) : stageRoot;
    const names = fs.readdirSync(folder).filter((name) => CODE_EXTENSIONS.some((extension) => name.endsWith(extension)) && `${folder}/${name}` !== parentFile);
    nearby = names.length ? ` (code files next to it: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})` : ' (there is no other code file next to it)';
  } catch {
    /* the folder cannot be listed: say no more */
  }
  return `${asker} imports '${request}', but there is no such file in your submission${nearby}`;
}

/**
 * Loads every staged code file as CommonJS, whatever its extension or the nearest package.json
 * says: staging already turned TypeScript and ES-module syntax into CommonJS (with inline source
 * maps), and Node would otherwise load `.mjs` (and `.js` under "type": "module") as an ES module.
 */
function compileStaged(module: { _compile(code: string, filename: string): unknown }, filename: string): void {
  module._compile(fs.readFileSync(filename, 'utf8'), filename);
}

function load(entry: string, modules: Record<string, string>): void {
  stageRoot = entry.slice(0, entry.lastIndexOf('/'));
  // Allow-listed bare imports (mathjs) resolve to the grader's copy; `./x.js` may mean x.ts; an
  // import that resolves to nothing says so in the student's terms.
  type Parent = { filename?: string } | undefined;
  const moduleApi = Module as unknown as { _resolveFilename: (request: string, parent?: Parent, ...rest: unknown[]) => string; _extensions: Record<string, unknown> };
  const resolve = moduleApi._resolveFilename;
  moduleApi._resolveFilename = function (this: unknown, request: string, parent?: Parent): string {
    if (typeof request === 'string' && hasOwn(modules, request) && typeof modules[request] === 'string') return modules[request];
    try {
      // eslint-disable-next-line prefer-rest-params -- `arguments`, not a spread a submission could break
      return apply(resolve, this, arguments) as string;
    } catch (error) {
      if (!isError(error) || field(error, 'code') !== 'MODULE_NOT_FOUND' || typeof request !== 'string') throw error;
      const extension = request.slice(request.lastIndexOf('.'));
      const twin = request.startsWith('.') ? TS_TWIN[extension] : undefined;
      if (twin) {
        try {
          return apply(resolve, this, [request.slice(0, -extension.length) + twin, parent]) as string;
        } catch {
          /* reported below, with the specifier the student wrote */
        }
      }
      const fromStudent = parent?.filename !== undefined && (apply(stringSlice, parent.filename, [0, stageRoot.length]) as string) === stageRoot;
      if (!fromStudent && request.startsWith('.')) throw error;
      const replaced = new ErrorType(unresolvedMessage(request, fromStudent ? parent?.filename : undefined, modules));
      defineProperty(replaced, 'code', { value: 'MODULE_NOT_FOUND' });
      throw replaced;
    }
  };
  for (const extension of CODE_EXTENSIONS) moduleApi._extensions[extension] = compileStaged;
  process.exit = exitCalled as typeof process.exit;

  let kinds: Record<string, string>;
  try {
    const required = require(entry) as Record<string, unknown>;
    exportsObject = required && (typeof required === 'object' || typeof required === 'function') ? required : {};
    kinds = { __proto__: null } as unknown as Record<string, string>;
    const names = objectKeys(exportsObject);
    for (let i = 0; i < names.length; i++) {
      let kind: string;
      try {
        kind = typeof exportsObject[names[i]];
      } catch {
        kind = 'undefined';
      }
      kinds[names[i]] = kind;
    }
  } catch (error) {
    const syntax = isError(error) && field(error, 'mlgradeSyntax') === true;
    send(`{"type":"loadFailed","thrown":${thrownJson(error)},"syntax":${syntax}}`);
    return;
  }
  loaded = true;
  phase = 'call';
  send(`{"type":"loaded","exports":${stringify(kinds)}}`);
}

function handle(json: string): void {
  const request = parse(json) as Record<string, unknown>;
  if (request.type === 'init') {
    const limits = request.limits as { replyBytes?: unknown } | undefined;
    if (limits && typeof limits.replyBytes === 'number' && limits.replyBytes > 0) replyBytes = limits.replyBytes;
    load(request.entry as string, (request.modules ?? {}) as Record<string, string>);
  } else if (request.type === 'callBatch') {
    runBatch(request.id as number, request.calls as { fn: string; args: unknown; echoArgs?: boolean }[]);
  }
}

// Requests: read fd 3 with fs.read (no stream machinery a submission could patch); the grader
// closing it ends this process. Student code may leave timers or open handles: the grader
// decides when we end.
const feed = frameReader(1024 * 1024 * 1024, { frame: handle, oversize: () => realExit(70) });
const chunk = new Uint8Array(64 * 1024);
function readNext(): void {
  read(REQUEST_FD, chunk, 0, chunk.length, null, (error, bytes) => {
    if (error || bytes === 0) realExit(0);
    feed(new Uint8Array(chunk.buffer, 0, bytes));
    readNext();
  });
}
readNext();
