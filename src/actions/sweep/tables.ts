import type { Store } from '../../store/index.js';
import type { SweepsTable } from '../../store/sweeps.js';
import type { SweepMetricsTable } from '../../store/sweep-metrics.js';

export interface SweepTables {
  sweeps: SweepsTable;
  metrics: SweepMetricsTable;
}

/** The sweeps tables of an open store (each family is built once per store, by openStore). */
export function sweepTables(store: Store): SweepTables {
  return { sweeps: store.sweeps, metrics: store.sweepMetrics };
}
