import type { Store } from '../../store/index.js';
import { createSweepsTable, type SweepsTable } from '../../store/sweeps.js';
import { createSweepMetricsTable, type SweepMetricsTable } from '../../store/sweep-metrics.js';
import { withSweepTables, type SweepStore } from '../../sweep-runs/index.js';
import type { ActionContext } from '../context.js';

export interface SweepTables {
  sweeps: SweepsTable;
  metrics: SweepMetricsTable;
}

/** The sweeps tables of an open store, prepared now (for the rare calls: a cloud sweep's server answers). */
export function sweepTables(store: Store): SweepTables {
  return { sweeps: createSweepsTable(store.db), metrics: createSweepMetricsTable(store.db) };
}

/**
 * The store with its sweep tables, prepared once per open store and runner (kept in the runner's
 * memo, so a closed and reopened store gets fresh statements): the log hook runs on every log of a
 * sweep run, and preparing the statements per call would cost more than the log itself.
 */
export function sweepStoreOf(ctx: Pick<ActionContext, 'cache'>, store: Store): SweepStore {
  const key = `sweep-tables:${store.path}`;
  const cached = ctx.cache.get(key) as SweepStore | undefined;
  if (cached !== undefined && cached.db === store.db) return cached;
  const made = withSweepTables(store);
  ctx.cache.set(key, made);
  return made;
}
