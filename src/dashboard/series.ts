/**
 * A run's history as chart series, read once and then incrementally: a running run's page polls,
 * and each poll reads only the rows committed since the last one. One pass over each row collects
 * every numeric leaf (dotted keys for nested metrics, as W&B flattens them) and every media
 * descriptor. Bounded by a total point budget; the least recently used runs are dropped first.
 */
import { parseExtended } from '../json/extended-json.js';
import type { RunRecord, Store } from '../store/index.js';
import { readSummary } from '../runs/lifecycle.js';
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

export interface RunSeries {
  /** History rows read so far. */
  seq: number;
  /** Metric name -> x (`_step`) and y values, in first-seen metric order. */
  metrics: Map<string, { xs: number[]; ys: number[] }>;
  media: MediaEntry[];
  points: number;
}

/** Most media entries kept per run (the newest win). */
const MAX_MEDIA = 500;
/** Most histogram steps kept per key: past it every other one goes, so those kept span the run. */
const MAX_HISTOGRAM_STEPS = 128;
const CHUNK = 20000;

function walk(s: RunSeries, row: Record<string, unknown>, prefix: string, x: number, depth: number): void {
  for (const k in row) {
    if (prefix === '' && k.charCodeAt(0) === 95 /* _ */) continue;
    const v = row[k];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) continue;
      const key = prefix === '' ? k : prefix + k;
      let m = s.metrics.get(key);
      if (!m) s.metrics.set(key, (m = { xs: [], ys: [] }));
      m.xs.push(x);
      m.ys.push(v);
      s.points++;
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 8) {
      const o = v as Record<string, unknown>;
      if (typeof o['_type'] === 'string') addMedia(s, prefix + k, x, o);
      else walk(s, o, `${prefix}${k}.`, x, depth + 1);
    }
  }
}

function addMedia(s: RunSeries, key: string, step: number, d: Record<string, unknown>): void {
  const items = listItemDescriptors(d);
  if (items !== undefined) {
    for (const item of items) addMedia(s, key, step, item);
    return;
  }
  const type = d['_type'] as string;
  if (type === 'histogram') {
    const same = s.media.filter((m) => m.key === key && m.type === 'histogram');
    if (same.length >= MAX_HISTOGRAM_STEPS) {
      const drop = new Set(same.filter((_, i) => i % 2 === 1));
      s.media = s.media.filter((m) => !drop.has(m));
    }
  }
  const e: MediaEntry = { key, step, type, descriptor: d };
  if (typeof d['path'] === 'string') e.path = d['path'];
  if (typeof d['caption'] === 'string') e.caption = d['caption'];
  s.media.push(e);
  if (s.media.length > MAX_MEDIA) s.media.shift();
}

/** Series from history row texts (used for a quick preview of a long run from a sample of rows). */
export function seriesOfLines(lines: readonly string[]): RunSeries {
  const s: RunSeries = { seq: 0, metrics: new Map(), media: [], points: 0 };
  for (const line of lines) {
    try {
      const row = parseExtended(line) as Record<string, unknown>;
      walk(s, row, '', typeof row['_step'] === 'number' ? row['_step'] : s.seq, 0);
    } catch {
      // an unreadable row is left out of the preview
    }
    s.seq++;
  }
  return s;
}

export interface SeriesCache {
  /** The run's series, brought up to its committed history. */
  get(run: RunRecord): RunSeries;
  /** The run's summary (readSummary), memoised per history length: polls do not refold the tail. */
  summary(run: RunRecord): Record<string, unknown>;
  /** True when `get` would answer without reading history. */
  isCurrent(run: RunRecord): boolean;
}

export function createSeriesCache(store: Store, maxPoints = 8_000_000): SeriesCache {
  const cache = new Map<number, RunSeries>();
  const summaries = new Map<number, { count: number; value: Record<string, unknown> }>();
  // Only the row text, plucked: three times faster than row objects for a 100,000-row run.
  const history = store.history;
  const evict = (keep: number): void => {
    let total = 0;
    for (const s of cache.values()) total += s.points;
    for (const [key, s] of cache) {
      if (total <= maxPoints) break;
      if (key === keep) continue;
      cache.delete(key);
      total -= s.points;
    }
  };
  return {
    isCurrent: (run) => cache.get(run.key)?.seq === run.historyCount,
    summary(run) {
      const hit = summaries.get(run.key);
      if (hit && hit.count === run.historyCount) return hit.value;
      const value = readSummary(store, run).value;
      summaries.delete(run.key);
      summaries.set(run.key, { count: run.historyCount, value });
      if (summaries.size > 256) summaries.delete(summaries.keys().next().value as number);
      return value;
    },
    get(run) {
      let s = cache.get(run.key);
      // History only grows; a shorter one means the store was replaced: start over.
      if (!s || s.seq > run.historyCount) s = { seq: 0, metrics: new Map(), media: [], points: 0 };
      cache.delete(run.key);
      cache.set(run.key, s); // re-insert: Map order is the LRU order
      while (s.seq < run.historyCount) {
        const chunk = history.textRange(run.key, s.seq, s.seq + Math.min(CHUNK, run.historyCount - s.seq));
        if (chunk.length === 0) break;
        for (let i = 0; i < chunk.length; i++) {
          let row: Record<string, unknown>;
          try {
            row = parseExtended(chunk[i] as string) as Record<string, unknown>;
          } catch {
            continue;
          }
          const step = row['_step'];
          walk(s, row, '', typeof step === 'number' ? step : s.seq + i, 0);
        }
        s.seq += chunk.length;
      }
      evict(run.key);
      return s;
    },
  };
}
