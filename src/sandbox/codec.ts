/**
 * Values on the wire (protocol v2, notes/PROTOCOL.md): JSON, plus tags for what JSON cannot say —
 * `{"$f": "NaN" | "Infinity" | "-Infinity" | "-0"}`, `{"$u": 1}` for undefined, `$$key` for an
 * object key starting with `$`, `{"$desc": "…"}` for a value that was described instead of
 * sent, and (from the Python runner) `{"$nd": [0, 3]}` for an empty NumPy array's shape. Both directions use it: the grader encodes arguments, the child encodes what student
 * code returned, and each decodes the other's.
 *
 * The encoder runs in the child after student code has loaded, so it uses only references taken
 * when this module was loaded (before the submission) and never calls a method on a student
 * object: no getter, `toJSON`, `valueOf` or Proxy trap runs while a value is encoded, and a
 * patched `JSON`, `Object.prototype` or `Array.prototype` changes nothing.
 */
import util = require('node:util');

/** A JSON value in wire form. */
export type Wire = unknown;

// References taken when the module loads (in the child: before student code).
const { getOwnPropertyDescriptor, getPrototypeOf, ownKeys, apply, defineProperty } = Reflect;
const { hasOwn, keys: objectKeys } = Object;
const isArray = Array.isArray;
const stringify = JSON.stringify;
const ObjectPrototype = Object.prototype;
const types = util.types;
const { isProxy, isPromise, isTypedArray, isMap, isSet, isDate, isRegExp, isNativeError, isWeakMap, isWeakSet } = types;
const { isAnyArrayBuffer, isDataView, isBoxedPrimitive, isGeneratorObject, isMapIterator, isSetIterator } = types;
const { isModuleNamespaceObject, isExternal } = types;
const typedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag)!.get!;
const typedArrayLength = getOwnPropertyDescriptor(typedArrayPrototype, 'length')!.get!;
const stringSlice = String.prototype.slice;
const stringCharCodeAt = String.prototype.charCodeAt;
const RangeErrorType = RangeError;

/** Deeper than this is described ("nested more than 64 levels deep"), which also catches cycles. */
export const MAX_DEPTH = 64;

/** A value the child described instead of sending (`{"$desc": …}` on the wire). */
export class ForeignValue {
  constructor(readonly description: string) {}
  toString(): string {
    return this.description;
  }
}

/** True for a {@link ForeignValue} (of any copy of this module). */
export function isForeignValue(value: unknown): value is ForeignValue {
  return value instanceof ForeignValue || (typeof value === 'object' && value !== null && (value as { [FOREIGN]?: true })[FOREIGN] === true);
}
const FOREIGN = Symbol.for('mlgrade.foreignValue');
defineProperty(ForeignValue.prototype, FOREIGN, { value: true });

function slice(text: string, start: number, end?: number): string {
  return apply(stringSlice, text, [start, end]) as string;
}

/** "…" after `cap` characters (for descriptions made from student data, e.g. key names). */
function short(text: string, cap: number): string {
  return text.length <= cap ? text : `${slice(text, 0, cap)}…`;
}

