/**
 * Runs whose processes died without ending them: W&B shows such a run as crashed once its
 * heartbeats stop. Here an agent records, with the claim, itself as a trial's owner, then the
 * trial's process beside it; a createTracker run records its process at init (sweep_run_owners).
 * When both are gone and the run is still active, the run is ended `crashed`.
 * Only processes of this host can be checked; a trial of another host is left alone.
 */
import type { Liveness } from '../../liveness.js';
import type { Store } from '../../store/index.js';
import { endRun } from './end-run.js';
import { sweepTables } from './tables.js';

/** Marks crashed every active trial of this host whose processes are gone; returns their run ids. */
export function markCrashedTrials(store: Store, liveness: Liveness, nowSec: number): string[] {
  const { sweeps } = sweepTables(store);
  const dead = (): Array<{ runKey: number }> => sweeps.ownedOn(liveness.host).filter((o) => !liveness.isAlive(o.pid) && !liveness.isAlive(o.agentPid));
  if (dead().length === 0) return [];
  return store.write(() => {
    const crashed: string[] = [];
    // Checked again under the write lock: the agent may have ended the trial meanwhile.
    for (const { runKey } of dead()) {
      const run = store.runs.getByKey(runKey);
      if (run !== undefined && endRun(store, run, 'crashed', null, nowSec)) crashed.push(run.id);
      sweeps.clearOwner(runKey);
    }
    return crashed;
  });
}
