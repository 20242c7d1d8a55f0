import type { ActionContext } from '../actions/context.js';
import { endRun } from '../actions/sweep/end-run.js';
import type { RunRecord, Store } from '../store/index.js';
import { sweepTables } from '../actions/sweep/tables.js';

/**
 * Ends a trial's run the way every agent does (a child process or a function): `killed` when the
 * sweep stopped it, `crashed` when its process died from a signal nobody sent it (no exit code),
 * else `finished` or `failed` by its exit code. Returns the run as stored.
 */
export function endTrial(ctx: ActionContext, store: Store, run: RunRecord, stopReason: string | undefined, exitCode: number | null): RunRecord {
  return store.write(() => {
    const current = store.runs.get(run.project, run.id) as RunRecord;
    const state = stopReason !== undefined ? 'killed' : exitCode === null ? 'crashed' : exitCode === 0 ? 'finished' : 'failed';
    endRun(store, current, state, exitCode, ctx.now() / 1000);
    sweepTables(store).sweeps.clearOwner(current.key);
    return store.runs.get(run.project, run.id) as RunRecord;
  });
}
