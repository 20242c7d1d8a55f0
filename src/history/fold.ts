/**
 * Keeping the stored buckets (the downsampled history) up to date.
 *
 * The log path folds at a cadence, inside its own write transaction: when a commit takes the run's
 * history past a multiple of FOLD_ROWS, the rows since the run's mark are folded into tier-0
 * buckets (64 rows), each complete tier-t bucket into its tier t + 1 bucket (4 times larger), and
 * the mark moves. The rows this connection appended since the mark are in memory (the run's feed,
 * store/fold-feeds.ts: each call adds its rows as it commits them, a flat row as the object itself),
 * so a fold neither reads them back nor parses the flat ones; rows it does not hold (another
 * writer's, an old store's) are read back and parsed. Per key
 * and fold that is a few small writes (measured in bench/history.ts). A writer killed mid-way rolls
 * all of that back with its rows, so buckets and mark always agree. A mark that is behind (an old store, an import,
 * rows written by a version without buckets) is caught up by `catchUp`, which readers call, in
 * transactions of CATCH_UP_ROWS rows.
 *
 * A tier-t bucket is written when its last child completes and, while open, holds the merge of its
 * complete children only; readers use a stored bucket only when it is complete (see read.ts).
 */
import { parseExtended } from '../json/extended-json.js';
import type { BucketMark, FedRow, FoldFeed, Store } from '../store/index.js';
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

/** One row a log call appended: its step, the row object and the line stored for it. */
export interface AppendedRow {
  step: number;
  row: Record<string, unknown>;
  line: string;
  /** The caller knows the row holds no object (else it is looked at). */
  flat?: boolean;
}

/** The rows of one tier-0 bucket (64 rows), summarised per key. */
interface Chunk {
  /** The tier-0 bucket number (first seq / 64). */
  bucket: number;
  rows: number;
  /** One accumulator per numeric key, values added in seq order. */
  accs: Map<string, Acc>;
  /** Steps of its first and last rows, and whether its rows' steps never went down. */
  firstStep: number;
  lastStep: number;
  sorted: boolean;
  /** Seqs of its rows holding a media descriptor. */
  media: number[];
}

function newChunk(bucket: number): Chunk {
  return { bucket, rows: 0, accs: new Map(), firstStep: NaN, lastStep: NaN, sorted: true, media: [] };
}

/** Adds the row at `seq` (the chunk's next) to a tier-0 chunk; `flat`: the row holds no object (its numbers are read in one loop). */
function addRow(c: Chunk, seq: number, step: number, row: Record<string, unknown>, line: string, flat = false): void {
  if (c.rows === 0) c.firstStep = step;
  else if (step < c.lastStep) c.sorted = false;
  c.lastStep = step;
  c.rows += 1;
  if (line.includes('"_type"')) c.media.push(seq);
  const accs = c.accs;
  const add = (key: string, v: number) => {
    let acc = accs.get(key);
    if (acc === undefined) accs.set(key, (acc = emptyAcc(c.bucket)));
    addValue(acc, step, v);
  };
  if (!flat) {
    forEachNumber(row, add);
    return;
  }
  for (const k in row) {
    const v = row[k];
    if (typeof v === 'number') add(k, v);
  }
}

/**
 * Writes complete tier-0 chunks that follow `mark` (the first starts at mark.folded) into the
 * buckets of every tier, and moves the mark past them. Must run inside a write transaction.
 */
