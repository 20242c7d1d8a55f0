import { SkillError } from '../errors.js';
import { claimLocal, needsOnline, type Claim, type ClaimedRunState } from './claim.js';
import type { CloudSweeps } from './cloud.js';
import { findSweep } from './load.js';
import type { SweepRunScope } from './scope.js';
import type { SweepStore } from './tables.js';

/**
 * The next run of a sweep, created in the store with the suggestion as its config: from this
 * store's search for a local sweep, from W&B's controller (`cloud`, online) for a cloud sweep.
 * `runState` is `running` for callers that log directly, `pending` for agent children that init.
 */
export async function claimNext(scope: SweepRunScope, store: SweepStore, sweepId: string, runState: ClaimedRunState, cloud?: CloudSweeps): Promise<Claim> {
  const online = scope.settings.mode === 'online' ? cloud : undefined;
  let record;
  try {
    record = findSweep(scope.settings, store, sweepId);
  } catch (err) {
    // Online, a sweep created on another machine is learnt from the server.
    if (!(err instanceof SkillError && err.code === 'NOT_FOUND' && online !== undefined)) throw err;
    record = await online.importSweep(store, sweepId);
  }
  if (record.controller === 'cloud') {
    if (online === undefined) throw needsOnline(record);
    return online.claim(store, record, runState);
  }
  return claimLocal(scope, store, record.id, runState);
}
