/**
 * The arithmetic of sampled history, shared by the full scan and the stored form so both give the
 * same numbers bit for bit: one accumulator per key and bucket, values added in row order, buckets
 * merged in seq order. Min, max, counts, first and last do not depend on how rows are grouped; a
 * floating-point sum does, so the sum of a bucket is defined by the tier tree (see `createCombiner`):
 * a 64-row node sums its rows in order, a 256-row node sums its 64-row nodes' sums in order, and
 * so on up to the requested bucket. The stored form keeps exactly those node sums.
 */
import type { StoredBucket } from '../store/index.js';

/**
 * Rows per stored bucket at each tier: a bucket of tier t covers seq [b * size, (b + 1) * size).
 * Spaced by 4, so a requested bucket (a power of two) is one or two stored buckets of the largest
 * tier that fits: a read costs about `samples` stored rows per key, whatever the run's length.
 */
export const TIER_SIZES: readonly number[] = [64, 256, 1024, 4096, 16384, 65536];
/** Children of a tier-t bucket in tier t - 1. */
export const TIER_FANOUT = 4;

/** A bucket's summary of one key (the stored bucket's fields). NaN where there is no value. */
export type Acc = StoredBucket;

export function emptyAcc(bucket = 0): Acc {
  return {
    bucket,
    count: 0,
    finite: 0,
    min: NaN,
    max: NaN,
    minStep: NaN,
    maxStep: NaN,
    sum: 0,
    firstStep: NaN,
    lastStep: NaN,
    last: NaN,
    lastFinite: NaN,
    lastFiniteStep: NaN,
  };
}

/** Adds one row's value (rows in seq order). -0 counts as 0 (a history line cannot tell them apart). */
export function addValue(a: Acc, step: number, value: number): void {
  const v = value === 0 ? 0 : value;
  if (a.count === 0) a.firstStep = step;
  a.count += 1;
  a.lastStep = step;
  a.last = v;
  if (!Number.isFinite(v)) return;
  if (a.finite === 0 || v < a.min) {
    a.min = v;
    a.minStep = step;
  }
  if (a.finite === 0 || v > a.max) {
    a.max = v;
    a.maxStep = step;
  }
  a.sum += v;
  a.finite += 1;
  a.lastFinite = v;
  a.lastFiniteStep = step;
}

/** Merges `b` (the rows after `a`'s) into `a`. */
export function mergeAcc(a: Acc, b: Acc): void {
  if (b.count === 0) return;
  if (a.count === 0) a.firstStep = b.firstStep;
  a.count += b.count;
  a.lastStep = b.lastStep;
  a.last = b.last;
  if (b.finite === 0) return;
  if (a.finite === 0 || b.min < a.min) {
    a.min = b.min;
    a.minStep = b.minStep;
  }
  if (a.finite === 0 || b.max > a.max) {
    a.max = b.max;
    a.maxStep = b.maxStep;
  }
  a.sum += b.sum;
  a.finite += b.finite;
  a.lastFinite = b.lastFinite;
  a.lastFiniteStep = b.lastFiniteStep;
}

/** Reads a value at a top-level key or, failing that, a dotted path through nested objects (not arrays). */
export function valueAt(row: Record<string, unknown>, key: string): unknown {
  if (key in row) return row[key];
  let v: unknown = row;
  for (const part of key.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * Calls `fn` for every key `valueAt` reads a number at in `row`: top-level numbers, and dotted paths
 * through nested objects whose parts hold no dot and whose joined name is not a top-level key.
 */
export function forEachNumber(row: Record<string, unknown>, fn: (key: string, value: number) => void): void {
  for (const k in row) {
    const v = row[k];
    if (typeof v === 'number') fn(k, v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && !k.includes('.')) nested(row, v as Record<string, unknown>, k, fn, 1);
  }
}

function nested(root: Record<string, unknown>, obj: Record<string, unknown>, prefix: string, fn: (key: string, value: number) => void, depth: number): void {
  if (depth > 64) return;
  for (const k in obj) {
    if (k.includes('.') || k === '') continue;
    const v = obj[k];
    const name = `${prefix}.${k}`;
    if (typeof v === 'number') {
      if (!(name in root)) fn(name, v);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) nested(root, v as Record<string, unknown>, name, fn, depth + 1);
  }
}

/** A closed bucket of one key, as `createCombiner` hands it out. */
export interface ClosedBucket {
  /** floor(seq / bucketRows) of the bucket's rows. */
  node: number;
  acc: Acc;
}

/**
 * Cuts one key's values into buckets of `bucketRows` aligned rows, summing through the tier tree:
 * levels are the tier sizes below `bucketRows`, then the bucket. `push(size, seq, acc)` adds a value
 * already summarised over an aligned node of `size` rows starting at `seq` (size 1: one row), in seq
 * order; nodes of the same size always cover the same rows, so stored nodes and rows read raw
 * combine to exactly what rows alone would give.
 */
export function createCombiner(bucketRows: number, onBucket: (b: ClosedBucket) => void) {
  const sizes = [...TIER_SIZES.filter((s) => s < bucketRows), bucketRows];
  const top = sizes.length - 1;
  const accs = sizes.map(() => emptyAcc());
  const nodes: number[] = sizes.map(() => -1);
  const close = (k: number): void => {
    const acc = accs[k] as Acc;
    if (k < top) mergeAcc(accs[k + 1] as Acc, acc);
    else if (acc.count > 0) onBucket({ node: nodes[k] as number, acc });
    accs[k] = emptyAcc();
    nodes[k] = -1;
  };
  return {
    push(size: number, seq: number, acc: Acc): void {
      let level = 0;
      while (level < top && (sizes[level] as number) <= size) level++;
      for (let k = 0; k <= top; k++) {
        const node = Math.floor(seq / (sizes[k] as number));
        if (nodes[k] !== -1 && nodes[k] !== node) close(k);
        if (k >= level) nodes[k] = node;
      }
      mergeAcc(accs[level] as Acc, acc);
    },
    /** Adds one row's value (a node of one row). */
    pushValue(seq: number, step: number, value: number): void {
      const a = emptyAcc();
      addValue(a, step, value);
      this.push(1, seq, a);
    },
    finish(): void {
      for (let k = 0; k <= top; k++) if (nodes[k] !== -1) close(k);
    },
  };
}

/**
 * Rows per bucket for rows with seq in [first, last]: the smallest power of two whose aligned
 * buckets over that span number at most `samples` (so buckets line up with the stored tiers).
 */
export function bucketRowsFor(first: number, last: number, samples: number): number {
  let p = 1;
  while (Math.floor(last / p) - Math.floor(first / p) + 1 > samples) p *= 2;
  return p;
}
