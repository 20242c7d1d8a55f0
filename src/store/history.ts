import { parseExtended } from '../json/extended-json.js';
import type { StoreDb } from './db.js';
import { lazyStatements } from './statements.js';
import { INSERT_LINE_SQL, SEQ_MASK, assertSeqFits, inRun, rowKey, seqOf } from './history-layout.js';

export interface HistoryRow {
  seq: number;
  step: number;
  /** The row as W&B's history line: extended JSON text (bare NaN/Infinity allowed). */
  line: string;
}

/** The first and last seq of a run's history (seqs are line numbers, so the count is hi - lo + 1). */
export interface HistoryExtent {
  lo: number;
  hi: number;
}

export interface HistoryTable {
  /** Appends one committed row; `seq` is the run's line number (0, 1, 2, ...), as on the W&B server. */
  append(runKey: number, seq: number, step: number, line: string): void;
  /** Lines from `fromSeq` on, in order. */
  lines(runKey: number, fromSeq: number, limit: number): HistoryRow[];
  /** Parsed rows, in order. */
  rows(runKey: number, fromSeq?: number, limit?: number): Array<Record<string, unknown>>;
  /** Line texts with `fromSeq <= seq < toSeq`, in order: a streamed read's chunk (three times faster than row objects for a long run). */
  textRange(runKey: number, fromSeq: number, toSeq: number): string[];
  /** Min and max seq, as two index seeks; undefined for a run without history. */
  extent(runKey: number): HistoryExtent | undefined;
  /** Lines at seq lo, lo + stride, ... up to hi, plus hi itself: a sample read by index seeks, not a scan. */
  strideSample(runKey: number, extent: HistoryExtent, stride: number): string[];
  /** `json_extract(row, path)` of every row SQLite reads as JSON, in no set order. */
  jsonValues(runKey: number, path: string): unknown[];
  /** Lines SQLite does not read as JSON (bare NaN/Infinity), for the caller to parse. */
  nonJsonTexts(runKey: number): string[];
}

/** Statements over the history lines (`history_rows`, see history-layout.ts), prepared on first use. */
export function createHistoryTable(store: StoreDb): HistoryTable {
  const s = lazyStatements(store.db, {
    // Positional parameters, a run key given once per place it is used (see history-layout.ts).
    insert: INSERT_LINE_SQL,
    select: `SELECT ${seqOf('id')} AS seq, step, row AS line FROM history_rows WHERE ${inRun('id', '@k', '@from')} ORDER BY id LIMIT @limit`,
    range: `SELECT row FROM history_rows WHERE ${inRun('id', '@k', '@from', '@to')} ORDER BY id`,
    extent: `SELECT (SELECT ${seqOf('id')} FROM history_rows WHERE ${inRun('id', '@k')} ORDER BY id LIMIT 1) AS lo,
      (SELECT ${seqOf('id')} FROM history_rows WHERE ${inRun('id', '@k')} ORDER BY id DESC LIMIT 1) AS hi`,
    // The stride sample as key seeks: `seq % k = 0` over the span, generated rather than scanned.
    sample: `WITH RECURSIVE s(q) AS (SELECT @lo UNION ALL SELECT q + @stride FROM s WHERE q + @stride <= @hi)
    SELECT row FROM history_rows WHERE id IN (SELECT ${rowKey('@k', 'q')} FROM s UNION SELECT ${rowKey('@k', '@hi')}) ORDER BY id`,
    jsonValues: `SELECT json_extract(row, @path) FROM history_rows WHERE ${inRun('id', '@k')} AND json_valid(row)`,
    nonJson: `SELECT row FROM history_rows WHERE ${inRun('id', '@k')} AND NOT json_valid(row)`,
  });
  const lines = (runKey: number, fromSeq: number, limit: number): HistoryRow[] => s.select.all({ k: runKey, from: fromSeq, limit }) as HistoryRow[];
  return {
    append(runKey, seq, step, line) {
      if (seq > SEQ_MASK) assertSeqFits(seq);
      s.insert.run(runKey, seq, step, line);
    },
    lines,
    rows: (runKey, fromSeq = 0, limit = Number.MAX_SAFE_INTEGER) => lines(runKey, fromSeq, limit).map((r) => parseExtended(r.line) as Record<string, unknown>),
    textRange: (runKey, fromSeq, toSeq) => s.range.pluck().all({ k: runKey, from: fromSeq, to: toSeq }) as string[],
    extent(runKey) {
      const r = s.extent.get({ k: runKey }) as { lo: number | null; hi: number | null };
      return r.lo === null || r.hi === null ? undefined : { lo: r.lo, hi: r.hi };
    },
    strideSample: (runKey, e, stride) => s.sample.pluck().all({ k: runKey, lo: e.lo, stride, hi: e.hi }) as string[],
    jsonValues: (runKey, path) => s.jsonValues.pluck().all({ path, k: runKey }) as unknown[],
    nonJsonTexts: (runKey) => s.nonJson.pluck().all({ k: runKey }) as string[],
  };
}
