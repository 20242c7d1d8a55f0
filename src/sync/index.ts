/**
 * `sync`: the shell-level entry that sends a store's unsent runs and artifacts to W&B. It opens its
 * own session (services, settings, store) from runner options; `syncStore` works on one given.
 */
import type { SkillOptions } from '../skill.js';
import { openSession } from '../runner/session.js';
import { syncStore, type SyncProgress, type SyncResult, type SyncSelection } from './runs.js';

export { syncStore } from './runs.js';
export { syncArtifacts, type ArtifactSyncResult } from './artifacts.js';
export { openSession, type Session, type SessionScope } from '../runner/session.js';
export type { SyncProgress, SyncResult, SyncSelection };

export interface SyncOptions extends SkillOptions, SyncSelection {
  entity?: string;
}

/**
 * `wandb-skill sync`: pushes every run of the store that has unsent data (or the ones named) to the
 * W&B server — runs logged offline become runs there with the same ids, configs and history.
 */
export async function syncRuns(options: SyncOptions = {}): Promise<SyncResult> {
  const session = openSession(options, { mode: 'online', project: options.project, entity: options.entity }, 'sync');
  try {
    return await syncStore(session.scope, session.store, options);
  } finally {
    session.close();
  }
}
