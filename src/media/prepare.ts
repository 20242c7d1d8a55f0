/**
 * One preparer per file-backed media kind: validate the input, read the header, and say which
 * descriptor fields (W&B's, in W&B's order) and which extra facts the file yields.
 */
import { readAudioInfo } from './audio-info.js';
import { type ByteReader, createBufferReader, withFileReader } from './byte-reader.js';
import { readImageInfo } from './image-info.js';
import { mediaInvalid, mediaTooLarge } from './issues.js';
import { resolveInputPath, resolveSource } from './source.js';
import { prepareTable } from './table.js';
import type { MediaContext, MediaSource, PreparedFile } from './types.js';
import { sniffVideo } from './video-header.js';

function readHeader<T>(source: MediaSource, fn: (r: ByteReader) => T): T {
  return source.kind === 'bytes' ? fn(createBufferReader(source.bytes)) : withFileReader(source.absPath, fn);
}

/** What the header libraries take: the path of a file, or the bytes of a `data` input. */
function pathOrBytes(source: MediaSource): string | Uint8Array {
  return source.kind === 'bytes' ? source.bytes : source.absPath;
}

function captionOf(input: Record<string, unknown>, issue: string): { caption?: string } {
  const c = input['caption'];
  if (c === undefined || c === null) return {};
  if (typeof c !== 'string' && typeof c !== 'number') throw mediaInvalid(`${issue}.caption`, 'must be a string');
  return { caption: String(c) };
}

function extOf(source: MediaSource): string {
  if (source.kind !== 'path') return '';
  const m = /\.([A-Za-z0-9]+)$/.exec(source.absPath);
  return (m?.[1] ?? '').toLowerCase();
}

export async function prepareImage(input: Record<string, unknown>, issue: string, ctx: MediaContext): Promise<PreparedFile> {
  const source = resolveSource(input, issue, ctx);
  const info = await readImageInfo(pathOrBytes(source));
  if (info === undefined) throw mediaInvalid(issue, 'image format not recognised (PNG, JPEG, GIF or BMP expected, with a complete header)');
  const asked = input['format'];
  if (asked !== undefined) {
    const a = typeof asked === 'string' ? asked.toLowerCase().replace(/^jpg$/, 'jpeg') : '';
    if (a !== info.format) throw mediaInvalid(`${issue}.format`, `says ${String(asked)} but the data is ${info.format}`);
  }
  // W&B names the format after the file extension; JPEG keeps "jpeg" only when the input said so.
  let format: string = info.format;
  if (format === 'jpeg') format = asked === 'jpeg' || extOf(source) === 'jpeg' ? 'jpeg' : 'jpg';
  return {
    kind: 'image',
    subdir: 'images',
    ext: format,
    source,
    fields: { format, width: info.width, height: info.height },
    meta: {},
    ...captionOf(input, issue),
  };
}

export async function prepareAudio(input: Record<string, unknown>, issue: string, ctx: MediaContext): Promise<PreparedFile> {
  const source = resolveSource(input, issue, ctx);
  const info = await readAudioInfo(pathOrBytes(source));
  if (info === undefined) {
    throw mediaInvalid(issue, 'audio format not recognised (WAV, MP3, FLAC or OGG expected, complete, and matching the file extension)');
  }
  const meta: Record<string, unknown> = { format: info.format, sampleRate: info.sampleRate, duration: info.duration };
  if (info.channels !== undefined) meta['channels'] = info.channels;
  return { kind: 'audio', subdir: 'audio', ext: info.format, source, fields: {}, meta, ...captionOf(input, issue) };
}

export function prepareVideo(input: Record<string, unknown>, issue: string, ctx: MediaContext): PreparedFile {
  const source = resolveSource(input, issue, ctx);
  const info = readHeader(source, sniffVideo);
  if (info === undefined) throw mediaInvalid(issue, 'video format not recognised (GIF, MP4, WEBM or OGG expected)');
  const fields: Record<string, unknown> = {};
  if (info.width !== undefined && info.height !== undefined) {
    fields['width'] = info.width;
    fields['height'] = info.height;
  }
  return { kind: 'video', subdir: 'videos', ext: info.format, source, fields, meta: { format: info.format }, ...captionOf(input, issue) };
}

/** HTML is stored as given (W&B's optional stylesheet injection is not applied). */
export function prepareHtml(input: Record<string, unknown>, issue: string, ctx: MediaContext): PreparedFile {
  const html = input['html'];
  const hasPath = input['path'] !== undefined;
  if ((html !== undefined) === hasPath) throw mediaInvalid(issue, 'give exactly one of "html" or "path"');
  let source: MediaSource;
  if (html !== undefined) {
    if (typeof html !== 'string') throw mediaInvalid(`${issue}.html`, 'must be a string');
    source = { kind: 'bytes', bytes: Buffer.from(html, 'utf8') };
    if (ctx.maxFileBytes !== undefined && source.bytes.length > ctx.maxFileBytes) {
      throw mediaTooLarge(`${issue}.html`, source.bytes.length, ctx.maxFileBytes);
    }
  } else {
    source = resolveInputPath(input['path'], `${issue}.path`, ctx);
  }
  return { kind: 'html', subdir: 'html', ext: 'html', source, fields: {}, meta: {}, ...captionOf(input, issue) };
}

export function prepareTableFile(input: Record<string, unknown>, issue: string, isMedia: (v: unknown) => boolean): { file: PreparedFile; warning?: string } {
  const t = prepareTable(input, issue, isMedia);
  const file: PreparedFile = {
    kind: 'table',
    subdir: 'table',
    ext: 'table.json',
    source: { kind: 'bytes', bytes: t.body },
    fields: { ncols: t.ncols, nrows: t.nrows, log_mode: 'IMMUTABLE' },
    meta: { rowsWritten: Math.min(t.nrows, 10_000) },
  };
  return t.cutFrom === undefined ? { file } : { file, warning: `${issue}: table cut to the first 10000 of ${t.cutFrom} rows, as W&B does` };
}
