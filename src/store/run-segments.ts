import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';

/**
 * Where a run was resumed: W&B's client writes one offline run folder per process that continues a
 * run, so an export writes one segment per resume (and an import of several keeps them). The first
 * segment (from the run's creation, seq 0) has no row; a run made before this table has none.
 */
export const RUN_SEGMENT_MIGRATIONS: readonly Migration[] = [
  {
    name: '601-run-segments',
    sql: `
  CREATE TABLE run_segments (
    run_key        INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    ord            INTEGER NOT NULL,
    from_seq       INTEGER NOT NULL,
    started_at     REAL NOT NULL,
    starting_step  INTEGER NOT NULL,
    runtime_base   REAL NOT NULL,
    prev_exit_code INTEGER,
    PRIMARY KEY (run_key, ord)
  ) WITHOUT ROWID;`,
  },
];

/** A resumed segment: its first history row (seq), when it started, the step and runtime it continued from. */
export interface RunSegment {
  /** 1 for the first resume, 2 for the next, ... */
  ord: number;
  fromSeq: number;
  /** Seconds since the epoch. */
  startedAt: number;
  startingStep: number;
  /** The run's `_runtime` when the segment started. */
  runtimeBase: number;
  /** The exit code the segment before it ended with (null: it ended without one, e.g. crashed). */
  prevExitCode: number | null;
}

export interface RunSegmentsTable {
  /** Records a resume of the run as its next segment (call inside the resume's write transaction). */
  add(runKey: number, seg: Omit<RunSegment, 'ord'>): void;
  /** The run's resumed segments, in order (empty: one segment since its creation). */
  list(runKey: number): RunSegment[];
  /** Forgets the run's segments (its content is being replaced). */
  clear(runKey: number): void;
}

export function createRunSegmentsTable(store: StoreDb): RunSegmentsTable {
  const { db } = store;
  const insert = db.prepare(
    `INSERT INTO run_segments (run_key, ord, from_seq, started_at, starting_step, runtime_base, prev_exit_code)
     VALUES (?, (SELECT COALESCE(MAX(ord), 0) + 1 FROM run_segments WHERE run_key = ?), ?, ?, ?, ?, ?)`,
  );
  const all = db.prepare(
    `SELECT ord, from_seq AS fromSeq, started_at AS startedAt, starting_step AS startingStep, runtime_base AS runtimeBase, prev_exit_code AS prevExitCode
     FROM run_segments WHERE run_key = ? ORDER BY ord`,
  );
  const del = db.prepare('DELETE FROM run_segments WHERE run_key = ?');
  return {
    add(runKey, s) {
      insert.run(runKey, runKey, s.fromSeq, s.startedAt, s.startingStep, s.runtimeBase, s.prevExitCode);
    },
    list: (runKey) => all.all(runKey) as RunSegment[],
    clear(runKey) {
      del.run(runKey);
    },
  };
}
