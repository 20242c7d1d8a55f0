import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';
import { lazyStatements } from './statements.js';
import { inRun, rowKey } from './history-layout.js';

/**
 * One stored bucket of one history key: what a run's rows [bucket * size, (bucket + 1) * size) of
 * a tier hold for that key. NaN fields are stored as NULL (SQLite keeps no NaN).
 */
export interface StoredBucket {
  bucket: number;
  /** Numeric values of the key (finite or not), and finite ones. */
  count: number;
  finite: number;
  /** Extremes over finite values and the steps of the first rows holding them (NaN when finite is 0). */
  min: number;
  max: number;
  minStep: number;
  maxStep: number;
  /** Sum of the finite values, added in tier order (see src/history/accumulator.ts). */
  sum: number;
  firstStep: number;
  lastStep: number;
  /** Value in the last row holding the key, and the last finite value with its step. */
  last: number;
  lastFinite: number;
  lastFiniteStep: number;
}

/** How far a run's buckets are complete: rows with seq < folded are in them. */
export interface BucketMark {
  folded: number;
  /** Step of row folded - 1 (NaN before any fold). */
  lastStep: number;
  /** False once a folded row's step was lower than the row before it. */
  sorted: boolean;
}

export interface HistoryBucketsTable {
  /** The run's mark; undefined when nothing was folded yet (an old store, a new run, a replaced history). */
  mark(runKey: number): BucketMark | undefined;
  setMark(runKey: number, mark: BucketMark): void;
  /** Keys with buckets, in first-folded order. */
  keys(runKey: number): string[];
  addKeys(runKey: number, keys: readonly string[]): void;
  /** One bucket of one key, or undefined. */
  get(runKey: number, tier: number, key: string, bucket: number): StoredBucket | undefined;
  /** Buckets of one key with fromBucket <= bucket < toBucket, in order (missing ones are buckets without the key). */
  range(runKey: number, tier: number, key: string, fromBucket: number, toBucket: number): StoredBucket[];
  /** Writes (replaces) one bucket. */
  put(runKey: number, tier: number, key: string, b: StoredBucket): void;
  /** Records folded rows that hold a media descriptor. */
  addMedia(runKey: number, seqs: readonly number[]): void;
  /** The history lines of the recorded media rows, in seq order. */
  mediaLines(runKey: number): string[];
  /** The `step` column of history rows fromSeq <= seq < toSeq, in order (step-range reads). */
  steps(runKey: number, fromSeq: number, toSeq: number): number[];
  /** The step of one history row, or undefined. */
  stepAt(runKey: number, seq: number): number | undefined;
  /** Drops a run's buckets, keys and mark. */
  clear(runKey: number): void;
  /** True inside a transaction (a repair then folds in it instead of opening its own). */
  inTransaction(): boolean;
}

/**
 * history_buckets: per run, tier, key and bucket, the summary of a fixed run of rows; history_marks:
 * the seq up to which they are complete; history_keys: the keys folded; history_media: folded rows
 * holding a media descriptor (`_type`), so a report finds them without a scan. A delete of a run's first
 * history row (its history replaced by an import, or the run deleted) drops all three, so a stale
 * bucket is never read; the next read folds again.
 */
export const HISTORY_BUCKET_MIGRATIONS: readonly Migration[] = [
  {
    name: '501-history-buckets',
    sql: `
  CREATE TABLE history_buckets (
    run_key INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    tier INTEGER NOT NULL,
    key TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    count INTEGER NOT NULL,
    finite INTEGER NOT NULL,
    min REAL, max REAL, min_step INTEGER, max_step INTEGER, sum REAL,
    first_step INTEGER NOT NULL, last_step INTEGER NOT NULL,
    last REAL, last_finite REAL, last_finite_step INTEGER,
    PRIMARY KEY (run_key, tier, key, bucket)
  ) WITHOUT ROWID;
  CREATE TABLE history_marks (
    run_key INTEGER PRIMARY KEY REFERENCES runs (key) ON DELETE CASCADE,
    folded INTEGER NOT NULL,
    last_step INTEGER,
    sorted INTEGER NOT NULL
  );
  CREATE TABLE history_keys (
    run_key INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (run_key, key)
  ) WITHOUT ROWID;
  CREATE TABLE history_media (
    run_key INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    PRIMARY KEY (run_key, seq)
  ) WITHOUT ROWID;
  CREATE TRIGGER history_buckets_reset AFTER DELETE ON history WHEN OLD.seq = 0 BEGIN
    DELETE FROM history_marks WHERE run_key = OLD.run_key;
    DELETE FROM history_keys WHERE run_key = OLD.run_key;
    DELETE FROM history_buckets WHERE run_key = OLD.run_key;
    DELETE FROM history_media WHERE run_key = OLD.run_key;
  END;`,
  },
];

