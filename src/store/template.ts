/**
 * A new store starts as a copy of an empty one made at build time (`dist/store-template.sqlite`,
 * scripts/store-template.mjs: every migration applied, WAL mode, checkpointed, vacuumed). Making the
 * schema in place cost 25 to 30 ms (the switch to WAL and some 80 WAL frames of tables and
 * indexes); the copy is one write, one fsync and a link. The open then runs `migrate` as for any
 * store, so a template from an older build only leaves the newer migrations to apply.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { createFileOnce } from '../replace-file.js';

/** The template's name under the package's `dist` folder. */
export const TEMPLATE_FILE = 'store-template.sqlite';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const PAGE_SIZE_AT = 16;
const WAL_VERSION_AT = 18;

/** The package's template, or undefined when there is none (a source checkout that was not built). */
export function defaultTemplate(): string | undefined {
  try {
    const path = join(packageRoot(import.meta.url), 'dist', TEMPLATE_FILE);
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The template's bytes when they look like a WAL-mode SQLite file of whole pages, else undefined. */
function templateBytes(path: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  if (bytes.length < 512 || !bytes.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) return undefined;
  const raw = bytes.readUInt16BE(PAGE_SIZE_AT);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || bytes.length % pageSize !== 0) return undefined;
  if (bytes[WAL_VERSION_AT] !== 2 || bytes[WAL_VERSION_AT + 1] !== 2) return undefined;
  return bytes;
}

/**
 * Puts a copy of the template at `path` if nothing is there (createFileOnce: a store another
 * process made meanwhile is kept, and nobody sees a half-written copy). Returns whether this call
 * made the file; false (nothing changed) when the template is unusable, the file exists, or the
 * file system refuses (no hard links, no room): the caller then makes the store as before.
 */
export function copyTemplate(template: string, path: string): boolean {
  // A WAL left by a deleted store would be replayed onto the copy: such a place is made as before.
  if (existsSync(`${path}-wal`)) return false;
  const bytes = templateBytes(template);
  return bytes !== undefined && createFileOnce(path, bytes);
}
