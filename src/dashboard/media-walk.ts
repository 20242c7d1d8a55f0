/**
 * The media descriptors (W&B's `_type` values) of history rows, as the run page lists them: nested
 * keys dotted, list descriptors opened into their items, a histogram key keeping only its last.
 */
import { parseExtended } from '../json/extended-json.js';
import { listItemDescriptors } from '../media/lists.js';

/** A media value found in history (W&B descriptor), with where it was logged. */
export interface MediaEntry {
  key: string;
  step: number;
  type: string;
  path?: string;
  caption?: string;
  descriptor: Record<string, unknown>;
}

function addMedia(into: MediaEntry[], key: string, step: number, d: Record<string, unknown>, max: number): void {
  const items = listItemDescriptors(d);
  if (items !== undefined) {
    for (const item of items) addMedia(into, key, step, item, max);
    return;
  }
  const type = d['_type'] as string;
  if (type === 'histogram') {
    const i = into.findIndex((m) => m.key === key && m.type === 'histogram');
    if (i >= 0) into.splice(i, 1);
  }
  const e: MediaEntry = { key, step, type, descriptor: d };
  if (typeof d['path'] === 'string') e.path = d['path'];
  if (typeof d['caption'] === 'string') e.caption = d['caption'];
  into.push(e);
  if (into.length > max) into.shift();
}

function walk(into: MediaEntry[], row: Record<string, unknown>, prefix: string, step: number, depth: number, max: number): void {
  for (const k in row) {
    if (prefix === '' && k.charCodeAt(0) === 95 /* _ */) continue;
    const v = row[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v) || depth >= 8) continue;
    const o = v as Record<string, unknown>;
    if (typeof o['_type'] === 'string') addMedia(into, prefix + k, step, o, max);
    else walk(into, o, `${prefix}${k}.`, step, depth + 1, max);
  }
}

/** Adds the media of one history line (in log order) to `into`, keeping the newest `max`. */
export function mediaOfRow(into: MediaEntry[], line: string, max: number): void {
  let row: Record<string, unknown>;
  try {
    row = parseExtended(line) as Record<string, unknown>;
  } catch {
    return; // an unreadable row holds no media to show
  }
  const step = row['_step'];
  walk(into, row, '', typeof step === 'number' ? step : 0, 0, max);
}
