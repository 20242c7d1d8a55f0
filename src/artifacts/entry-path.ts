/** The one check for an artifact entry path: relative, `/`-separated, no way out of its directory. */
import { isAbsolute, join, relative, sep } from 'node:path';
import { invalidInput } from '../errors.js';

/** Throws INVALID_INPUT (at `issue`) unless `path` is a safe relative entry path. */
export function assertEntryPath(path: string, issue: string): void {
  if (path.length === 0) throw invalidInput(issue, 'an artifact entry path must not be empty');
  if (/[\\\0]/.test(path)) throw invalidInput(issue, `entry path "${path}" must not contain a backslash or NUL`);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw invalidInput(issue, `entry path "${path}" must be relative`);
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') {
      throw invalidInput(issue, `entry path "${path}" has an empty, "." or ".." segment`);
    }
  }
}

/** True when `target` is `root` or below it (both absolute, already resolved). */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** `root` joined with a checked entry path; throws INVALID_INPUT if the result leaves `root`. */
export function joinInside(root: string, entryPath: string, issue: string): string {
  assertEntryPath(entryPath, issue);
  const abs = join(root, ...entryPath.split('/'));
  if (!isInside(root, abs)) throw invalidInput(issue, `entry path "${entryPath}" leaves the target directory`);
  return abs;
}
