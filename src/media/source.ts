/**
 * Where a media input's bytes are: a file path (resolved, optionally jailed) or inline base64.
 * Paths are checked with `realpath`, so a symbolic link cannot lead out of `allowedRoots`.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { SkillError } from '../errors.js';
import { mediaInvalid, mediaTooLarge } from './issues.js';
import type { MediaContext, MediaSource } from './types.js';

const BASE64 = /^[A-Za-z0-9+/\-_\s]*={0,2}\s*$/;

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function checkSize(size: number, issue: string, ctx: MediaContext): void {
  if (ctx.maxFileBytes !== undefined && size > ctx.maxFileBytes) throw mediaTooLarge(issue, size, ctx.maxFileBytes);
}

/** Decodes `data` (base64, optionally a `data:...;base64,` URL). */
export function decodeData(data: unknown, issue: string, ctx: MediaContext): Buffer {
  if (typeof data !== 'string') throw mediaInvalid(issue, 'data must be a base64 string');
  const comma = data.startsWith('data:') ? data.indexOf(',') : -1;
  const body = comma >= 0 ? data.slice(comma + 1) : data;
  if (!BASE64.test(body)) throw mediaInvalid(issue, 'data is not valid base64');
  const bytes = Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64');
  if (bytes.length === 0) throw mediaInvalid(issue, 'data is empty');
  checkSize(bytes.length, issue, ctx);
  return bytes;
}

/** Resolves `path` to a readable regular file, inside `allowedRoots` when those are given. */
export function resolveInputPath(path: unknown, issue: string, ctx: MediaContext): MediaSource {
  if (typeof path !== 'string' || path.length === 0) throw mediaInvalid(issue, 'path must be a non-empty string');
  if (path.includes('\0')) throw mediaInvalid(issue, 'path must not contain NUL');
  const abs = resolve(ctx.baseDir ?? process.cwd(), path);
  let real: string;
  let size: number;
  try {
    real = realpathSync(abs);
    const st = statSync(real);
    if (!st.isFile()) throw mediaInvalid(issue, `not a regular file: ${path}`);
    size = st.size;
  } catch (err) {
    if (err instanceof SkillError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw mediaInvalid(issue, `cannot read file ${path} (${code})`, err);
  }
  if (ctx.allowedRoots !== undefined) {
    const ok = ctx.allowedRoots.some((root) => {
      try {
        return isInside(realpathSync(resolve(root)), real);
      } catch {
        return false;
      }
    });
    if (!ok) throw mediaInvalid(issue, `path ${path} is outside the allowed directories`);
  }
  checkSize(size, issue, ctx);
  return { kind: 'path', absPath: real, size };
}

/** The source named by an input's `path` or `data` (exactly one of them). */
export function resolveSource(input: Record<string, unknown>, issue: string, ctx: MediaContext): MediaSource {
  const hasPath = input['path'] !== undefined;
  const hasData = input['data'] !== undefined;
  if (hasPath === hasData) throw mediaInvalid(issue, 'give exactly one of "path" or "data"');
  return hasPath ? resolveInputPath(input['path'], `${issue}.path`, ctx) : { kind: 'bytes', bytes: decodeData(input['data'], `${issue}.data`, ctx) };
}
