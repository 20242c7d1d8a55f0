/**
 * W&B's media file naming: `media/<subdir>/<key>_<step>_<sha256[:20]>.<ext>`, where a `/` in the
 * key makes subdirectories. Keys that could leave the media directory are refused.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import { mediaInvalid } from './issues.js';

/** Splits a metric key into safe path segments, or throws INVALID_INPUT naming `issue`. */
export function keySegments(key: string, issue: string): string[] {
  if (key.length === 0) throw mediaInvalid(issue, 'a media key must not be empty');
  if (/[\\\0]/.test(key)) throw mediaInvalid(issue, 'a media key must not contain a backslash or NUL');
  const parts = key.split('/');
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..') {
      throw mediaInvalid(issue, `media key "${key}" has an empty, "." or ".." path segment`);
    }
  }
  return parts;
}

/** The run-relative path (with `/`) of a media file. */
export function mediaRelPath(subdir: string, segments: readonly string[], step: number | 'summary', sha256: string, ext: string): string {
  const dirs = segments.slice(0, -1);
  const leaf = segments[segments.length - 1] ?? '';
  return ['media', subdir, ...dirs, `${leaf}_${step}_${sha256.slice(0, 20)}.${ext}`].join('/');
}

/** Joins a run-relative path onto `filesDir`, refusing any result outside it. */
export function resolveInside(filesDir: string, relPath: string, issue: string): string {
  const abs = join(filesDir, ...relPath.split('/'));
  const rel = relative(filesDir, abs);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw mediaInvalid(issue, 'media key would write outside the run files directory');
  }
  return abs;
}