function writeChunks(store: Store, runKey: number, mark: BucketMark, chunks: readonly Chunk[]): BucketMark {
  const from = mark.folded;
  const hb = store.historyBuckets;
  const known = new Set(hb.keys(runKey));
  const added: string[] = [];
  const tiers = TIER_SIZES.slice(1).map((_, i) => openTier(store, runKey, i + 1, from));
  let lastStep = mark.lastStep;
  let sorted = mark.sorted;
  const media: number[] = [];
  for (const c of chunks) {
    if (!c.sorted || c.firstStep < lastStep) sorted = false;
    lastStep = c.lastStep;
    for (const seq of c.media) media.push(seq);
    for (const [key, acc] of c.accs) {
      hb.put(runKey, 0, key, acc);
      if (!known.has(key)) {
        known.add(key);
        added.push(key);
      }
    }
    // Tier t's bucket takes each tier t - 1 bucket once it is complete.
    let completed: Map<string, Acc> = c.accs;
    let b = c.bucket;
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
  const next = { folded: from + chunks.length * T0, lastStep, sorted };
  hb.setMark(runKey, next);
  return next;
}

/**
 * Folds rows [mark.folded, to) into the buckets (`to` a multiple of FOLD_ROWS, or of the tier-0
 * size), reading them back, and moves the mark. Must run inside a write transaction.
 */
export function foldRange(store: Store, runKey: number, mark: BucketMark, to: number): BucketMark {
  const from = mark.folded;
  if (to <= from) return mark;
  // Whole tier-0 buckets only (a history shorter than asked leaves the rest for later).
  const chunks = chunksOf(from, store.history.lines(runKey, from, to - from));
  if (chunks.length === 0) return mark;
  return writeChunks(store, runKey, mark, chunks);
}

const NO_MARK: BucketMark = { folded: 0, lastStep: NaN, sorted: true };

/** Whether the line stored for `row` parses back to the same values (no object inside it), so the row itself can be folded. */
function isFlatRow(row: Record<string, unknown>): boolean {
  for (const k in row) {
    const v = row[k];
    if (typeof v === 'object' && v !== null) return false;
  }
  return true;
}

/** The complete tier-0 chunks of rows (fed, or read back) whose first is at seq `from`. */
function chunksOf(from: number, rows: readonly FedRow[]): Chunk[] {
  const chunks: Chunk[] = [];
  for (let i = 0; i + T0 <= rows.length; i += T0) {
    const c = newChunk((from + i) / T0);
    for (let j = i; j < i + T0; j++) {
      const r = rows[j] as FedRow;
      if (r.row !== undefined) addRow(c, from + j, r.step, r.row, r.line, true);
      else addRow(c, from + j, r.step, parseExtended(r.line) as Record<string, unknown>, r.line);
    }
    chunks.push(c);
  }
  return chunks;
}

/** Adds rows to a feed from `rows[skip]` on (the first is the feed's next seq). */
function feedRows(feed: FoldFeed, rows: readonly AppendedRow[], skip = 0): void {
  for (let i = skip; i < rows.length; i++) {
    const r = rows[i] as AppendedRow;
    feed.rows.push(r.flat === true || isFlatRow(r.row) ? { step: r.step, line: r.line, row: r.row } : { step: r.step, line: r.line });
  }
}

/**
 * A feed for a run this connection has none for, started only where it costs nothing: at a multiple
 * of FOLD_ROWS whose fold is done (the mark is there). Elsewhere (a one-call process, a run another
 * writer folded) the rows since the mark would have to be read back first: the next fold reads them
 * back instead, and its call starts the feed.
 */
function startFeed(store: Store, runKey: number, runId: string, before: number): FoldFeed | undefined {
  if (before % FOLD_ROWS !== 0 || (store.historyBuckets.mark(runKey) ?? NO_MARK).folded !== before) return undefined;
  const feed: FoldFeed = { runId, from: before, rows: [] };
  store.foldFeeds.set(runKey, feed);
  return feed;
}

/**
 * The log path's hook, inside its write transaction, after `rows` were appended at seq `before` on:
 * they join the run's feed, and when the history passes a multiple of FOLD_ROWS the feed's complete
 * buckets are summarised and written (rows this connection did not append since the mark, if any,
 * are read back instead). The rows keep no reference the caller could change: a flat row is the
 * call's own copy, committed as it is; any other row is kept as its line.
 */
export function foldAfterAppend(store: Store, runKey: number, runId: string, before: number, rows: readonly AppendedRow[]): void {
  if (rows.length === 0) return;
  const after = before + rows.length;
  const feeds = store.foldFeeds;
  let feed = feeds.get(runKey, runId);
  if (feed !== undefined && feed.from + feed.rows.length !== before) {
    feeds.delete(runKey);
    feed = undefined;
  }
  if (Math.floor(after / FOLD_ROWS) === Math.floor(before / FOLD_ROWS)) {
    feed ??= startFeed(store, runKey, runId, before);
    if (feed !== undefined) feedRows(feed, rows);
    return;
  }
  const mark = store.historyBuckets.mark(runKey) ?? NO_MARK;
  const to = Math.min(Math.floor(after / FOLD_ROWS) * FOLD_ROWS, mark.folded + FOLD_MAX_PER_CALL);
  if (feed !== undefined && feed.from === mark.folded) {
    feedRows(feed, rows);
    const n = to - feed.from;
    writeChunks(store, runKey, mark, chunksOf(feed.from, feed.rows.slice(0, n)));
    feeds.set(runKey, { runId, from: to, rows: feed.rows.slice(n) });
    return;
  }
  const next = foldRange(store, runKey, mark, to);
  if (next.folded < before || next.folded % T0 !== 0) {
    feeds.delete(runKey);
    return;
  }
  const fresh: FoldFeed = { runId, from: next.folded, rows: [] };
  feedRows(fresh, rows, next.folded - before);
  feeds.set(runKey, fresh);
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
