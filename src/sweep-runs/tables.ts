import type { Store } from '../store/index.js';
import { createSweepsTable, type SweepsTable } from '../store/sweeps.js';
import { createSweepMetricsTable, type SweepMetricsTable } from '../store/sweep-metrics.js';

/**
 * A store with its sweep tables, as the sweep run state machine reads them (`store.sweeps`,
 * `store.sweepMetrics`). Built once per open store by whoever holds it (an agent, a runner's memo):
 * the log hook runs on every log of a sweep run, and preparing the statements per call would cost
 * more than the log itself.
 */
export type SweepStore = Store & { readonly sweeps: SweepsTable; readonly sweepMetrics: SweepMetricsTable };

/** The store with its sweep tables prepared (the same store, when it already carries them). */
export function withSweepTables(store: Store): SweepStore {
  const s = store as Partial<SweepStore> & Store;
  if (s.sweeps !== undefined && s.sweepMetrics !== undefined) return s as SweepStore;
  // Each family is prepared on first use: the crash check never reads the metric values.
  let sweeps: SweepsTable | undefined;
  let sweepMetrics: SweepMetricsTable | undefined;
  return {
    ...store,
    get sweeps() {
      return (sweeps ??= createSweepsTable(store.db));
    },
    get sweepMetrics() {
      return (sweepMetrics ??= createSweepMetricsTable(store.db));
    },
  };
}
