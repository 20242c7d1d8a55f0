/**
 * Sampled history: a run's history cut into row buckets, with per-key extremes, for charts,
 * reports and queries that do not need every row.
 *
 * The contract (callers: reports, the dashboard, the `query` action): the rows of a run in the
 * requested step range are cut into at most `samples` buckets of consecutive rows; for each
 * requested key and each bucket holding a value of that key, one point says where the bucket starts
 * and ends, the last value in it, and the min, max, mean and count of its numeric values. So every
 * spike stays visible (min/max per bucket), the first and the last point of the run are always
 * there, and points of different keys with the same `bucket` cover the same rows (a chart can put
 * `_runtime` or any other metric on the x axis by bucket).
 *
 * The cut: buckets are aligned runs of `bucketRows` seqs (line numbers), `bucketRows` the smallest
 * power of two for which the range's rows fall into at most `samples` of them; bucket 0 holds the
 * range's first row (so the first and the last bucket may hold fewer rows). Aligned power-of-two
 * buckets are what lets the stored tiers (64, 256, 1,024, ... 65,536 rows) answer without reading rows;
 * between `samples / 2` and `samples` buckets come back. A row's step is the history's `step`
 * column (its `_step`). The mean is the bucket's sum over its finite values divided by their
 * count, summed along the tier tree (accumulator.ts), so the stored form and the scan agree to the
 * bit. Keys are top-level keys or dotted paths through nested objects (not into arrays).
 *
 * `sampleHistory` reads the stored form (read.ts, kept by fold.ts as rows are logged);
 * `sampleHistoryByScan` is the full scan it must equal, kept as the oracle for tests.
 */
import { parseExtended } from '../json/extended-json.js';
import type { Store } from '../store/index.js';
import { bucketRowsFor, createCombiner, valueAt } from './accumulator.js';
import { sampleStored } from './read.js';
import { emptySample, toPoint, type SampledHistory, type SampledPoint, type SampleOptions } from './types.js';

export { valueAt } from './accumulator.js';
export type { SampledHistory, SampledPoint, SampleOptions } from './types.js';

const CHUNK = 20_000;

interface ScannedRow {
  seq: number;
  step: number;
  row: Record<string, unknown>;
}

/** The rows of `runKey` in the step range, parsed, with their seqs and steps (the reference scan). */
function scanRows(store: Store, runKey: number, o: SampleOptions): ScannedRow[] {
  const e = store.history.extent(runKey);
  const out: ScannedRow[] = [];
  if (e === undefined) return out;
  for (let from = e.lo; from <= e.hi; from += CHUNK) {
    for (const { seq, step, line } of store.history.lines(runKey, from, CHUNK)) {
      if (o.minStep !== undefined && step < o.minStep) continue;
      if (o.maxStep !== undefined && step > o.maxStep) continue;
      out.push({ seq, step, row: parseExtended(line) as Record<string, unknown> });
    }
  }
  return out;
}

/** Samples a run's history by a full scan (exact; the oracle `sampleHistory` must equal). */
export function sampleHistoryByScan(store: Store, runKey: number, options: SampleOptions): SampledHistory {
  const rows = scanRows(store, runKey, options);
  const first = rows[0];
  const lastRow = rows[rows.length - 1];
  if (first === undefined || lastRow === undefined) return emptySample(options.keys);
  const bucketRows = bucketRowsFor(first.seq, lastRow.seq, Math.max(1, Math.floor(options.samples)));
  const base = Math.floor(first.seq / bucketRows);
  const series: Record<string, SampledPoint[]> = {};
  for (const key of options.keys) {
    const points: SampledPoint[] = [];
    const c = createCombiner(bucketRows, (b) => points.push(toPoint(b.node - base, b.acc)));
    for (const { seq, step, row } of rows) {
      const v = valueAt(row, key);
      if (typeof v === 'number') c.pushValue(seq, step, v);
    }
    c.finish();
    series[key] = points;
  }
  return { rows: rows.length, bucketRows, series };
}

/**
 * Samples a run's history from its stored buckets plus the short tail not yet folded (catching the
 * buckets up first when they are far behind); equal to `sampleHistoryByScan`. A step range over a
 * history whose steps ever went down falls back to the scan.
 */
export function sampleHistory(store: Store, runKey: number, options: SampleOptions): SampledHistory {
  return sampleStored(store, runKey, options) ?? sampleHistoryByScan(store, runKey, options);
}
