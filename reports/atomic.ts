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
