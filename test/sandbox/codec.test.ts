/**
 * Protocol v2 pieces on their own: values on the wire (codec), frames (framing) and the grader's
 * validation of what a child sends (protocol).
 */
import * as vm from 'node:vm';
import { decodeValue, encodeValue, isForeignValue } from '../../src/sandbox/codec';
import { frameBytes, frameReader } from '../../src/sandbox/framing';
import { TEXT_CAPS, validChildMessage } from '../../src/sandbox/protocol';

const roundTrip = (value: unknown) => {
  const encoded = encodeValue(value, 1e9);
  if (encoded.status !== 'encoded') throw new Error(`not encoded: ${JSON.stringify(encoded)}`);
  return decodeValue(JSON.parse(encoded.json));
};

describe('codec', () => {
  it('encodes a plain object made in another realm as a plain object (the grader builds arguments in jest\'s context)', () => {
    const foreign = vm.runInNewContext('({ lr: 0.5, epochs: 2, w0: [0, 1] })') as object;
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
    expect(encodeValue(foreign, 1024)).toEqual({ status: 'encoded', json: '{"lr":0.5,"epochs":2,"w0":[0,1]}' });
    class Model {
      get w() {
        return [1];
      }
    }
    expect(encodeValue(new Model(), 1024)).toMatchObject({ status: 'unsendable', description: expect.stringMatching(/instance of Model with getters \(w\)/) });
  });

  test('special numbers, undefined and $ keys survive the round trip', () => {
    const value = roundTrip({ a: [1.5, -0, NaN, Infinity, -Infinity, 0, undefined, null, true, 'x"y'], $b: { $$c: 2, d: [[1, 2], [3, 4]] } }) as Record<string, unknown>;
    expect(value).toEqual({ a: [1.5, -0, NaN, Infinity, -Infinity, 0, undefined, null, true, 'x"y'], $b: { $$c: 2, d: [[1, 2], [3, 4]] } });
    expect(Object.is((value.a as number[])[1], -0)).toBe(true);
    expect(Object.is((value.a as number[])[5], 0)).toBe(true);
    expect(Object.keys(value)).toEqual(['a', '$b']);
  });

  test('long arrays encode exactly as JSON.stringify does', () => {
    const matrix = Array.from({ length: 300 }, (_, i) => Array.from({ length: 50 }, (_, j) => Math.sin(i * 50 + j) * 1e3));
    const encoded = encodeValue(matrix, 1e9);
    expect(encoded).toEqual({ status: 'encoded', json: JSON.stringify(matrix) });
  });

  test.each([
    [new Float64Array(3), 'a Float64Array of length 3 (return a plain array, e.g. Array.from(…))'],
    [Promise.resolve(1), 'a Promise (is the function declared async, or does it return a promise? Functions must be synchronous)'],
    [new Proxy([1], {}), 'a Proxy object (return the plain value itself)'],
    [new Map(), 'a Map (return a plain object or array)'],
    [() => 1, 'a function (return plain numbers, arrays and objects)'],
    [10n, 'a BigInt (return a plain number)'],
    [[1, [2, new Int8Array(1)]], 'an array of length 2 holding a Int8Array of length 1 at [1][1] (return a plain array, e.g. Array.from(…))'],
    [{ valueOf: () => 3 }, 'an object with keys {valueOf} holding a function at .valueOf (return plain numbers, arrays and objects)'],
    // eslint-disable-next-line no-sparse-arrays
    [[1, , 3], 'an array of length 3 holding an empty slot (a hole) at [1] (fill every element)'],
    [Object.defineProperty({}, 'w', { get: () => 1, enumerable: true }), 'an object with keys {w} holding a getter at .w (return plain data)'],
  ])('%p is described, not sent', (value, description) => {
    expect(encodeValue(value, 1e9)).toEqual({ status: 'unsendable', description });
  });

  test('class instances: data fields are sent as a plain object; getters are described', () => {
    class Plain {
      w = [1, 2];
      b = 0.5;
    }
    class WithGetter {
      private readonly hidden = [1, 2];
      get w(): number[] {
        return this.hidden;
      }
    }
    expect(roundTrip(new Plain())).toEqual({ w: [1, 2], b: 0.5 });
    expect(encodeValue(new WithGetter(), 1e9)).toEqual({ status: 'unsendable', description: 'an instance of WithGetter with getters (w) (return a plain object, e.g. { w: …, b: … })' });
  });

  test('a structure that contains itself is described, not followed', () => {
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(encodeValue(cycle, 1e9)).toEqual({
      status: 'unsendable',
      description: 'an array of length 1 holding a structure nested more than 64 levels deep at [0][0][0][0][0][0][0][0][0][0][0][0][0]…[0][0][0][0][0][0][0][0][0][0] (does it contain itself?)',
    });
  });

  test('a value over the budget is refused as soon as that is known', () => {
    expect(encodeValue('x'.repeat(1000), 100)).toEqual({ status: 'tooLarge', bytes: 1002 });
    expect(encodeValue(new Array(1000).fill(0), 100)).toEqual({ status: 'tooLarge', bytes: 2001 });
    expect(encodeValue([1, 2, 3], 7)).toEqual({ status: 'encoded', json: '[1,2,3]' });
  });

  test('$desc decodes to a ForeignValue that prints its description', () => {
    const value = decodeValue(JSON.parse('{"w":{"$desc":"a Float64Array of length 2"}}')) as { w: unknown };
    expect(isForeignValue(value.w)).toBe(true);
    expect(String(value.w)).toBe('a Float64Array of length 2');
  });
});

