/**
 * Keeping the stored buckets (the downsampled history) up to date.
 *
 * The log path folds at a cadence, inside its own write transaction: when a commit takes the run's
 * history past a multiple of FOLD_ROWS, the rows since the run's mark are read back and folded into
 * tier-0 buckets (64 rows), each complete tier-t bucket into its tier t + 1 bucket (4 times larger),
 * and the mark moves. Per key and fold that is a few small writes (measured in bench/history.ts). A writer killed mid-way rolls all of that back
 * with its rows, so buckets and mark always agree. A mark that is behind (an old store, an import,
 * rows written by a version without buckets) is caught up by `catchUp`, which readers call, in
 * transactions of CATCH_UP_ROWS rows.
 *
 * A tier-t bucket is written when its last child completes and, while open, holds the merge of its
 * complete children only; readers use a stored bucket only when it is complete (see read.ts).
 */
import { parseExtended } from '../json/extended-json.js';
import type { BucketMark, Store } from '../store/index.js';
import { addValue, emptyAcc, forEachNumber, mergeAcc, TIER_FANOUT, TIER_SIZES, type Acc } from './accumulator.js';

/** The log path folds when the history passes a multiple of this many rows. */
export const FOLD_ROWS = 256;
/** Rows folded by one log call at most (a mark far behind is caught up over several calls, or by a reader). */
const FOLD_MAX_PER_CALL = 4096;
/** Rows per transaction of a catch-up. */
const CATCH_UP_ROWS = 16384;

const T0 = TIER_SIZES[0] as number;

/** The open (incomplete) bucket of a tier above 0, per key, loaded from the store when first touched. */
function openTier(store: Store, runKey: number, tier: number, from: number) {
  const size = TIER_SIZES[tier] as number;
  const open = new Map<string, Acc>();
  let bucket = -1;
  return {
    /** Merges a complete child bucket of `key` into this tier's bucket `b`. */
    add(key: string, b: number, child: Acc): void {
      if (b !== bucket) {
        open.clear();
        bucket = b;
      }
      let acc = open.get(key);
      if (acc === undefined) {
        // A bucket that starts in this fold has nothing stored yet.
        acc = (b * size < from ? store.historyBuckets.get(runKey, tier, key, b) : undefined) ?? emptyAcc(b);
        open.set(key, acc);
      }
      mergeAcc(acc, child);
    },
    /** Writes the touched buckets. */
    flush(): void {
      for (const [key, acc] of open) store.historyBuckets.put(runKey, tier, key, { ...acc, bucket });
    },
    clear(): void {
      open.clear();
      bucket = -1;
    },
    /** The complete bucket's keys: all in memory when it started in this fold, else read back for every known key. */
    completed(known: ReadonlySet<string>): Map<string, Acc> {
      if (bucket * size >= from) return new Map(open);
      const all = new Map<string, Acc>();
      for (const key of known) {
        const acc = store.historyBuckets.get(runKey, tier, key, bucket);
        if (acc !== undefined) all.set(key, acc);
      }
      return all;
    },
  };
}

/**
 * Folds rows [mark.folded, to) into the buckets (`to` a multiple of FOLD_ROWS, or of the tier-0
 * size) and moves the mark. Must run inside a write transaction.
 */
export function foldRange(store: Store, runKey: number, mark: BucketMark, to: number): BucketMark {
  const from = mark.folded;
  if (to <= from) return mark;
  const hb = store.historyBuckets;
  const known = new Set(hb.keys(runKey));
  const added: string[] = [];
  const tiers = TIER_SIZES.slice(1).map((_, i) => openTier(store, runKey, i + 1, from));
  let lastStep = mark.lastStep;
  let sorted = mark.sorted;
  const media: number[] = [];
  const read = store.history.lines(runKey, from, to - from);
  // Whole tier-0 buckets only (a history shorter than asked leaves the rest for later).
  const lines = read.slice(0, read.length - (read.length % T0));
  if (lines.length === 0) return mark;
  const end = from + lines.length;
  for (let start = from; start < end; start += T0) {
    const chunk = new Map<string, Acc>();
    for (let seq = start; seq < start + T0; seq++) {
      const r = lines[seq - from] as (typeof lines)[number];
      if (r.step < lastStep) sorted = false;
      lastStep = r.step;
      if (r.line.includes('"_type"')) media.push(r.seq);
      forEachNumber(parseExtended(r.line) as Record<string, unknown>, (key, v) => {
        let acc = chunk.get(key);
        if (acc === undefined) chunk.set(key, (acc = emptyAcc(start / T0)));
        addValue(acc, r.step, v);
      });
    }
    const b0 = start / T0;
    for (const [key, acc] of chunk) {
      hb.put(runKey, 0, key, acc);
      if (!known.has(key)) {
        known.add(key);
        added.push(key);
      }
    }
    // Tier t's bucket takes each tier t - 1 bucket once it is complete.
    let completed: Map<string, Acc> = chunk;
    let b = b0;
    for (let t = 1; t < TIER_SIZES.length; t++) {
      const tier = tiers[t - 1] as ReturnType<typeof openTier>;
      const parent = Math.floor(b / TIER_FANOUT);
      for (const [key, acc] of completed) tier.add(key, parent, acc);
      if ((b + 1) % TIER_FANOUT !== 0) break;
      // The parent is complete: write it, and hand every key it holds (stored earlier too) upward.
      tier.flush();
      completed = tier.completed(known);
      tier.clear();
      b = parent;
    }
  }
  for (const tier of tiers) tier.flush();
  hb.addKeys(runKey, added);
  hb.addMedia(runKey, media);
  const next = { folded: end, lastStep, sorted };
  hb.setMark(runKey, next);
  return next;
}

const NO_MARK: BucketMark = { folded: 0, lastStep: NaN, sorted: true };

/**
 * The log path's hook, inside its write transaction, after rows [before, after) were appended:
 * folds when the history passed a multiple of FOLD_ROWS (so most calls cost one comparison).
 */
export function foldAfterAppend(store: Store, runKey: number, before: number, after: number): void {
  if (Math.floor(after / FOLD_ROWS) === Math.floor(before / FOLD_ROWS)) return;
  const mark = store.historyBuckets.mark(runKey) ?? NO_MARK;
  const to = Math.min(Math.floor(after / FOLD_ROWS) * FOLD_ROWS, mark.folded + FOLD_MAX_PER_CALL);
  foldRange(store, runKey, mark, to);
}

/**
 * Catches a run's buckets up to the last whole FOLD_ROWS of its history (a repair, as `sync`
 * catches up replication): one write transaction per CATCH_UP_ROWS rows, each re-reading the mark,
 * so concurrent writers and catch-ups never fold a row twice. Returns the mark.
 */
export function catchUp(store: Store, runKey: number, rowsEnd?: number): BucketMark {
  const end = rowsEnd ?? (store.history.extent(runKey)?.hi ?? -1) + 1;
  const target = Math.floor(end / FOLD_ROWS) * FOLD_ROWS;
  const step = (): BucketMark => {
    const mark = store.historyBuckets.mark(runKey) ?? NO_MARK;
    if (mark.folded >= target) return mark;
    return foldRange(store, runKey, mark, Math.min(target, mark.folded + CATCH_UP_ROWS));
  };
  for (let before = -1; ;) {
    const mark = store.historyBuckets.inTransaction() ? step() : store.write(step);
    if (mark.folded >= target || mark.folded === before) return mark;
    before = mark.folded;
  }
}
