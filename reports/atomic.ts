/**
 * Atomic file writes: write a temporary file beside the target, then rename over it, so that an
 * interrupted run never leaves a half-written result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomic(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/**
 * {@link writeFileAtomic} for content made in pieces (a page with a row per submission): each
 * piece is written to the temporary file as it comes, so the whole is never held in memory.
 *
 * @example writeFileAtomicPieces('out/index.html', [head, ...rows.map(renderRow), tail]);
 */
export function writeFileAtomicPieces(file: string, pieces: Iterable<string>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(temporary, 'w');
    try {
      for (const piece of pieces) writeAll(fd, piece);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Writes all of `data` at the file's current position, however many writes it takes. */
export function writeAll(fd: number, data: string | Buffer): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}
