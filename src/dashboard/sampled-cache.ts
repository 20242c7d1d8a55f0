/**
 * Chart data from the sampled history (src/history/sampled.ts), cached by run, history length and
 * sampling: a finished run's charts are read once; a running run's are read again only when rows
 * arrived. Each key's points are packed into columns (bucket, last step, last value, min, max),
 * min/max left out when every bucket is one row. Bounded by a total point budget, least recently
 * used first out.
 */
import type { RunRecord, Store } from '../store/index.js';
import { sampleHistory } from '../history/sampled.js';

/** One key's points of one run, as columns. */
export interface KeyColumns {
  /** Bucket index: points of two keys with one index cover the same rows (any key can be the x axis). */
  b: number[];
  /** Last step of the bucket. */
  s: number[];
  /** Last value in the bucket (NaN and infinities kept). */
  l: number[];
  /** Min and max of the bucket's finite values (absent when every bucket is one row). */
  lo?: number[];
  hi?: number[];
}

export interface RunSampled {
  rows: number;
  bucketRows: number;
  keys: Record<string, KeyColumns>;
}

export interface SampledCache {
  /**
   * The run's sampled keys, from cache where the run has not grown since. On a miss, `alsoKeys`
   * (the run's other metrics) are read in the same call: one read serves the next charts too.
   */
  get(run: RunRecord, keys: readonly string[], samples: number, alsoKeys?: readonly string[]): RunSampled;
}

interface Entry {
  rows: number;
  bucketRows: number;
  keys: Map<string, KeyColumns>;
  points: number;
}

function columns(points: ReturnType<typeof sampleHistory>['series'][string], bands: boolean): KeyColumns {
  const c: KeyColumns = { b: [], s: [], l: [] };
  if (bands) {
    c.lo = [];
    c.hi = [];
  }
  for (const p of points) {
    c.b.push(p.bucket);
    c.s.push(p.lastStep);
    c.l.push(p.last);
    if (bands) {
      c.lo?.push(p.min);
      c.hi?.push(p.max);
    }
  }
  return c;
}

export function createSampledCache(store: Store, maxPoints = 4_000_000): SampledCache {
  const cache = new Map<string, Entry>();
  let total = 0;
  const drop = (id: string): void => {
    const e = cache.get(id);
    if (e === undefined) return;
    total -= e.points;
    cache.delete(id);
  };
  return {
    get(run, keys, samples, alsoKeys = []) {
      const id = `${run.key}:${samples}`;
      let e = cache.get(id);
      if (e !== undefined && e.rows !== run.historyCount) {
        drop(id);
        e = undefined;
      }
      if (e === undefined) e = { rows: run.historyCount, bucketRows: 1, keys: new Map(), points: 0 };
      cache.delete(id);
      cache.set(id, e); // re-insert: Map order is the LRU order
      let missing = keys.filter((k) => !e.keys.has(k));
      if (missing.length > 0) {
        missing = [...new Set([...missing, ...alsoKeys.filter((k) => !e.keys.has(k))])].slice(0, Math.max(missing.length, 40));
        const got = sampleHistory(store, run.key, { keys: missing, samples });
        e.bucketRows = got.bucketRows;
        for (const k of missing) {
          const col = columns(got.series[k] ?? [], got.bucketRows > 1);
          e.keys.set(k, col);
          e.points += col.b.length;
          total += col.b.length;
        }
      }
      for (const other of cache.keys()) {
        if (total <= maxPoints || other === id) break;
        drop(other);
      }
      const out: Record<string, KeyColumns> = {};
      for (const k of keys) out[k] = e.keys.get(k) as KeyColumns;
      return { rows: e.rows, bucketRows: e.bucketRows, keys: out };
    },
  };
}
