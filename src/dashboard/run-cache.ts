/**
 * What the dashboard has read of each run, in one cache owned by the server: the summary, the
 * sampled series of each key (from the downsampled history, src/history/sampled.ts), the metric
 * keys and the media. An entry holds for one run at one history length and last step; the first
 * read after the run logs again starts it over. Bounded in bytes (estimated from what it holds);
 * least recently used runs go first.
 *
 * Reads that may be long yield to the event loop: a run whose downsampled form is behind is caught
 * up in slices (catch-up.ts), and series are read one key at a time with a turn in between.
 */
import type { RunRecord, Store } from '../store/index.js';
import { sampleHistory, type SampledPoint } from '../history/sampled.js';
import { readSummary } from '../runs/lifecycle.js';
import { parseExtended } from '../json/extended-json.js';
import { catchUpYielding } from './catch-up.js';
import { mediaOfRow, type MediaEntry } from './media-walk.js';
import { setImmediate as tick } from 'node:timers/promises';

export type { MediaEntry } from './media-walk.js';

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

export interface RunCache {
  /** The run's summary (readSummary), as of its history length. */
  summary(run: RunRecord): Record<string, unknown>;
  /**
   * Sampled columns of `keys`, `samples` buckets at most, from cache where the run has not logged
   * since. On a miss, `also` (the run's other metrics) are read too, up to MAX_KEYS_PER_MISS keys.
   */
  sampled(run: RunRecord, keys: readonly string[], samples: number, also?: readonly string[]): Promise<RunSampled>;
  /** Keys with numeric history values (no `_` keys), in first-logged order, then the summary's others. */
  metrics(run: RunRecord): Promise<string[]>;
  /** The media the run logged (at most MAX_MEDIA, the newest; a histogram key keeps up to 128 of its steps). */
  media(run: RunRecord): Promise<MediaEntry[]>;
  /** Runs held and their estimated bytes (for tests and logs). */
  size(): { runs: number; bytes: number };
}

interface Sampling {
  rows: number;
  bucketRows: number;
  keys: Map<string, KeyColumns>;
}

interface Entry {
  historyCount: number;
  step: number;
  bytes: number;
  summary?: Record<string, unknown>;
  metrics?: string[];
  media?: MediaEntry[];
  sampled: Map<number, Sampling>;
}

/** Default byte budget of one server's cache. */
export const RUN_CACHE_BYTES = 64_000_000;

/** Keys read in one pass over the stored buckets, a turn of the event loop between passes (4 held a small request 215 ms on a loaded machine, 1 held it 39 ms). */
const KEYS_PER_READ = 1;
/** Keys read on one miss at most, the asked ones and the run's others. */
const MAX_KEYS_PER_MISS = 40;

function columns(points: readonly SampledPoint[], bands: boolean): KeyColumns {
  const c: KeyColumns = { b: [], s: [], l: [] };
  const lo: number[] = [];
  const hi: number[] = [];
  for (const p of points) {
    c.b.push(p.bucket);
    c.s.push(p.lastStep);
    c.l.push(p.last);
    if (!bands) continue;
    lo.push(p.min);
    hi.push(p.max);
  }
  if (bands) Object.assign(c, { lo, hi });
  return c;
}

/** Estimated bytes of a value held in the cache (numbers 8, strings 2 per char, plus a small overhead). */
function bytesOf(v: unknown): number {
  return 64 + 2 * JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? 0 : x)).length;
}

function columnBytes(c: KeyColumns): number {
  return 96 + 8 * (c.b.length * 3 + (c.lo?.length ?? 0) * 2);
}

function numericLeaves(obj: Record<string, unknown>, prefix: string, into: Set<string>, depth: number): void {
  for (const k in obj) {
    if (prefix === '' && k.startsWith('_')) continue;
    const v = obj[k];
    if (typeof v === 'number') into.add(prefix + k);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 4 && !('_type' in v))
      numericLeaves(v as Record<string, unknown>, `${prefix}${k}.`, into, depth + 1);
  }
}

/** The summary's numeric keys (dotted for nested ones, no `_` keys). */
export function summaryKeys(summary: Record<string, unknown>): string[] {
  const out = new Set<string>();
  numericLeaves(summary, '', out, 0);
  return [...out];
}

/** Most media entries kept per run (the newest win). */
export const MAX_MEDIA = 500;

