/**
 * Writing a file so that no reader sees half of it and no link planted at its name is written
 * through: the content goes into a fresh temp file beside it (created exclusively), then is renamed
 * over the name, which replaces whatever entry was there.
 */
import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** Writes into a fresh temp file beside `p` (removed if the write fails); returns its path. */
export function writeTemp(p: string, content: string | Uint8Array): string {
  const tmp = `${p}.${randomUUID()}.tmp`;
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return tmp;
}

/** Writes `content` at `p` through a temp file renamed into place. */
export function replaceFile(p: string, content: string | Uint8Array): void {
  const tmp = writeTemp(p, content);
  try {
    renameSync(tmp, p);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
