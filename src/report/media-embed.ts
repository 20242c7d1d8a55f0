/**
 * The media and tables runs logged, made ready to show: images read into bytes (embedded as data:
 * URIs in HTML, copied beside Markdown), table files previewed, histograms kept for charts, the
 * rest listed. Only raster image types are embedded; an SVG image could carry script.
 */

import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { ReportMedia, ReportRun } from './types.js';
import { listItemDescriptors } from '../media/lists.js';
import { IMAGE_MEDIA_TYPES } from '../media/mime.js';

/** A media value after loading. */
export interface LoadedMedia {
  runId: string;
  key: string;
  step: number | undefined;
  type: string;
  path: string | undefined;
  caption: string | undefined;
  image?: { bytes: Uint8Array; mediaType: string; ext: string };
  table?: { columns: string[]; rows: unknown[][]; totalRows: number };
  histogram?: { values: number[]; bins: number[] };
  /** Why an image or table could not be shown inline. */
  note?: string;
}

function isDescriptor(v: unknown): v is Record<string, unknown> & { _type: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { _type?: unknown })._type === 'string';
}

function walk(value: Record<string, unknown>, prefix: string, step: number | undefined, out: ReportMedia[]): void {
  // for...in with an early exit for scalars: this runs over every history row, so it must be cheap.
  for (const k in value) {
    const v = value[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    if (prefix === '' && k.startsWith('_')) continue;
    if (isDescriptor(v)) {
      for (const d of listItemDescriptors(v) ?? [v]) {
        const m: ReportMedia = { key: prefix + k, type: d._type, descriptor: d };
        if (step !== undefined) m.step = step;
        if (typeof d['path'] === 'string') m.path = d['path'];
        if (typeof d['caption'] === 'string') m.caption = d['caption'];
        out.push(m);
      }
    } else walk(v as Record<string, unknown>, `${prefix}${k}.`, step, out);
  }
}

/**
 * The run's media: `run.media` when given, else every descriptor in history rows. Histograms are
 * logged every step, so only the last one per key is kept.
 */
export function collectMedia(run: ReportRun): ReportMedia[] {
  let all: ReportMedia[];
  if (run.media) all = run.media;
  else {
    all = [];
    const h = run.history;
    for (let i = 0; i < h.length; i++) {
      const row = h[i] as Record<string, unknown>;
      walk(row, '', typeof row._step === 'number' ? row._step : i, all);
    }
  }
  const lastHistogram = new Map<string, ReportMedia>();
  const rest: ReportMedia[] = [];
  for (const m of all) {
    if (m.type === 'histogram') lastHistogram.set(m.key, m);
    else rest.push(m);
  }
  return [...rest, ...lastHistogram.values()];
}

/** The file to read: `localPath`, else the descriptor path inside `filesDir` (never outside it). */
function resolvePath(run: ReportRun, m: ReportMedia): string | undefined {
  if (m.localPath !== undefined) return m.localPath;
  if (run.filesDir === undefined || m.path === undefined || isAbsolute(m.path)) return undefined;
  const root = normalize(run.filesDir);
  const full = normalize(join(root, m.path));
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}

function readLimited(path: string, maxBytes: number): Uint8Array | string {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) return `larger than ${maxBytes} bytes`;
    return readFileSync(path);
  } catch {
    return 'file not readable';
  }
}

/** A table file's `{columns, data}`, or why it could not be read (undefined: no readable path). */
export function readTableFile(run: ReportRun, m: ReportMedia): { columns: string[]; data: unknown[][] } | string | undefined {
  const file = resolvePath(run, m);
  if (file === undefined) return undefined;
  const raw = readLimited(file, 50 * 1024 * 1024);
  if (typeof raw === 'string') return raw;
  try {
    const parsed = JSON.parse(Buffer.from(raw).toString('utf8')) as { columns?: unknown; data?: unknown };
    if (Array.isArray(parsed.columns) && Array.isArray(parsed.data)) return { columns: parsed.columns.map(String), data: parsed.data as unknown[][] };
    return 'not a W&B table file';
  } catch {
    return 'not valid JSON';
  }
}

function numbers(v: unknown): number[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
}

/** Loads what can be shown inline for one run's media. */
export function loadMedia(run: ReportRun, media: readonly ReportMedia[], limits: { maxImageBytes: number; maxTableRows: number }): LoadedMedia[] {
  return media.map((m) => {
    const out: LoadedMedia = { runId: run.runId, key: m.key, step: m.step, type: m.type, path: m.path ?? m.localPath, caption: m.caption };
    if (m.type === 'histogram') {
      const values = numbers(m.descriptor?.values);
      const bins = numbers(m.descriptor?.bins);
      if (values && bins && bins.length === values.length + 1) out.histogram = { values, bins };
      return out;
    }
    if (m.type === 'table-file' || m.type === 'table') {
      let table = m.table;
      if (!table && Array.isArray(m.descriptor?.columns) && Array.isArray(m.descriptor?.data)) {
        table = { columns: m.descriptor.columns as string[], data: m.descriptor.data as unknown[][] };
      }
      if (!table) {
        const read = readTableFile(run, m);
        if (typeof read === 'string') out.note = read;
        else table = read;
      }
      if (table) out.table = { columns: table.columns.map(String), rows: table.data.slice(0, limits.maxTableRows), totalRows: table.data.length };
      return out;
    }
    if (m.type === 'image-file' || m.type === 'image') {
      const file = resolvePath(run, m);
      const fmt = typeof m.descriptor?.format === 'string' ? m.descriptor.format : undefined;
      const ext = (fmt ?? file?.split('.').pop() ?? '').toLowerCase();
      const mediaType = IMAGE_MEDIA_TYPES[ext];
      if (file === undefined) out.note = 'no readable path';
      else if (mediaType === undefined) out.note = `not embedded (${ext || 'unknown'} format)`;
      else {
        const raw = readLimited(file, limits.maxImageBytes);
        if (typeof raw === 'string') out.note = raw;
        else out.image = { bytes: raw, mediaType, ext: ext === 'jpeg' ? 'jpg' : ext };
      }
    }
    return out;
  });
}
