/**
 * Creating a caller's output folder one level at a time. Node's `mkdir(..., { recursive: true })`
 * never returns under a pseudo file system that refuses new entries (`/proc/self/x` spins
 * forever), and a failure half-way would leave folders behind; here every level is made by hand,
 * the ones made are returned so a failed call can remove what it created, and each refusal is an
 * INVALID_INPUT naming the caller's field.
 */
import { lstatSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SkillError, invalidInput } from './errors.js';

/** The file-system errors that mean "this place cannot be written", answered as the caller's mistake. */
const CALLER_ERRNOS = new Set([
  'ENOENT',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOTDIR',
  'EEXIST',
  'EISDIR',
  'EINVAL',
  'ENAMETOOLONG',
  'ELOOP',
  'EXDEV',
  'ENXIO',
  'ENODEV',
  'EBUSY',
  'ETXTBSY',
]);

/** The errno code of a thrown value, if it has one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A file-system failure writing under a caller's path as INVALID_INPUT naming `field`; anything else
 * (a SkillError, a full disk, a bug) is returned unchanged.
 */
export function callerWriteError(err: unknown, field: string, what: string): unknown {
  if (err instanceof SkillError) return err;
  const code = errnoOf(err);
  if (code === undefined || !CALLER_ERRNOS.has(code)) return err;
  return invalidInput(field, `cannot write ${what} (${code})`);
}

/**
 * Makes `dir` and any missing parents, one level at a time; returns the folders it created,
 * outermost first (empty when `dir` already existed). A file in the way, or a place refusing new
 * entries, is INVALID_INPUT naming `field`.
 */
export function ensureDir(dir: string, field: string): string[] {
  const target = resolve(dir);
  const missing: string[] = [];
  let p = target;
  for (;;) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw callerWriteError(err, field, p);
    }
    if (isDir === true) break;
    if (isDir === false) throw invalidInput(field, `${p} is a file, not a folder`);
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  const created: string[] = [];
  try {
    for (const d of missing.reverse()) {
      try {
        mkdirSync(d);
        created.push(d);
      } catch (err) {
        // A racing process made it first: fine if it is a folder now.
        if (errnoOf(err) !== 'EEXIST' || !lstatSync(d).isDirectory()) throw err;
      }
    }
  } catch (err) {
    removeCreated(created);
    throw callerWriteError(err, field, `the folder ${target}`);
  }
  return created;
}

/**
 * Removes folders `ensureDir` created, innermost first, each only if empty (a racing process may
 * have put its own files there since); never throws.
 */
export function removeCreated(dirs: readonly string[]): void {
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(d);
    } catch {
      // not empty, or gone: left as it is
    }
  }
}
