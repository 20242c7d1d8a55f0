import { parseExtended } from '../json/extended-json.js';
import type { StoreDb } from './db.js';

export interface HistoryRow {
  seq: number;
  step: number;
  /** The row as W&B's history line: extended JSON text (bare NaN/Infinity allowed). */
  line: string;
}

export interface HistoryTable {
  /** Appends one committed row; `seq` is the run's line number (0, 1, 2, ...), as on the W&B server. */
  append(runKey: number, seq: number, step: number, line: string): void;
  /** Lines from `fromSeq` on, in order. */
  lines(runKey: number, fromSeq: number, limit: number): HistoryRow[];
  /** Parsed rows, in order. */
  rows(runKey: number, fromSeq?: number, limit?: number): Array<Record<string, unknown>>;
}

/** Prepared statements over the `history` table. */
export function createHistoryTable(store: StoreDb): HistoryTable {
  const insert = store.db.prepare('INSERT INTO history (run_key, seq, step, row) VALUES (?, ?, ?, ?)');
  const select = store.db.prepare(
    'SELECT seq, step, row AS line FROM history WHERE run_key = ? AND seq >= ? ORDER BY seq LIMIT ?',
  );
  const lines = (runKey: number, fromSeq: number, limit: number): HistoryRow[] =>
    select.all(runKey, fromSeq, limit) as HistoryRow[];
  return {
    append(runKey, seq, step, line) {
      insert.run(runKey, seq, step, line);
    },
    lines,
    rows: (runKey, fromSeq = 0, limit = Number.MAX_SAFE_INTEGER) =>
      lines(runKey, fromSeq, limit).map((r) => parseExtended(r.line) as Record<string, unknown>),
  };
}
