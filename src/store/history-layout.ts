/**
 * Where history lines live: `history_rows`, a rowid table whose key is (run_key << 32) | seq, so
 * a run's lines are one range of the table's own b-tree and a log appends at its end. It replaced
 * a WITHOUT ROWID table keyed (run_key, seq): SQLite splits an index b-tree's full page with its
 * siblings, while an append to a rowid table opens a new page (its "quick balance"), so a one-row
 * commit wrote about two pages there and one here (measured: 2.6 against 4.8 writes a commit,
 * 41 against 69 us a commit on a 2-core VM; 100-float rows 102 against 144 us, as such a row no
 * longer spills to an overflow page).
 *
 * `history` stays, as a view with the old columns (run_key, seq, step, row) whose INSTEAD OF
 * triggers write `history_rows`, for tools and older builds that name it; this package's own
 * statements use `history_rows` and the expressions below, so every read is a range of the key.
 * A key is never read into JavaScript (it passes 2^53 for run keys past 2^21): seq is `id & SEQ_MASK`.
 */
import { SkillError } from '../errors.js';
import type { Migration } from './migrations.js';

/** The seq part of a history_rows key (a run has at most 2^32 lines). */
export const SEQ_MASK = 4294967295;

/**
 * SQL: the key of line `seq` of run `runKey` (both SQL expressions, e.g. `?`). Bitwise, not `+`:
 * better-sqlite3 binds a number as a REAL, and `<< 32` then `+` a REAL is a REAL, which rounds
 * keys past 2^53; `<<` and `|` take and give integers.
 */
export const rowKey = (runKey: string, seq: string): string => `((${runKey} << 32) | ${seq})`;

/**
 * SQL: `col` lies in run `runKey`'s lines from `fromSeq` (>= 0) up to `toSeq` (exclusive; a bound
 * past the last possible seq, or none, is the run's end).
 */
export function inRun(col: string, runKey: string, fromSeq = '0', toSeq?: string): string {
  const end = `((${runKey} + 1) << 32)`;
  const upper = toSeq === undefined ? end : `(CASE WHEN ${toSeq} > ${SEQ_MASK} THEN ${end} ELSE ${rowKey(runKey, toSeq)} END)`;
  return `${col} >= ${rowKey(runKey, fromSeq)} AND ${col} < ${upper}`;
}

/** Refuses a line past the last seq a key holds (a run of 2^32 lines). */
export function assertSeqFits(lastSeq: number): void {
  if (lastSeq > SEQ_MASK) {
    throw new SkillError('PAYLOAD_TOO_LARGE', `a run holds at most ${SEQ_MASK + 1} history lines`, {
      details: { issues: [{ path: 'logData', message: `line ${lastSeq} is past the last a run holds (${SEQ_MASK})` }] },
    });
  }
}

/** SQL appending one line, four positional parameters: (run_key, seq, step, row). */
export const INSERT_LINE_SQL = `INSERT INTO history_rows (id, step, row) VALUES (${rowKey('?', '?')}, ?, ?)`;

/** SQL: the seq of the key `col`. */
export const seqOf = (col: string): string => `(${col} & ${SEQ_MASK})`;

export const HISTORY_LAYOUT_MIGRATIONS: readonly Migration[] = [
  {
    name: '601-history-rows',
    sql: `
  CREATE TABLE history_rows (
    id   INTEGER PRIMARY KEY,
    step INTEGER NOT NULL,
    row  TEXT NOT NULL
  );
  INSERT INTO history_rows (id, step, row) SELECT (run_key << 32) | seq, step, row FROM history ORDER BY run_key, seq;
  DROP TABLE history;
  CREATE VIEW history AS SELECT id >> 32 AS run_key, id & ${SEQ_MASK} AS seq, step, row FROM history_rows;
  CREATE TRIGGER history_insert INSTEAD OF INSERT ON history BEGIN
    INSERT INTO history_rows (id, step, row) VALUES ((NEW.run_key << 32) | NEW.seq, NEW.step, NEW.row);
  END;
  CREATE TRIGGER history_delete INSTEAD OF DELETE ON history BEGIN
    DELETE FROM history_rows WHERE id = (OLD.run_key << 32) | OLD.seq;
  END;
  CREATE TRIGGER history_update INSTEAD OF UPDATE ON history BEGIN
    UPDATE history_rows SET id = (NEW.run_key << 32) | NEW.seq, step = NEW.step, row = NEW.row WHERE id = (OLD.run_key << 32) | OLD.seq;
  END;
  -- What the history table's foreign key did: a run's lines go with it.
  CREATE TRIGGER runs_history_delete AFTER DELETE ON runs BEGIN
    DELETE FROM history_rows WHERE id >= (OLD.key << 32) AND id < ((OLD.key + 1) << 32);
  END;
  -- The downsampled form of a run whose first line goes (its history replaced, the run deleted) goes too.
  CREATE TRIGGER history_buckets_reset AFTER DELETE ON history_rows WHEN (OLD.id & ${SEQ_MASK}) = 0 BEGIN
    DELETE FROM history_marks WHERE run_key = OLD.id >> 32;
    DELETE FROM history_keys WHERE run_key = OLD.id >> 32;
    DELETE FROM history_buckets WHERE run_key = OLD.id >> 32;
    DELETE FROM history_media WHERE run_key = OLD.id >> 32;
  END;`,
  },
];
