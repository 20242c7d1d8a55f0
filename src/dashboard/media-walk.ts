/**
 * The media descriptors (W&B's `_type` values) of history rows, as the run page lists them: nested
 * keys dotted, list descriptors opened into their items, a histogram key keeping up to
 * MAX_HISTOGRAM_STEPS of its steps (the page draws them over steps).
 */
import { parseExtended } from '../json/extended-json.js';
import { listItemDescriptors } from '../media/lists.js';

/** Most histogram steps kept per key: past it every other one goes, so those kept span the run. */
const MAX_HISTOGRAM_STEPS = 128;

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
    // Past MAX_HISTOGRAM_STEPS of one key every other one goes, so those kept span the run.
    const same = into.filter((m) => m.key === key && m.type === 'histogram');
    if (same.length >= MAX_HISTOGRAM_STEPS) {
      const drop = new Set(same.filter((_, i) => i % 2 === 1));
      let w = 0;
      for (const m of into) if (!drop.has(m)) into[w++] = m;
      into.length = w;
    }
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
