/**
 * `wandb-experiment-tracker/sync`: sends a store's unsent runs to a W&B server. Its own entry point,
 * so that importing the package does not load the replication of whole stores.
 */
export { syncRuns } from '../online/sync.js';
export type { SyncOptions, SyncResult, SyncProgress } from '../online/sync.js';
