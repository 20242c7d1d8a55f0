/**
 * Runs whose processes died without ending them: W&B shows such a run as crashed once its
 * heartbeats stop. Here an agent records, with the claim, itself as a trial's owner, then the
 * trial's process beside it; a createTracker run records its process at init (sweep_run_owners).
 * When both are gone and the run is still active, the run is ended `crashed`.
 * Only processes of this host can be checked; a trial of another host is left alone.
 */
import type { Liveness } from '../liveness.js';
import type { RunRecord } from '../store/index.js';
import { endRun } from './end-run.js';
import type { SweepStore } from './tables.js';

/** Marks crashed every active trial of this host whose processes are gone; returns their run ids. */
export function markCrashedTrials(store: SweepStore, liveness: Liveness, nowSec: number): string[] {
  const dead = (): Array<{ runKey: number }> => store.sweeps.ownedOn(liveness.host).filter((o) => !liveness.isAlive(o.pid) && !liveness.isAlive(o.agentPid));
  if (dead().length === 0) return [];
  return store.write(() => {
    const crashed: string[] = [];
    // Checked again under the write lock: the agent may have ended the trial meanwhile.
    for (const { runKey } of dead()) {
      const run = store.runs.getByKey(runKey);
      if (run !== undefined && endRun(store, run, 'crashed', null, nowSec)) crashed.push(run.id);
      store.sweeps.clearOwner(runKey);
    }
    return crashed;
  });
}

/**
 * Records who works on a trial (in its own write): the trial's process (`pid`; the agent itself for
 * an in-process function) and the agent. If both die, a later check marks the run crashed.
 */
export function recordTrialOwner(store: SweepStore, run: RunRecord, liveness: Liveness, pid: number | undefined, nowSec: number): void {
  store.write(() => store.sweeps.setOwner(run.key, { host: liveness.host, pid: pid ?? liveness.pid, agentPid: liveness.pid }, nowSec));
}