describe('framing', () => {
  test('frames split across chunks, or several in one chunk, are reassembled', () => {
    const frames: string[] = [];
    const feed = frameReader(1000, { frame: (json) => frames.push(json), oversize: () => frames.push('OVERSIZE') });
    const bytes = Buffer.concat([Buffer.from(frameBytes('{"a":"é"}')), Buffer.from(frameBytes('[1,2]')), Buffer.from(frameBytes('"x"'))]);
    for (let i = 0; i < bytes.length; i += 3) expect(feed(bytes.subarray(i, i + 3))).toBe(true);
    expect(frames).toEqual(['{"a":"é"}', '[1,2]', '"x"']);
  });

  test('a frame announcing more than the cap is refused before its body is read', () => {
    const events: string[] = [];
    const feed = frameReader(1024, { frame: (json) => events.push(json), oversize: (bytes) => events.push(`oversize ${bytes}`) });
    expect(feed(Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]))).toBe(false);
    expect(feed(Buffer.from(frameBytes('{}')))).toBe(false);
    expect(events).toEqual([`oversize ${0x7fffffff}`]);
  });
});

describe('protocol: what the grader accepts from a child', () => {
  test('texts are cut again in the grader, whatever the child sent', () => {
    const message = validChildMessage({ type: 'results', id: 1, replies: [{ ok: false, thrown: { name: 'N'.repeat(5000), message: 'm'.repeat(1e6), stack: 's'.repeat(1e6), code: 7 }, ms: -3 }] });
    expect(message).toMatchObject({ type: 'results', id: 1 });
    const reply = 'replies' in message ? message.replies[0] : undefined;
    if (!reply || reply.ok || !('thrown' in reply)) throw new Error('expected a thrown reply');
    expect(reply.thrown.name.length).toBe(TEXT_CAPS.name);
    expect(reply.thrown.message).toMatch(/^m+… \(998000 more characters\)$/);
    expect(reply.thrown.message.length).toBe(TEXT_CAPS.message);
    expect(reply.thrown.stack!.length).toBe(TEXT_CAPS.stack);
    expect(reply.thrown.code).toBeUndefined();
    expect(reply.ms).toBe(0);
  });

  test('anything else is malformed', () => {
    expect(validChildMessage({ type: 'results', id: 1, replies: [{ ok: 'yes' }] })).toEqual({ malformed: 'a reply of an unknown shape' });
    expect(validChildMessage({ type: 'hello' })).toEqual({ malformed: 'an unknown message type' });
    expect(validChildMessage([1])).toEqual({ malformed: 'not an object' });
  });
});
