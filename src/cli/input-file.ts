import { constants, type Stats } from 'node:fs';
// node:fs/promises is imported where used: it loads a dozen internal modules, a few ms of a one-call CLI log.
import { resolve } from 'node:path';
import { SkillError } from '../errors.js';

const CHUNK = 1024 * 1024;

function kind(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

function invalid(given: string, message: string, cause?: unknown): SkillError {
  return new SkillError('INVALID_INPUT', `--input ${given} ${message}`, {
    ...(cause !== undefined ? { cause } : {}),
    details: { issues: [{ path: '--input', message }] },
  });
}

function tooLarge(given: string, maxBytes: number): SkillError {
  const message = `is larger than ${maxBytes} bytes`;
  return new SkillError('PAYLOAD_TOO_LARGE', `--input ${given} ${message}`, { details: { issues: [{ path: '--input', message }] } });
}

function notRegular(given: string, st: Stats): SkillError {
  return invalid(given, `is not a regular file (${kind(st)}): give a file, or pipe the context on standard input`);
}

/**
 * Reads the context file named by `--input`. Only a regular file: opening a FIFO with no writer blocks
 * forever and a device like /dev/zero never ends, so those are refused from their stat alone; the read
 * is bounded by `maxBytes` (by the size first, then by what is read, since a file can grow).
 */
export async function readInputFile(given: string, cwd: string, maxBytes: number): Promise<string> {
  const path = resolve(cwd, given);
  const { open, stat } = await import('node:fs/promises');
  let st: Stats;
  try {
    st = await stat(path);
  } catch (cause) {
    throw invalid(given, 'cannot be read', cause);
  }
  if (!st.isFile()) throw notRegular(given, st);
  if (st.size > maxBytes) throw tooLarge(given, maxBytes);
  // O_NONBLOCK: had the path become a FIFO since the stat, the open still returns at once.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((cause: unknown) => {
    throw invalid(given, 'cannot be read', cause);
  });
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw notRegular(given, opened);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(CHUNK);
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(given, maxBytes);
      chunks.push(buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (err) {
    if (err instanceof SkillError) throw err;
    throw invalid(given, 'cannot be read', err);
  } finally {
    await handle.close();
  }
}
