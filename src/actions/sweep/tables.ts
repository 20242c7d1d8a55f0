import type { Store } from '../../store/index.js';
import type { StoreDb } from '../../store/db.js';
import { createSweepsTable, type SweepsTable } from '../../store/sweeps.js';
import { createSweepMetricsTable, type SweepMetricsTable } from '../../store/sweep-metrics.js';

export interface SweepTables {
  sweeps: SweepsTable;
  metrics: SweepMetricsTable;
}

// Statements are prepared once per open connection: the log hook runs on every log of a sweep run,
// and preparing ten statements per call would cost more than the log itself. Keyed weakly by the
// connection, so a closed store's statements go with it.
const prepared = new WeakMap<StoreDb, SweepTables>();

/** The sweeps tables of an open store. */
export function sweepTables(store: Store): SweepTables {
  let t = prepared.get(store.db);
  if (t === undefined) {
    t = { sweeps: createSweepsTable(store.db), metrics: createSweepMetricsTable(store.db) };
    prepared.set(store.db, t);
  }
  return t;
}
