/** The types of the sampled-history contract (see sampled.ts). */
import type { Acc } from './accumulator.js';

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
  /** Finite values among them. */
  finite?: number;
  /** Steps of the first rows holding the min and the max (NaN when there is no finite value). */
  minStep?: number;
  maxStep?: number;
  /** The last finite value and its step (NaN when there is none). */
  lastFinite?: number;
  lastFiniteStep?: number;
}

export interface SampledHistory {
  /** Rows in the requested step range. */
  rows: number;
  /** Rows per bucket (a power of two; the first and last bucket may hold fewer); 1 means every row is its own point. */
  bucketRows: number;
  series: Record<string, SampledPoint[]>;
}

/** A closed bucket as the contract's point. */
export function toPoint(bucket: number, a: Acc): SampledPoint {
  return {
    bucket,
    firstStep: a.firstStep,
    lastStep: a.lastStep,
    last: a.last,
    min: a.min,
    max: a.max,
    mean: a.finite > 0 ? a.sum / a.finite : NaN,
    count: a.count,
    finite: a.finite,
    minStep: a.minStep,
    maxStep: a.maxStep,
    lastFinite: a.lastFinite,
    lastFiniteStep: a.lastFiniteStep,
  };
}

export function emptySample(keys: readonly string[]): SampledHistory {
  return { rows: 0, bucketRows: 1, series: Object.fromEntries(keys.map((k) => [k, []])) };
}
