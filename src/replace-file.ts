/**
 * Writing a file so that no reader sees half of it and no link planted at its name is written
 * through: the content goes into a fresh temp file beside it (created exclusively), then is renamed
 * over the name, which replaces whatever entry was there, or linked to it, which never does.
 */
import { randomString } from './random-id.js';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** Writes into a fresh temp file beside `p` (removed if the write fails), synced to disk with `sync`; returns its path. */
export function writeTemp(p: string, content: string | Uint8Array, sync = false): string {
  // Not node:crypto's randomUUID: the store's open (a new store's template copy) comes here, and a
  // one-call CLI log loads no crypto. The create is exclusive ('wx'), so a clash fails, never overwrites.
  const tmp = `${p}.${process.pid}.${randomString((m) => Math.floor(Math.random() * m), 16)}.tmp`;
  try {
    const fd = openSync(tmp, 'wx');
    try {
      writeFileSync(fd, content);
      if (sync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
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

/**
 * Creates `p` holding `content`, synced, unless something is at `p` already: a temp file linked into
 * place (a link never replaces an entry, and nobody sees half a file). False when `p` exists or the
 * file system refuses (no hard links, no room); nothing is left behind either way.
 */
export function createFileOnce(p: string, content: Uint8Array): boolean {
  let tmp: string | undefined;
  try {
    tmp = writeTemp(p, content, true);
    linkSync(tmp, p);
    return true;
  } catch {
    return false;
  } finally {
    if (tmp !== undefined) rmSync(tmp, { force: true });
  }
}
