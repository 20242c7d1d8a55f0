import { openStoreDb, type StoreOptions, type StoreDb } from './db.js';
import { createRunsTable, type RunsTable } from './runs.js';
import { createHistoryTable, type HistoryTable } from './history.js';

export type { RunRecord, RunState, NewRun, RunProgress, RunMeta } from './runs.js';
export type { HistoryRow } from './history.js';
export type { StoreOptions } from './db.js';

/** The embedded store: one SQLite file, its tables, and a write-transaction helper. */
export interface Store {
  readonly path: string;
  readonly runs: RunsTable;
  readonly history: HistoryTable;
  readonly db: StoreDb;
  write<T>(fn: () => T): T;
  close(): void;
}

export function openStore(options: StoreOptions): Store {
  const db = openStoreDb(options);
  return {
    path: db.path,
    db,
    runs: createRunsTable(db),
    history: createHistoryTable(db),
    write: (fn) => db.write(fn),
    close: () => db.close(),
  };
}
