/**
 * The fast read of sampled history: the requested seq range is cut into the largest complete stored
 * buckets that fit inside one requested bucket (tiers no larger than `bucketRows`), plus rows read
 * raw where no stored bucket fits (a range edge not on a 64-row boundary, and the tail after the
 * mark). Stored buckets and raw rows go through the same combiner as the full scan, so the answer
 * is the scan's, bit for bit; for a 1M-row run and 1,000 samples that is about 1,000 stored buckets
 * per key and at most a few hundred raw rows.
 */
import { parseExtended } from '../json/extended-json.js';
import type { BucketMark, Store } from '../store/index.js';
import { bucketRowsFor, createCombiner, TIER_SIZES, valueAt } from './accumulator.js';
import { catchUp } from './fold.js';
import { emptySample, toPoint, type SampledHistory, type SampledPoint, type SampleOptions } from './types.js';

/** A reader catches the buckets up first when more rows than this are not folded yet. */
const REPAIR_ABOVE = 2048;
const T0 = TIER_SIZES[0] as number;

type Piece = { tier: number; from: number; to: number } | { tier: -1; from: number; to: number };

/** Stored-bucket runs (tier, bucket indices [from, to)) and raw-row runs (seqs [from, to)) covering [a, b], in seq order. */
function cover(a: number, b: number, folded: number, bucketRows: number): Piece[] {
  const pieces: Piece[] = [];
  const add = (tier: number, from: number, to: number): void => {
    const prev = pieces[pieces.length - 1];
    if (prev !== undefined && prev.tier === tier && prev.to === from) prev.to = to;
    else pieces.push({ tier, from, to });
  };
  const tiers = TIER_SIZES.map((size, tier) => ({ size, tier }))
    .filter((t) => t.size <= bucketRows)
    .reverse();
  const storedEnd = Math.min(b, folded - 1);
  let x = a;
  while (x <= storedEnd) {
    const t = tiers.find(({ size }) => x % size === 0 && x + size - 1 <= storedEnd);
    if (t !== undefined) {
      add(t.tier, x / t.size, x / t.size + 1);
      x += t.size;
    } else {
      const next = Math.min(storedEnd + 1, (Math.floor(x / T0) + 1) * T0);
      add(-1, x, next);
      x = next;
    }
  }
  if (x <= b) add(-1, x, b + 1);
  return pieces;
}

/** First seq in [lo, hi + 1) whose step satisfies `past` (steps ascending), by index seeks. */
function searchSeq(store: Store, runKey: number, lo: number, hi: number, past: (step: number) => boolean): number {
  let l = lo;
  let h = hi + 1;
  while (l < h) {
    const mid = Math.floor((l + h) / 2);
    if (past(store.historyBuckets.stepAt(runKey, mid) ?? Infinity)) h = mid;
    else l = mid + 1;
  }
  return l;
}

/** Whether steps never go down over the whole history (needed to turn a step range into a seq range). */
function stepsSorted(store: Store, runKey: number, mark: BucketMark, end: number): boolean {
  if (!mark.sorted) return false;
  let prev = mark.lastStep;
  for (const s of store.historyBuckets.steps(runKey, mark.folded, end)) {
    if (s < prev) return false;
    prev = s;
  }
  return true;
}

interface RawRow {
  seq: number;
  step: number;
  row: Record<string, unknown>;
}

function readRows(store: Store, runKey: number, from: number, to: number): RawRow[] {
  return store.history.lines(runKey, from, to - from).map(({ seq, step, line }) => ({ seq, step, row: parseExtended(line) as Record<string, unknown> }));
}

/**
 * Samples from the stored buckets; undefined when only the scan can answer (a step range over a
 * history whose steps went down somewhere).
 */
export function sampleStored(store: Store, runKey: number, o: SampleOptions): SampledHistory | undefined {
  const e = store.history.extent(runKey);
  if (e === undefined) return emptySample(o.keys);
  const end = e.hi + 1;
  let mark = store.historyBuckets.mark(runKey) ?? { folded: 0, lastStep: NaN, sorted: true };
  if (end - mark.folded > REPAIR_ABOVE) mark = catchUp(store, runKey, end);
  let a = e.lo;
  let b = e.hi;
  if (o.minStep !== undefined || o.maxStep !== undefined) {
    if (!stepsSorted(store, runKey, mark, end)) return undefined;
    const { minStep, maxStep } = o;
    if (minStep !== undefined) a = searchSeq(store, runKey, e.lo, e.hi, (s) => s >= minStep);
    if (maxStep !== undefined) b = searchSeq(store, runKey, e.lo, e.hi, (s) => s > maxStep) - 1;
    if (a > b) return emptySample(o.keys);
  }
  const bucketRows = bucketRowsFor(a, b, Math.max(1, Math.floor(o.samples)));
  const base = Math.floor(a / bucketRows);
  const pieces = cover(a, b, mark.folded, bucketRows);
  const raw = new Map<Piece, RawRow[]>();
  for (const p of pieces) if (p.tier === -1) raw.set(p, readRows(store, runKey, p.from, p.to));
  const series: Record<string, SampledPoint[]> = {};
  for (const key of o.keys) {
    const points: SampledPoint[] = [];
    const c = createCombiner(bucketRows, (cb) => points.push(toPoint(cb.node - base, cb.acc)));
    for (const p of pieces) {
      if (p.tier === -1) {
        for (const { seq, step, row } of raw.get(p) ?? []) {
          const v = valueAt(row, key);
          if (typeof v === 'number') c.pushValue(seq, step, v);
        }
        continue;
      }
      const size = TIER_SIZES[p.tier] as number;
      for (const acc of store.historyBuckets.range(runKey, p.tier, key, p.from, p.to)) c.push(size, acc.bucket * size, acc);
    }
    c.finish();
    series[key] = points;
  }
  return { rows: b - a + 1, bucketRows, series };
}
