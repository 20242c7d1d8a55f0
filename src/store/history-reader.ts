import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { nativeBinding } from './db.js';
import type { StoreDb } from './db.js';
import { createHistoryTable, type HistoryTable } from './history.js';

/** A read-only view of a store's history on its own connection (a worker thread's). */
export interface HistoryReader {
  readonly history: HistoryTable;
  close(): void;
}

/**
 * Opens a store's file read-only for history reads: SQLite's WAL lets a second connection (a worker
 * thread's) read beside the writer. No migrations run; the file must exist.
 */
export function openHistoryReader(path: string, addon: string | undefined = nativeBinding()): HistoryReader {
  const db = new Database(path, { readonly: true, fileMustExist: true, ...(addon !== undefined ? { nativeBinding: addon } : {}) });
  const st = statSync(path);
  const storeDb: StoreDb = {
    path,
    file: { dev: st.dev, ino: st.ino },
    db,
    write: () => {
      throw new Error('the history reader is read-only');
    },
    otherCommits: () => db.pragma('data_version', { simple: true }) as number,
    backgroundCheckpoints: () => 0,
    onForget: () => undefined,
    forget: () => undefined,
    close: () => db.close(),
  };
  return { history: createHistoryTable(storeDb), close: () => db.close() };
}
