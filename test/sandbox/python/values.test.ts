/**
 * runner.py's values, end to end through the sandbox: JavaScript → wire → Python → wire →
 * JavaScript keeps every double bit for bit (NaN, ±Infinity, −0, subnormals), widens float16/32
 * exactly, keeps nested structure and shapes, and describes what it cannot send.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { callOnce, describeSandboxed, EmptyArray, fromWire, removeStages, startSubmission, toWire, type RunnerProcess } from './driver';

const VALUES_PY = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'python', 'values', 'values.py'), 'utf8');
const NAMES = { identity: 'identity', describeArgs: 'describe_args', make: 'make', scaleInPlace: 'scale_in_place', setFirst: 'set_first', first: 'first' };

/** Doubles from a seeded generator: random bit patterns (every exponent, both signs). */
function seededDoubles(count: number, seed: number): number[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const view = new DataView(new ArrayBuffer(8));
  const out: number[] = [];
  while (out.length < count) {
    view.setUint32(0, next());
    view.setUint32(4, next());
    out.push(view.getFloat64(0));
  }
  return out;
}

const sameBits = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describeSandboxed('runner.py values', () => {
  let runner: RunnerProcess;

  beforeAll(async () => {
    const started = await startSubmission({ 'values.py': VALUES_PY }, 'values.py', NAMES, { init: { limits: { replyBytes: 1_000_000 } } });
    runner = started.runner;
    expect(started.loaded).toMatchObject({ type: 'loaded', exports: { identity: 'function', make: 'function' } });
  });

  afterAll(async () => {
    await runner?.close();
    removeStages();
  });

  const call = (fn: string, ...args: unknown[]) => callOnce(runner, fn, args);
  const value = async (fn: string, ...args: unknown[]) => {
    const reply = await call(fn, ...args);
    expect(reply).toMatchObject({ ok: true });
    return fromWire(reply.value);
  };
  const unsendable = async (name: string) => {
    const reply = await call('make', name);
    expect(reply).toMatchObject({ ok: false, unsendable: { kind: 'unsendable' } });
    return (reply.unsendable as { description: string }).description;
  };

  test('special doubles round-trip: NaN, ±Infinity, −0, subnormals, extremes', async () => {
    const specials = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE, Number.EPSILON, 0.1, 1 / 3];
    const back = (await value('identity', specials)) as number[];
    expect(back).toHaveLength(specials.length);
    specials.forEach((x, i) => expect(sameBits(back[i], x)).toBe(true));
    expect(Object.is(await value('identity', -0), -0)).toBe(true);
    expect(Object.is(await value('make', 'negative zero'), -0)).toBe(true);
    expect(await value('make', 'subnormal')).toBe(5e-324);
  });

  test('20,000 random bit patterns come back bit for bit, as arrays and as scalars', async () => {
    const doubles = seededDoubles(20_000, 2024);
    const back = (await value('identity', doubles)) as number[];
    const mismatches = doubles.filter((x, i) => !sameBits(back[i], x));
    expect(mismatches).toEqual([]);
    const answer = await runner.request({ type: 'callBatch', id: 2, calls: doubles.slice(0, 300).map((x) => ({ fn: 'identity', args: [toWire(x)] })) });
    expect(answer.type).toBe('results');
    const replies = (answer as { replies: { value: unknown }[] }).replies;
    expect(replies.map((r) => fromWire(r.value)).filter((x, i) => !sameBits(x as number, doubles[i]))).toEqual([]);
  });

  test('integral numbers arrive as float; rectangular lists as float64 ndarrays; the rest as lists', async () => {
    expect(await value('describeArgs', 3, [1, 2], [[1, 2], [3, 4]], [[1, 2], [3]], [true, false], { a: [1], b: 2 }, 's', null, [])).toEqual([
      'float',
      'ndarray float64 [2]',
      'ndarray float64 [2, 2]',
      'list[ndarray,ndarray]',
      'list[bool,bool]',
      'dict{a:ndarray,b:float}',
      'str',
      'NoneType',
      'ndarray float64 [0]',
    ]);
    expect(await value('describeArgs', [NaN, -0, Infinity])).toEqual(['ndarray float64 [3]']);
    expect(await value('describeArgs', undefined)).toEqual(['NoneType']);
  });

  test('with arrayArgs "list", arrays arrive as lists of floats', async () => {
    const started = await startSubmission({ 'values.py': VALUES_PY }, 'values.py', NAMES, { init: { arrayArgs: 'list' } });
    try {
      const reply = await callOnce(started.runner, 'describeArgs', [[1, 2], [[1, 2]], 3]);
      expect(fromWire(reply.value)).toEqual(['list[float,float]', 'list[list]', 'float']);
    } finally {
      await started.runner.close();
    }
  });

  test('nested lists, tuples and matrices keep their structure', async () => {
    expect(await value('identity', [[1, 2], [3, 4]])).toEqual([[1, 2], [3, 4]]);
    expect(await value('identity', [[1, [2, 3]], [4]])).toEqual([[1, [2, 3]], [4]]);
    expect(await value('make', 'tuple')).toEqual([0.5, [1, -2]]);
    expect(await value('make', 'matrix')).toEqual([[1, 2], [3, 4]]);
    expect(await value('identity', { w: [[1, 2]], b: [0.5], lr: 0.1 })).toEqual({ w: [[1, 2]], b: [0.5], lr: 0.1 });
  });

  test('empty arrays keep their shape: (0,3) and (2,0,3) are tagged, (2,0) and (0,) are plain', async () => {
    expect(await value('make', 'shape 0x3')).toEqual(new EmptyArray([0, 3]));
    expect(await value('make', 'shape 2x0x3')).toEqual(new EmptyArray([2, 0, 3]));
    expect(await value('make', 'shape 2x0')).toEqual([[], []]);
    expect(await value('make', 'shape 0')).toEqual([]);
    // JavaScript → Python → JavaScript: the shape survives both ways.
    expect(await value('describeArgs', new EmptyArray([0, 3]))).toEqual(['ndarray float64 [0, 3]']);
    expect(await value('identity', new EmptyArray([0, 3]))).toEqual(new EmptyArray([0, 3]));
  });

  test('NumPy scalars of every float width widen exactly; 0-d arrays are scalars', async () => {
    expect(await value('make', 'float16')).toBe(0.0999755859375);
    expect(await value('make', 'float32')).toBe(Math.fround(0.1));
    expect(await value('make', 'float64')).toBe(0.1);
    expect(Number.isNaN(await value('make', 'float32 nan'))).toBe(true);
    const f32 = (await value('make', 'float32 array')) as number[];
    expect(f32[0]).toBe(Math.fround(0.1));
    expect(f32[1]).toBe(Infinity);
    expect(Object.is(f32[2], -0)).toBe(true);
    expect(Number.isNaN(f32[3])).toBe(true);
    expect(await value('make', 'float16 array')).toEqual([0.0999755859375, 65504]);
    expect(await value('make', '0-d')).toBe(2.5);
    expect(Number.isNaN(await value('make', '0-d nan'))).toBe(true);
    expect(await value('make', '0-d int')).toBe(7);
  });

  test('integers, booleans and strings: numbers up to 2^53, bool arrays as 0/1, str as a JSON string', async () => {
    expect(await value('make', 'int64')).toBe(42);
    expect(await value('make', '2^53')).toBe(2 ** 53);
    expect(await value('make', 'uint8 array')).toEqual([1, 255]);
    expect(await value('make', 'bool')).toBe(true);
    expect(await value('make', 'bool array')).toEqual([1, 0]);
    expect(await value('make', 'none')).toBeNull();
    expect(await value('make', 'string')).toBe('0.25');
  });

  test('a "$" key is escaped and comes back as written', async () => {
    const reply = await call('make', 'dollar keys');
    expect(reply.value).toEqual({ $$f: 1, $$$x: 2, plain: [1] });
    expect(fromWire(reply.value)).toEqual({ $f: 1, $$x: 2, plain: [1] });
    expect(await value('identity', { $f: 'x', a: 1 })).toEqual({ $f: 'x', a: 1 });
  });

  test('subclasses of list and float are read with the base type, not their overrides', async () => {
    expect(await value('make', 'list subclass')).toEqual([1, 2]);
    expect(await value('make', 'float subclass')).toBe(1.5);
  });

  test('values that cannot be sent are described with a hint', async () => {
    const expectations: [string, RegExp][] = [
      ['bytes', /^bytes \(return numbers\)$/],
      ['generator', /^a generator \(wrap it in list\(…\), or use return instead of yield\)$/],
      ['generator function', /^a generator/],
      ['map', /^a map iterator \(wrap it in list\(…\)\)$/],
      ['zip', /^a zip iterator/],
      ['filter', /^a filter iterator/],
      ['range', /^a range \(wrap it in list\(…\)\)$/],
      ['complex', /^a complex number \(\(1\+2j\)\)/],
      ['numpy complex', /^a NumPy complex number/],
      ['complex array', /^a NumPy array of complex numbers \(dtype complex128\)/],
      ['object array', /^a NumPy array of dtype object \(ragged rows\?/],
      ['string array', /^a NumPy array of strings \(dtype <U2\)/],
      ['datetime array', /^a NumPy array of dates or times/],
      ['structured array', /^a NumPy structured array/],
      ['masked array', /^a NumPy masked array \(return a plain array/],
      ['longdouble', /^a NumPy float128 value \(convert it with float\(…\)\)$/],
      ['longdouble array', /^a NumPy array of dtype float128/],
      ['big int', /^an integer beyond 2\^53 \(61 bits\)/],
      ['big int array', /^a NumPy array of dtype int64 holding integers beyond 2\^53/],
      ['int keys', /^a dict with a key that is not a string \(1\) \(use string keys\)$/],
      ['set', /^a set \(sets have no order: return a list\)$/],
      ['function', /^a function \(did you return the function instead of calling it\?\)$/],
      ['class', /^a class \(Vector\)/],
      ['nested generator', /^a list with a generator at \[1\]\[1\] \(wrap it/],
      ['tuple with map', /^a tuple with a map iterator at \[1\]/],
      ['dict with complex', /^a dict with a complex number \(1j\) at \['grad'\]\[0\]/],
      ['self containing', /^a list with a structure nested more than 100 levels deep at (\[1\])+ \(does it contain itself\?\)$/],
      ['coroutine', /^a coroutine \(the function must be a plain def, not async def\)$/],
      ['date', /^an object of type datetime\.date$/],
      ['fake class', /^a value that could not be read \(TypeError: /],
    ];
    for (const [name, pattern] of expectations) {
      const description = await unsendable(name);
      expect({ name, description }).toEqual({ name, description: expect.stringMatching(pattern) });
      expect(description.length).toBeLessThanOrEqual(500);
    }
  });

  test('a reply larger than the cap becomes tooLarge, before the whole value is built', async () => {
    for (const name of ['huge list', 'huge array']) {
      const reply = await call('make', name);
      expect(reply).toMatchObject({ ok: false, tooLarge: { bytes: expect.any(Number) } });
      expect((reply.tooLarge as { bytes: number }).bytes).toBeGreaterThan(1_000_000);
    }
    // Every frame the runner sent stayed under the cap.
    expect(Math.max(...runner.frameBytes)).toBeLessThanOrEqual(1_000_000);
  });

  test('replies that fit alone but not together: the largest become tooLarge until the batch fits', async () => {
    const calls = Array.from({ length: 5 }, () => ({ fn: 'make', args: ['long string'] }));
    const answer = await runner.request({ type: 'callBatch', id: 9, calls });
    expect(answer).toMatchObject({ type: 'results', id: 9 });
    const replies = (answer as { replies: Record<string, unknown>[] }).replies;
    expect(replies).toHaveLength(5);
    const tooLarge = replies.filter((r) => 'tooLarge' in r);
    const ok = replies.filter((r) => r.ok === true);
    expect(ok.length).toBe(3);
    expect(tooLarge.length).toBe(2);
    expect(runner.frameBytes[runner.frameBytes.length - 1]).toBeLessThanOrEqual(1_000_000);
  });

  test('each call gets its own copy of the arguments, and echoArgs shows what the function did to them', async () => {
    const shared = [1, 2, 3];
    const answer = await runner.request({
      type: 'callBatch',
      id: 3,
      calls: [
        { fn: 'scaleInPlace', args: [shared, 10], echoArgs: true },
        { fn: 'first', args: [shared], echoArgs: true },
        { fn: 'setFirst', args: [[[1, 2], [3, 4]], 9], echoArgs: true },
      ],
    });
    const replies = (answer as { replies: Record<string, unknown>[] }).replies;
    expect(replies[0]).toMatchObject({ ok: true, value: 60, argsAfter: [[10, 20, 30], 10] });
    expect(replies[1]).toMatchObject({ ok: true, value: 1, argsAfter: [[1, 2, 3]] });
    expect(replies[2]).toMatchObject({ ok: true, value: null, argsAfter: [[[9, 9], [3, 4]], 9] });
    expect(replies.every((r) => typeof r.ms === 'number')).toBe(true);
  });
});