export function createRunCache(store: Store, maxBytes = RUN_CACHE_BYTES): RunCache {
  const entries = new Map<number, Entry>();
  let total = 0;
  const drop = (key: number): void => {
    const e = entries.get(key);
    if (e === undefined) return;
    total -= e.bytes;
    entries.delete(key);
  };
  /** The run's entry for its current length and step (a new one when it logged since), marked most recent. */
  const entryOf = (run: RunRecord): Entry => {
    let e = entries.get(run.key);
    // A request that read the run before it grew gets an entry of its own, not kept: the newer one stays.
    if (e !== undefined && run.historyCount < e.historyCount) return { historyCount: run.historyCount, step: run.step, bytes: 0, sampled: new Map() };
    if (e !== undefined && (e.historyCount !== run.historyCount || e.step !== run.step)) {
      drop(run.key);
      e = undefined;
    }
    if (e === undefined) {
      e = { historyCount: run.historyCount, step: run.step, bytes: 0, sampled: new Map() };
      entries.set(run.key, e);
    } else {
      entries.delete(run.key);
      entries.set(run.key, e); // re-insert: Map order is the LRU order
    }
    return e;
  };
  /** The run's entry when it is for the run's length and step (not marked used). */
  const current = (run: RunRecord): Entry | undefined => {
    const e = entries.get(run.key);
    return e !== undefined && e.historyCount === run.historyCount && e.step === run.step ? e : undefined;
  };
  /** Counts `bytes` more for `e` (when it is still the run's entry) and evicts the oldest runs over budget. */
  const grow = (run: RunRecord, e: Entry, bytes: number): void => {
    if (entries.get(run.key) !== e) return;
    e.bytes += bytes;
    total += bytes;
    for (const key of entries.keys()) {
      if (total <= maxBytes) break;
      if (key !== run.key) drop(key);
    }
    if (total > maxBytes) drop(run.key); // one run larger than the whole budget is not kept
  };
  const fold = (run: RunRecord): Promise<number> => catchUpYielding(store, run.key, run.historyCount);
  const summary = (run: RunRecord): Record<string, unknown> => {
    const e = entryOf(run);
    if (e.summary === undefined) {
      e.summary = readSummary(store, run).value;
      grow(run, e, bytesOf(e.summary));
    }
    return e.summary;
  };

  return {
    size: () => ({ runs: entries.size, bytes: total }),
    summary,
    async sampled(run, keys, samples, also = []) {
      const cached = (key: string): KeyColumns | undefined => current(run)?.sampled.get(samples)?.keys.get(key);
      const fresh = new Map<string, KeyColumns>();
      const missing = keys.filter((k) => cached(k) === undefined);
      if (missing.length > 0) {
        await fold(run);
        // The run's other keys come along (the next charts ask for them), one key per read.
        const wanted = [...new Set([...missing, ...also.filter((k) => cached(k) === undefined)])].slice(0, Math.max(missing.length, MAX_KEYS_PER_MISS));
        for (let i = 0; i < wanted.length; i += KEYS_PER_READ) {
          await tick();
          const group = wanted.slice(i, i + KEYS_PER_READ).filter((k) => cached(k) === undefined);
          if (group.length === 0) continue;
          const got = sampleHistory(store, run.key, { keys: group, samples });
          // A run that grew while this request waited is answered as read now.
          const e = entryOf(run);
          let s = e.sampled.get(samples);
          if (s === undefined) e.sampled.set(samples, (s = { rows: got.rows, bucketRows: got.bucketRows, keys: new Map() }));
          s.rows = got.rows;
          s.bucketRows = got.bucketRows;
          let bytes = 0;
          for (const key of group) {
            const col = columns(got.series[key] ?? [], got.bucketRows > 1);
            fresh.set(key, col);
            if (s.keys.has(key)) continue; // another request read it meanwhile
            s.keys.set(key, col);
            bytes += columnBytes(col);
          }
          grow(run, e, bytes);
        }
      }
      const shape = current(run)?.sampled.get(samples);
      const out: Record<string, KeyColumns> = {};
      for (const k of keys) out[k] = fresh.get(k) ?? cached(k) ?? { b: [], s: [], l: [] };
      return { rows: shape?.rows ?? run.historyCount, bucketRows: shape?.bucketRows ?? 1, keys: out };
    },
    async metrics(run) {
      const hit = entryOf(run).metrics;
      if (hit !== undefined) return hit;
      await fold(run);
      const keys = new Set(store.historyBuckets.keys(run.key).filter((k) => !k.startsWith('_')));
      // Rows not folded yet (fewer than a slice) may hold keys the buckets do not.
      const mark = store.historyBuckets.mark(run.key)?.folded ?? 0;
      for (const { line } of store.history.lines(run.key, mark, Math.max(0, run.historyCount - mark))) {
        try {
          numericLeaves(parseExtended(line) as Record<string, unknown>, '', keys, 0);
        } catch {
          // an unreadable row adds no key
        }
      }
      for (const k of summaryKeys(summary(run))) keys.add(k);
      const list = [...keys];
      const e = entryOf(run);
      e.metrics = list;
      grow(run, e, bytesOf(list));
      return list;
    },
    async media(run) {
      const hit = entryOf(run).media;
      if (hit !== undefined) return hit;
      await fold(run);
      const list: MediaEntry[] = [];
      const mark = store.historyBuckets.mark(run.key)?.folded ?? 0;
      const lines = store.historyBuckets.mediaLines(run.key);
      for (const { line } of store.history.lines(run.key, mark, Math.max(0, run.historyCount - mark))) if (line.includes('"_type"')) lines.push(line);
      for (const line of lines) mediaOfRow(list, line, MAX_MEDIA);
      const e = entryOf(run);
      e.media = list;
      grow(run, e, bytesOf(list.map((m) => m.descriptor)));
      return list;
    },
  };
}