function isIdentifier(key: string): boolean {
  if (!key.length || key.length > 40) return false;
  for (let i = 0; i < key.length; i++) {
    const c = apply(stringCharCodeAt, key, [i]) as number;
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

function keyPath(key: string): string {
  return isIdentifier(key) ? `.${key}` : `[${stringify(short(key, 40))}]`;
}

/** The name of an object's class, read from its prototype's own `constructor` data property. */
function className(proto: object | null): string | undefined {
  if (proto === null) return undefined;
  const ctor = getOwnPropertyDescriptor(proto, 'constructor');
  if (!ctor || !hasOwn(ctor, 'value') || typeof ctor.value !== 'function') return undefined;
  const name = getOwnPropertyDescriptor(ctor.value as object, 'name');
  return name && hasOwn(name, 'value') && typeof name.value === 'string' && name.value ? short(name.value, 60) : undefined;
}

/** The first few own string keys, for "an object with keys {a, b, …}". */
function keyList(value: object): string {
  let listed = '';
  let count = 0;
  const own = ownKeys(value);
  for (let i = 0; i < own.length; i++) {
    const key = own[i];
    if (typeof key !== 'string') continue;
    if (count < 5) listed += `${count ? ', ' : ''}${short(key, 30)}`;
    count += 1;
  }
  return count > 5 ? `${listed}, …` : listed;
}

/** Words for a value that is not plain data (undefined when it is plain), with a hint. */
function describeKind(value: unknown): { what: string; hint: string } | undefined {
  switch (typeof value) {
    case 'function':
      return { what: 'a function', hint: 'return plain numbers, arrays and objects' };
    case 'symbol':
      return { what: 'a symbol', hint: '' };
    case 'bigint':
      return { what: 'a BigInt', hint: 'return a plain number' };
    case 'object':
      break;
    default:
      return undefined;
  }
  const object = value as object;
  if (isProxy(object)) return { what: 'a Proxy object', hint: 'return the plain value itself' };
  if (isPromise(object)) return { what: 'a Promise', hint: 'is the function declared async, or does it return a promise? Functions must be synchronous' };
  if (isTypedArray(object)) {
    const name = apply(typedArrayTag, object, []) as string;
    const length = apply(typedArrayLength, object, []) as number;
    return { what: `a ${name} of length ${length}`, hint: 'return a plain array, e.g. Array.from(…)' };
  }
  if (isMap(object)) return { what: 'a Map', hint: 'return a plain object or array' };
  if (isSet(object)) return { what: 'a Set', hint: 'return a plain array' };
  if (isDate(object)) return { what: 'a Date', hint: '' };
  if (isRegExp(object)) return { what: 'a RegExp', hint: '' };
  if (isNativeError(object)) return { what: 'an Error object', hint: 'throw errors, do not return them' };
  if (isWeakMap(object) || isWeakSet(object)) return { what: 'a WeakMap or WeakSet', hint: '' };
  if (isAnyArrayBuffer(object)) return { what: 'an ArrayBuffer', hint: 'return a plain array' };
  if (isDataView(object)) return { what: 'a DataView', hint: 'return a plain array' };
  if (isBoxedPrimitive(object)) return { what: 'a boxed primitive (new Number(…) or new String(…))', hint: 'return the plain value' };
  if (isGeneratorObject(object) || isMapIterator(object) || isSetIterator(object)) return { what: 'an iterator', hint: 'return a plain array, e.g. [...iterator]' };
  if (isModuleNamespaceObject(object)) return { what: 'a module namespace', hint: '' };
  if (isExternal(object)) return { what: 'a native object', hint: '' };
  return undefined;
}

/** True when `text[at]` starts a path segment (`[` or `.`). */
function segmentStart(text: string, at: number): boolean {
  const c = apply(stringCharCodeAt, text, [at]) as number;
  return c === 91 || c === 46;
}

/** A path of at most about 80 characters: its first and last segments around "…". */
function shortPath(path: string): string {
  if (path.length <= 80) return path;
  let head = 40;
  while (head > 0 && !segmentStart(path, head)) head--;
  let tail = path.length - 30;
  while (tail < path.length && !segmentStart(path, tail)) tail++;
  return `${slice(path, 0, head)}…${slice(path, tail)}`;
}

/** Words for the outermost value in "… holding a Float64Array at [0]". */
function containerWords(value: unknown): string {
  if (isArray(value)) return `an array of length ${(value as unknown[]).length}`;
  const name = className(getPrototypeOf(value as object));
  if (name && name !== 'Object') return `an instance of ${name}`;
  const listed = keyList(value as object);
  return listed ? `an object with keys {${listed}}` : 'an empty object';
}

/** Accessors on a class instance's prototype chain (below Object.prototype), by name: getters a copy would lose. */
function prototypeAccessors(start: object): string {
  let found = '';
  let proto: object | null = start;
  for (let level = 0; proto !== null && proto !== ObjectPrototype && level < 16; level++) {
    const own = ownKeys(proto);
    for (let i = 0; i < own.length; i++) {
      const key = own[i];
      // Every realm's Object.prototype has the `__proto__` accessor: a plain object made in another
      // realm (jest's test context builds the grader's arguments) is still a plain object.
      if (typeof key !== 'string' || key === '__proto__') continue;
      const descriptor = getOwnPropertyDescriptor(proto, key);
      if (descriptor && !hasOwn(descriptor, 'value')) found += `${found ? ', ' : ''}${short(key, 30)}`;
    }
    proto = getPrototypeOf(proto);
  }
  return found;
}

export type Encoded = { status: 'encoded'; json: string } | { status: 'unsendable'; description: string } | { status: 'tooLarge'; bytes: number };

/**
 * What the encoder throws to stop: null-prototype objects (no setter or getter a submission adds
 * to Object.prototype is ever involved), told apart from engine errors by their prototype.
 */
type Stop = { kind: 'unsendable'; what: string; hint: string; path: string } | { kind: 'tooLarge'; size: number };

function unsendable(what: string, hint: string, path = ''): Stop {
  return { __proto__: null, kind: 'unsendable', what, hint, path } as unknown as Stop;
}

function isStop(error: unknown): error is Stop {
  return typeof error === 'object' && error !== null && getPrototypeOf(error) === null;
}

/** Prefixes `segment` to the path of an unsendable stop on its way out. */
function within(error: unknown, segment: string): unknown {
  if (isStop(error) && error.kind === 'unsendable') error.path = `${segment}${error.path}`;
  return error;
}

/** Pieces per chunk: each chunk is flattened as it fills, so the text's memory stays near its own size. */
const CHUNK = 4096;

/**
 * Encodes one value; `budget` bounds the characters written (counted exactly as they are written,
 * so a value is refused as soon as its text is known to be longer).
 */
function encodeWithin(root: unknown, budget: number): string {
  let spent = 0;
  let text = '';
  let chunk = '';
  let pieces = 0;
  const emit = (piece: string): void => {
    spent += piece.length;
    if (spent > budget) throw { __proto__: null, kind: 'tooLarge', size: spent };
    chunk += piece;
    if (++pieces === CHUNK) {
      // Reading a character flattens the chunk's rope of small strings into one string.
      apply(stringCharCodeAt, chunk, [0]);
      text += chunk;
      chunk = '';
      pieces = 0;
    }
  };

  const value = (item: unknown, depth: number): void => {
    switch (typeof item) {
      case 'number':
        if (item !== item) emit('{"$f":"NaN"}');
        else if (item === Infinity) emit('{"$f":"Infinity"}');
        else if (item === -Infinity) emit('{"$f":"-Infinity"}');
        else if (item === 0 && 1 / item < 0) emit('{"$f":"-0"}');
        else emit(`${item}`);
        return;
      case 'string':
        // A lower bound of the quoted text's length: refuse a huge string before copying it.
        if (spent + item.length + 2 > budget) throw { __proto__: null, kind: 'tooLarge', size: spent + item.length + 2 };
        emit(stringify(item));
        return;
      case 'boolean':
        emit(item ? 'true' : 'false');
        return;
      case 'undefined':
        emit('{"$u":1}');
        return;
      case 'object':
        if (item === null) {
          emit('null');
          return;
        }
        break;
      default:
        break;
    }
    const kind = describeKind(item);
    if (kind) throw unsendable(kind.what, kind.hint);
    if (depth >= MAX_DEPTH) throw unsendable(`a structure nested more than ${MAX_DEPTH} levels deep`, 'does it contain itself?');
    if (isArray(item)) array(item as unknown[], depth);
    else object(item as object, depth);
  };

  // Elements are read directly (a descriptor per element costs too much for long arrays): a getter
  // defined on an array index runs, as part of the call; holes are described.
  const array = (items: unknown[], depth: number): void => {
    const length = items.length;
    // Every element takes at least one character and a comma: refuse a long array before reading it.
    if (spent + 2 * length + 1 > budget) throw { __proto__: null, kind: 'tooLarge', size: spent + 2 * length + 1 };
    emit('[');
    for (let i = 0; i < length; i++) {
      if (!hasOwn(items, i)) throw unsendable('an empty slot (a hole)', 'fill every element', `[${i}]`);
      const item = items[i];
      if (i) {
        // The common case in one piece: a finite number after a comma.
        if (typeof item === 'number' && item - item === 0 && (item !== 0 || 1 / item > 0)) {
          emit(`,${item}`);
          continue;
        }
        emit(',');
      }
      try {
        value(item, depth + 1);
      } catch (error) {
        throw within(error, `[${i}]`);
      }
    }
    emit(']');
  };

  const object = (target: object, depth: number): void => {
    const proto = getPrototypeOf(target);
    if (proto !== ObjectPrototype && proto !== null) {
      const accessors = prototypeAccessors(proto);
      if (accessors) {
        const what = `an instance of ${className(proto) ?? 'a class'} with getters (${accessors})`;
        throw unsendable(what, 'return a plain object, e.g. { w: …, b: … }');
      }
    }
    emit('{');
    let first = true;
    const own = ownKeys(target);
    for (let i = 0; i < own.length; i++) {
      const key = own[i];
      if (typeof key !== 'string') continue;
      const descriptor = getOwnPropertyDescriptor(target, key);
      if (!descriptor || !descriptor.enumerable) continue;
      if (!hasOwn(descriptor, 'value')) throw unsendable('a getter', 'return plain data', keyPath(key));
      emit(`${first ? '' : ','}${stringify(key.length && key[0] === '$' ? `$${key}` : key)}:`);
      first = false;
      try {
        value(descriptor.value, depth + 1);
      } catch (error) {
        throw within(error, keyPath(key));
      }
    }
    emit('}');
  };

  value(root, 0);
  return text + chunk;
}

/**
 * Encodes `value` as wire JSON of at most `budget` characters, or says why not: a description of
 * what is not plain data (with where it is, e.g. "an array of length 2 holding a Float64Array of
 * length 3 at [0] (return a plain array, e.g. Array.from(…))"), or the size reached.
 */
export function encodeValue(value: unknown, budget: number): Encoded {
  try {
    return { status: 'encoded', json: encodeWithin(value, budget) };
  } catch (error) {
    if (isStop(error)) {
      if (error.kind === 'tooLarge') return { status: 'tooLarge', bytes: error.size };
      const path = shortPath(error.path);
      const where = path ? `${containerWords(value)} holding ${error.what} at ${path}` : error.what;
      return { status: 'unsendable', description: error.hint ? `${where} (${error.hint})` : where };
    }
    // A stack overflow (deeply nested arrays) or an engine error.
    return { status: 'unsendable', description: error instanceof RangeErrorType ? 'a structure nested too deeply to send' : 'a value that could not be read' };
  }
}

const SPECIAL: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 };

/** A data property descriptor with no prototype (nothing on Object.prototype can change its meaning). */
function dataDescriptor(value: unknown): PropertyDescriptor {
  return { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor;
}

/** The one key of a tag object (`$f`, `$u`, `$desc`, `$nd`), or undefined. */
function tagOf(names: string[]): string | undefined {
  if (names.length !== 1) return undefined;
  const tag = names[0];
  return tag === '$f' || tag === '$u' || tag === '$desc' || tag === '$nd' ? tag : undefined;
}

/** Arrays an empty NumPy array's shape may make when decoded (`[1000, 0]` is 1,000 empty rows). */
const MAX_EMPTY_ROWS = 100_000;

/**
 * An empty NumPy array (`{"$nd": [0, 3]}`, sent by the Python runner when nested lists would lose
 * its shape) as nested arrays: `[]` for a first axis of 0, else that many copies of the rest
 * (`[2, 0]` → `[[], []]`). A shape that is not one of an empty array becomes a ForeignValue.
 */
function emptyArray(shape: unknown): unknown {
  // Plain loops only: the JavaScript child decodes too, after student code may have patched Array.prototype.
  let valid = isArray(shape) && shape.length > 0 && shape.length <= 32;
  let empty = false;
  let rows = 1;
  const dims = (valid ? shape : []) as unknown[];
  for (let i = 0; valid && i < dims.length; i++) {
    const n = dims[i];
    if (typeof n !== 'number' || n < 0 || n % 1 !== 0) valid = false;
    else if (n === 0) empty = true;
    else if (!empty) rows *= n;
  }
  if (!valid || !empty) return new ForeignValue('an array with an unreadable shape');
  if (rows > MAX_EMPTY_ROWS) return new ForeignValue(`an empty NumPy array of shape (${dims.join(', ')})`);
  const build = (axis: number): unknown[] => {
    const out: unknown[] = [];
    const count = dims[axis] as number;
    for (let i = 0; i < count; i++) out[i] = build(axis + 1);
    return out;
  };
  return build(0);
}

/**
 * Decodes wire JSON (already parsed) into values: special numbers, undefined, `$$` keys, and
 * `$desc` into a {@link ForeignValue}. Works in place on the parsed structure, which must not be
 * shared. Structures nested deeper than 1,000 levels become a ForeignValue. Uses only references
 * taken when the module loaded (the child decodes arguments after student code has loaded).
 */
export function decodeValue(wire: Wire, depth = 0): unknown {
  if (typeof wire !== 'object' || wire === null) return wire;
  if (depth > 1000) return new ForeignValue('a value nested too deeply to read');
  if (isArray(wire)) {
    for (let i = 0; i < wire.length; i++) {
      const item = wire[i];
      if (typeof item === 'object' && item !== null) wire[i] = decodeValue(item, depth + 1);
    }
    return wire;
  }
  const object = wire as Record<string, unknown>;
  const names = objectKeys(object);
  const tag = tagOf(names);
  if (tag === '$f') {
    const name = object.$f;
    return typeof name === 'string' && hasOwn(SPECIAL, name) ? SPECIAL[name] : new ForeignValue('an unreadable number');
  }
  if (tag === '$u') return undefined;
  if (tag === '$desc') return new ForeignValue(typeof object.$desc === 'string' ? object.$desc : 'a value that could not be sent');
  if (tag === '$nd') return emptyArray(object.$nd);
  let escaped = false;
  for (let i = 0; i < names.length; i++) {
    const key = names[i];
    if (key[0] === '$') escaped = true;
    const item = object[key];
    if (typeof item === 'object' && item !== null) defineProperty(object, key, dataDescriptor(decodeValue(item, depth + 1)));
  }
  if (!escaped) return object;
  // Keys that started with `$` arrived as `$$key`; rebuild the object in the same key order.
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const key = names[i];
    defineProperty(out, key[0] === '$' && key[1] === '$' ? slice(key, 1) : key, dataDescriptor(object[key]));
  }
  return out;
}
