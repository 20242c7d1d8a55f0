/**
 * Serving files the user logged (media) and reports written into the store's folder. A file is
 * served only when its real path (symlinks resolved) lies inside the allowed root; URL segments
 * that are empty, `.`, `..`, or hold a slash, backslash or NUL after decoding are refused first.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { isAbsolute, join, sep } from 'node:path';
import { baseHeaders, FILE_CSP, HttpError } from './http.js';
import { IMAGE_MEDIA_TYPES } from '../media/mime.js';

/** Types shown in the page; anything else (SVG included: it can carry script) is a download. */
const TYPES: Record<string, string> = {
  ...IMAGE_MEDIA_TYPES,
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  mp4: 'video/mp4',
  webm: 'video/webm',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  md: 'text/plain; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** Checks already-decoded URL segments of a relative path; throws 403 on anything that could climb. */
export function safeSegments(segments: readonly string[]): string[] {
  if (segments.length === 0) throw new HttpError(404, 'NOT_FOUND', 'no file named');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s) || isAbsolute(s)) {
      throw new HttpError(403, 'FORBIDDEN', 'the path leaves the run folder');
    }
  }
  return [...segments];
}

/** The real path of `rel` under `root`, or an HttpError: 404 when missing, 403 when it resolves outside. */
export function resolveInsideRoot(root: string, rel: readonly string[]): string {
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(join(root, ...safeSegments(rel)));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(404, 'NOT_FOUND', 'no such file');
  }
  if (!real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) throw new HttpError(403, 'FORBIDDEN', 'the file is outside the run folder');
  return real;
}

/** Streams a regular file with a type from its extension and a sandboxing CSP. */
export function sendFile(res: ServerResponse, path: string, method: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new HttpError(404, 'NOT_FOUND', 'no such file');
  }
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  baseHeaders(res, FILE_CSP);
  res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
  res.setHeader('Content-Length', String(size));
  res.setHeader('Cache-Control', 'private, max-age=60');
  if (!Object.hasOwn(TYPES, ext)) res.setHeader('Content-Disposition', 'attachment');
  res.statusCode = 200;
  if (method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** The real path of an absolute file path recorded in the store, when it lies inside `root`. */
export function recordedFileInside(root: string, abs: string): string {
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(abs);
  } catch {
    throw new HttpError(404, 'NOT_FOUND', 'the file is no longer there');
  }
  if (!isAbsolute(abs) || !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    throw new HttpError(403, 'FORBIDDEN', 'the file is outside the store folder; open it from disk');
  }
  return real;
}