const nan = (v: number | null): number => (v === null ? NaN : v);
const nul = (v: number): number | null => (Number.isNaN(v) ? null : v);
// Arrays in COLS order, not row objects: a report reads tens of thousands of buckets.
type RawRow = [number, number, number, ...Array<number | null>];
const fromArray = (r: RawRow): StoredBucket => ({
  bucket: r[0],
  count: r[1],
  finite: r[2],
  min: nan(r[3] as number | null),
  max: nan(r[4] as number | null),
  minStep: nan(r[5] as number | null),
  maxStep: nan(r[6] as number | null),
  sum: nan(r[7] as number | null),
  firstStep: r[8] as number,
  lastStep: r[9] as number,
  last: nan(r[10] as number | null),
  lastFinite: nan(r[11] as number | null),
  lastFiniteStep: nan(r[12] as number | null),
});

const COLS = 'bucket, count, finite, min, max, min_step, max_step, sum, first_step, last_step, last, last_finite, last_finite_step';

/** Statements over the bucket tables, prepared on first use. */
export function createHistoryBucketsTable(store: StoreDb): HistoryBucketsTable {
  const { db } = store;
  const s = lazyStatements(db, {
    mark: 'SELECT folded, last_step, sorted FROM history_marks WHERE run_key = ?',
    setMark: 'INSERT OR REPLACE INTO history_marks (run_key, folded, last_step, sorted) VALUES (?, ?, ?, ?)',
    keys: 'SELECT key FROM history_keys WHERE run_key = ? ORDER BY ord',
    maxOrd: 'SELECT coalesce(max(ord), -1) FROM history_keys WHERE run_key = ?',
    addKey: 'INSERT OR IGNORE INTO history_keys (run_key, ord, key) VALUES (?, ?, ?)',
    get: `SELECT ${COLS} FROM history_buckets WHERE run_key = ? AND tier = ? AND key = ? AND bucket = ?`,
    range: `SELECT ${COLS} FROM history_buckets WHERE run_key = ? AND tier = ? AND key = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`,
    put: `INSERT OR REPLACE INTO history_buckets (run_key, tier, key, ${COLS}) VALUES (${Array(16).fill('?').join(', ')})`,
    steps: `SELECT step FROM history_rows WHERE ${inRun('id', '@k', '@from', '@to')} ORDER BY id`,
    stepAt: `SELECT step FROM history_rows WHERE id = ${rowKey('?', '?')}`,
    addMedia: 'INSERT OR IGNORE INTO history_media (run_key, seq) VALUES (?, ?)',
    mediaLines: `SELECT h.row FROM history_media m JOIN history_rows h ON h.id = ${rowKey('m.run_key', 'm.seq')} WHERE m.run_key = ? ORDER BY m.seq`,
    clearMedia: 'DELETE FROM history_media WHERE run_key = ?',
    clearBuckets: 'DELETE FROM history_buckets WHERE run_key = ?',
    clearKeys: 'DELETE FROM history_keys WHERE run_key = ?',
    clearMark: 'DELETE FROM history_marks WHERE run_key = ?',
  });
  return {
    mark(runKey) {
      const r = s.mark.get(runKey) as { folded: number; last_step: number | null; sorted: number } | undefined;
      return r === undefined ? undefined : { folded: r.folded, lastStep: nan(r.last_step), sorted: r.sorted === 1 };
    },
    setMark(runKey, m) {
      s.setMark.run(runKey, m.folded, nul(m.lastStep), m.sorted ? 1 : 0);
    },
    keys: (runKey) => s.keys.pluck().all(runKey) as string[],
    addKeys(runKey, keys) {
      if (keys.length === 0) return;
      let ord = (s.maxOrd.pluck().get(runKey) as number) + 1;
      for (const k of keys) if (s.addKey.run(runKey, ord, k).changes > 0) ord++;
    },
    get(runKey, tier, key, bucket) {
      const r = s.get.raw(true).get(runKey, tier, key, bucket) as RawRow | undefined;
      return r === undefined ? undefined : fromArray(r);
    },
    range: (runKey, tier, key, from, to) => (s.range.raw(true).all(runKey, tier, key, from, to) as RawRow[]).map(fromArray),
    put(runKey, tier, key, b) {
      const { bucket, count, finite, firstStep, lastStep } = b;
      s.put.run(
        runKey,
        tier,
        key,
        bucket,
        count,
        finite,
        nul(b.min),
        nul(b.max),
        nul(b.minStep),
        nul(b.maxStep),
        nul(b.sum),
        firstStep,
        lastStep,
        nul(b.last),
        nul(b.lastFinite),
        nul(b.lastFiniteStep),
      );
    },
    addMedia(runKey, seqs) {
      for (const seq of seqs) s.addMedia.run(runKey, seq);
    },
    mediaLines: (runKey) => s.mediaLines.pluck().all(runKey) as string[],
    steps: (runKey, from, to) => s.steps.pluck().all({ k: runKey, from, to }) as number[],
    stepAt: (runKey, seq) => s.stepAt.pluck().get(runKey, seq) as number | undefined,
    clear(runKey) {
      s.clearBuckets.run(runKey);
      s.clearKeys.run(runKey);
      s.clearMark.run(runKey);
      s.clearMedia.run(runKey);
    },
    inTransaction: () => db.inTransaction,
  };
}
