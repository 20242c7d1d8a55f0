import type { Store } from '../store/index.js';

/** The store as the sweep run state machine reads it (`store.sweeps`, `store.sweepMetrics`, built once per store by openStore). */
export type SweepStore = Store;
