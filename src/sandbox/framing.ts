/**
 * Frames of protocol v2 (notes/PROTOCOL.md): a 4-byte unsigned big-endian length L, then L bytes
 * of UTF-8 JSON. The grader reads the child's frames with {@link frameReader} and a cap: a frame
 * announcing more is refused before any of its body is read, so a child can never make the
 * grader hold more than the cap. The child uses the same code for the grader's frames.
 *
 * Everything here uses references taken when the module loads (in the child: before student
 * code), and typed-array indexing rather than Buffer methods a submission could patch.
 */
import * as fs from 'node:fs';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: false });
const { apply } = Reflect;
const encodeUtf8 = TextEncoder.prototype.encode;
const decodeUtf8 = TextDecoder.prototype.decode;
const typedArraySet = Uint8Array.prototype.set;
const writeSync = fs.writeSync;
const Bytes = Uint8Array;

/** Length prefix plus UTF-8 of `json`. */
export function frameBytes(json: string): Uint8Array {
  const body = apply(encodeUtf8, textEncoder, [json]) as Uint8Array;
  const length = body.length;
  const frame = new Bytes(length + 4);
  frame[0] = (length >>> 24) & 255;
  frame[1] = (length >>> 16) & 255;
  frame[2] = (length >>> 8) & 255;
  frame[3] = length & 255;
  apply(typedArraySet, frame, [body, 4]);
  return frame;
}

/** The UTF-8 byte length of `json` once framed (without the 4-byte prefix). */
export function utf8Length(json: string): number {
  return (apply(encodeUtf8, textEncoder, [json]) as Uint8Array).length;
}

/**
 * Writes one frame to `fd` synchronously (the child's replies: written in full before anything
 * else runs, even `process.exit`). Retries while a non-blocking descriptor is full.
 */
export function writeFrameSync(fd: number, json: string): void {
  const frame = frameBytes(json);
  let offset = 0;
  while (offset < frame.length) {
    try {
      offset += writeSync(fd, frame, offset, frame.length - offset) as number;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EAGAIN') throw error;
    }
  }
}

/** What {@link frameReader} reports. */
export interface FrameEvents {
  /** A whole frame's text. */
  frame(json: string): void;
  /** A frame announced `bytes`, more than the cap: nothing more is read. */
  oversize(bytes: number): void;
}

/**
 * Assembles frames from chunks of a byte stream. Returns the function to feed chunks to; it
 * returns false once a frame was refused (feed nothing more). Holds at most the cap (plus one
 * header) in memory.
 */
export function frameReader(maxBytes: number, events: FrameEvents): (chunk: Uint8Array) => boolean {
  const header = new Bytes(4);
  let headerFill = 0;
  let body: Uint8Array | undefined;
  let bodyFill = 0;
  let refused = false;
  return (chunk: Uint8Array): boolean => {
    if (refused) return false;
    let at = 0;
    while (at < chunk.length) {
      if (!body) {
        while (headerFill < 4 && at < chunk.length) header[headerFill++] = chunk[at++];
        if (headerFill < 4) break;
        const length = header[0] * 0x1000000 + ((header[1] << 16) | (header[2] << 8) | header[3]);
        headerFill = 0;
        if (length > maxBytes) {
          refused = true;
          events.oversize(length);
          return false;
        }
        body = new Bytes(length);
        bodyFill = 0;
      }
      const room = body.length - bodyFill;
      const take = room < chunk.length - at ? room : chunk.length - at;
      if (take > 0) {
        apply(typedArraySet, body, [new Bytes(chunk.buffer, chunk.byteOffset + at, take), bodyFill]);
        bodyFill += take;
        at += take;
      }
      if (bodyFill === body.length) {
        const json = apply(decodeUtf8, textDecoder, [body]) as string;
        body = undefined;
        events.frame(json);
        if (refused) return false;
      }
    }
    return true;
  };
}
