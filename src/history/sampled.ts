/**
 * Sampled history: a run's history cut into row buckets, with per-key extremes, for charts,
 * reports and queries that do not need every row.
 *
 * The contract (callers: reports, the dashboard, the `query` action): the rows of a run in the
 * requested step range are cut into at most `samples` buckets of consecutive rows (by seq); for each
 * requested key and each bucket holding a value of that key, one point says where the bucket starts
 * and ends, the last value in it, and the min, max, mean and count of its numeric values. So every
 * spike stays visible (min/max per bucket), the first and the last point of the run are always
 * there, and points of different keys with the same `bucket` cover the same rows (a chart can put
 * `_runtime` or any other metric on the x axis by bucket).
 *
 * This file holds the reference implementation: a full scan. It is exact and the oracle the
 * faster, stored form must equal.
 */
import { parseExtended } from '../json/extended-json.js';
import type { Store } from '../store/index.js';

export interface SampleOptions {
  /** History keys to sample (top-level keys, or dotted paths into nested values). */
  keys: readonly string[];
  /** Buckets to cut the rows into, at most (>= 1). */
  samples: number;
  /** Only rows with `_step >= minStep` (inclusive). */
  minStep?: number;
  /** Only rows with `_step <= maxStep` (inclusive). */
  maxStep?: number;
}

export interface SampledPoint {
  /** The bucket's index: points of different keys with one index cover the same rows. */
  bucket: number;
  /** Steps of the first and the last row of the bucket holding this key. */
  firstStep: number;
  lastStep: number;
  /** The key's value in that last row (NaN and +-Infinity kept as such). */
  last: number;
  /** Extremes and mean over the bucket's finite values; NaN when it has none. */
  min: number;
  max: number;
  mean: number;
  /** Numeric values of the key in the bucket (finite or not). */
  count: number;
}

export interface SampledHistory {
  /** Rows in the requested step range. */
  rows: number;
  /** Rows per bucket (the last bucket may hold fewer); 1 means every row is its own point. */
  bucketRows: number;
  series: Record<string, SampledPoint[]>;
}

/** Reads a value at a top-level key or, failing that, a dotted path into nested objects. */
export function valueAt(row: Record<string, unknown>, key: string): unknown {
  if (key in row) return row[key];
  let v: unknown = row;
  for (const part of key.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

const CHUNK = 20_000;

/** The rows of `runKey` in the step range as parsed objects with their steps (the reference scan). */
function scanRows(store: Store, runKey: number, o: SampleOptions): Array<{ step: number; row: Record<string, unknown> }> {
  const e = store.history.extent(runKey);
  const out: Array<{ step: number; row: Record<string, unknown> }> = [];
  if (e === undefined) return out;
  for (let from = e.lo; from <= e.hi; from += CHUNK) {
    for (const line of store.history.textRange(runKey, from, from + CHUNK)) {
      const row = parseExtended(line) as Record<string, unknown>;
      const step = typeof row['_step'] === 'number' ? row['_step'] : out.length;
      if (o.minStep !== undefined && step < o.minStep) continue;
      if (o.maxStep !== undefined && step > o.maxStep) continue;
      out.push({ step, row });
    }
  }
  return out;
}

/** Samples a run's history by a full scan (exact; see the file's comment for the contract). */
export function sampleHistory(store: Store, runKey: number, options: SampleOptions): SampledHistory {
  const rows = scanRows(store, runKey, options);
  const samples = Math.max(1, Math.floor(options.samples));
  const bucketRows = Math.max(1, Math.ceil(rows.length / samples));
  const series: Record<string, SampledPoint[]> = {};
  for (const key of options.keys) {
    const points: SampledPoint[] = [];
    let cur: SampledPoint | undefined;
    let sum = 0;
    let finite = 0;
    const close = (): void => {
      if (cur === undefined) return;
      cur.mean = finite > 0 ? sum / finite : NaN;
      points.push(cur);
      cur = undefined;
    };
    rows.forEach(({ step, row }, i) => {
      const v = valueAt(row, key);
      if (typeof v !== 'number') return;
      const bucket = Math.floor(i / bucketRows);
      if (cur !== undefined && cur.bucket !== bucket) close();
      if (cur === undefined) {
        cur = { bucket, firstStep: step, lastStep: step, last: v, min: NaN, max: NaN, mean: NaN, count: 0 };
        sum = 0;
        finite = 0;
      }
      cur.lastStep = step;
      cur.last = v;
      cur.count += 1;
      if (Number.isFinite(v)) {
        cur.min = finite === 0 || v < cur.min ? v : cur.min;
        cur.max = finite === 0 || v > cur.max ? v : cur.max;
        sum += v;
        finite += 1;
      }
    });
    close();
    series[key] = points;
  }
  return { rows: rows.length, bucketRows, series };
}
