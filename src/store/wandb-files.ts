import type { Statement } from 'better-sqlite3';
import type { StoreDb } from './db.js';
import { assertSeqFits, inRun, rowKey } from './history-layout.js';

/** Rows to append in bulk, read by index (an import keeps them as bytes and makes each line when it is bound). */
export interface HistoryRowSource {
  readonly length: number;
  stepAt(i: number): number;
  lineAt(i: number): string;
  /**
   * Row i's line as UTF-8 bytes, when the source holds them so (valid UTF-8, what `lineAt` gives
   * encoded): bound as such, no string is made for it.
   */
  readonly lineBytesAt?: ((i: number) => Uint8Array) | undefined;
}

/**
 * The few statements importing and exporting W&B's offline run files need beyond the runs and
 * history tables: replacing a run's content in place, its start time, and the list of its files.
 */
export interface WandbFilesTable {
  /** Removes a run's history rows, alerts, files list, resume segments and sync cursor (before its content is replaced). */
  clearRunContent(runKey: number): void;
  /** Sets when the run started (W&B's start time), which `insert` takes from the clock. */
  setCreatedAt(runKey: number, createdAt: number): void;
  /** Appends history rows seq = fromSeq, fromSeq + 1, ... (several rows per statement: an import's bulk path). */
  appendHistory(runKey: number, fromSeq: number, rows: HistoryRowSource): void;
  /** Up to `limit` history rows from seq `fromSeq` on, as [step, line] pairs (an export's bulk read, without row objects). */
  historyLines(runKey: number, fromSeq: number, limit: number): Array<[number, string]>;
  /** Every file recorded for the run (run-relative name, local path), uploaded or not. */
  runFiles(runKey: number): Array<{ name: string; path: string }>;
  /** The keys of every run in the store, oldest first (export with no run named). */
  allRunKeys(): number[];
}

/** Rows per multi-row INSERT (4 parameters each, far below SQLite's limit of 32766). */
const BATCH = 256;

export function createWandbFilesTable(store: StoreDb): WandbFilesTable {
  const { db } = store;
  const delHistory = db.prepare(`DELETE FROM history_rows WHERE ${inRun('id', '@k')}`);
  const delFiles = db.prepare('DELETE FROM run_files WHERE run_key = ?');
  const delSync = db.prepare('DELETE FROM run_sync WHERE run_key = ?');
  const delAlerts = db.prepare('DELETE FROM alerts WHERE run_key = ?');
  const delSegments = db.prepare('DELETE FROM run_segments WHERE run_key = ?');
  const created = db.prepare('UPDATE runs SET created_at = ? WHERE key = ?');
  const files = db.prepare('SELECT name, path FROM run_files WHERE run_key = ? ORDER BY name');
  // Four parameters a row, in the order (run_key, seq, step, row), as history-layout.ts keys them.
  const insertRows = (n: number, line: string) =>
    db.prepare(
      `INSERT INTO history_rows (id, step, row) VALUES ${Array(n)
        .fill(`(${rowKey('?', '?')}, ?, ${line})`)
        .join(', ')}`,
    );
  const one = insertRows(1, '?');
  const many = insertRows(BATCH, '?');
  // A line bound as its bytes (a blob) and cast to TEXT: the same stored text, without a JS string
  // made and encoded for it (measured: the insert a sixth faster). Prepared on first use.
  let bytes: { one: Statement; many: Statement } | undefined;
  const bytesStatements = (): { one: Statement; many: Statement } =>
    (bytes ??= { one: insertRows(1, 'CAST(? AS TEXT)'), many: insertRows(BATCH, 'CAST(? AS TEXT)') });
  const lines = db.prepare(`SELECT step, row FROM history_rows WHERE ${inRun('id', '@k', '@from')} ORDER BY id LIMIT @limit`).raw(true);
  return {
    historyLines: (runKey, fromSeq, limit) => lines.all({ k: runKey, from: fromSeq, limit }) as Array<[number, string]>,
    clearRunContent(runKey) {
      delHistory.run({ k: runKey });
      delFiles.run(runKey);
      delSync.run(runKey);
      delAlerts.run(runKey);
      delSegments.run(runKey);
      store.forget(); // in-memory copies of the run's rows (held run rows, fold feeds) go with them
    },
    setCreatedAt(runKey, createdAt) {
      created.run(createdAt, runKey);
      store.forget(); // the runs family's held rows do not follow this statement
    },
    appendHistory(runKey, fromSeq, rows) {
      assertSeqFits(fromSeq + rows.length - 1);
      const args: unknown[] = new Array(BATCH * 4);
      const asBytes = rows.lineBytesAt !== undefined;
      const s = asBytes ? bytesStatements() : { one, many };
      const line = asBytes ? (i: number) => (rows.lineBytesAt as (i: number) => Uint8Array)(i) : (i: number) => rows.lineAt(i);
      let i = 0;
      for (; i + BATCH <= rows.length; i += BATCH) {
        for (let j = 0; j < BATCH; j++) {
          args[j * 4] = runKey;
          args[j * 4 + 1] = fromSeq + i + j;
          args[j * 4 + 2] = rows.stepAt(i + j);
          args[j * 4 + 3] = line(i + j);
        }
        s.many.run(args);
      }
      for (; i < rows.length; i++) s.one.run(runKey, fromSeq + i, rows.stepAt(i), line(i));
    },
    runFiles: (runKey) => files.all(runKey) as Array<{ name: string; path: string }>,
    allRunKeys: () => (db.prepare('SELECT key FROM runs ORDER BY created_at, key').all() as Array<{ key: number }>).map((r) => r.key),
  };
}
