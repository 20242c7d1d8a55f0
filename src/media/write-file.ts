/**
 * Writing a prepared media file under its content-derived name. The name needs the SHA-256, so a
 * path source is copied once, in chunks, into a temp file beside the target while hashing, then renamed;
 * in-memory bytes are hashed and written in one write. Same content ⇒ same name, so a rename
 * over an existing file is harmless.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { copyWithHashes } from '../artifacts/copy-hash.js';
import { mediaRelPath, resolveInside } from './media-path.js';
import type { MediaContext, PreparedFile, WrittenFile } from './types.js';

export interface WriteTarget {
  segments: readonly string[];
  issue: string;
}

function targetDir(prepared: PreparedFile, target: WriteTarget, ctx: MediaContext): string {
  // Resolve a probe name to get (and check) the directory; the real name follows the hash.
  const probe = mediaRelPath(prepared.subdir, target.segments, ctx.step, '0'.repeat(20), prepared.ext);
  return dirname(resolveInside(ctx.filesDir, probe, target.issue));
}

function finalPaths(prepared: PreparedFile, target: WriteTarget, ctx: MediaContext, sha256: string): { rel: string; abs: string } {
  const rel = mediaRelPath(prepared.subdir, target.segments, ctx.step, sha256, prepared.ext);
  return { rel, abs: resolveInside(ctx.filesDir, rel, target.issue) };
}

/** Writes `prepared` under `ctx.filesDir`, copying path sources in chunks (flat memory). */
export async function writePrepared(prepared: PreparedFile, target: WriteTarget, ctx: MediaContext): Promise<WrittenFile> {
  const dir = targetDir(prepared, target, ctx);
  await mkdir(dir, { recursive: true });
  const tmp = `${dir}/.tmp-${randomUUID()}`;
  const hash = createHash('sha256');
  let size: number;
  try {
    if (prepared.source.kind === 'bytes') {
      hash.update(prepared.source.bytes);
      size = prepared.source.bytes.length;
      await writeFile(tmp, prepared.source.bytes, { flag: 'wx' });
    } else {
      size = await copyWithHashes(prepared.source.absPath, tmp, [hash]);
    }
    const sha256 = hash.digest('hex');
    const { rel, abs } = finalPaths(prepared, target, ctx, sha256);
    await rename(tmp, abs);
    return { path: rel, absPath: abs, sha256, size };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
