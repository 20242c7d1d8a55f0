import { openStoreDb, type StoreOptions, type StoreDb } from './db.js';
import { createRunsTable, type RunsTable } from './runs.js';
import { createHistoryTable, type HistoryTable } from './history.js';

export type { RunRecord, RunState, NewRun, RunProgress, RunMeta } from './runs.js';
export type { HistoryRow } from './history.js';
export type { StoreOptions } from './db.js';

/** The embedded store: one SQLite file, its tables, and a write-transaction helper. */
import { type SummaryCache, createSummaryCache } from './summary-cache.js';

export interface Store {
  readonly path: string;
  readonly runs: RunsTable;
  readonly history: HistoryTable;
  readonly db: StoreDb;
  /** In-memory summaries of runs this process logged to (see summary-cache.ts). */
  readonly summaries: SummaryCache;
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
    summaries: createSummaryCache(),
    write: (fn) => db.write(fn),
    close: () => db.close(),
  };
}
