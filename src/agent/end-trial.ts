import type { ActionContext } from '../actions/context.js';
import { endRun } from '../actions/sweep/end-run.js';
import type { RunRecord, Store } from '../store/index.js';

/**
 * Ends a trial's run the way every agent does (a child process or a function): `killed` when the
 * sweep stopped it, else `finished` or `failed` by its exit code. Returns the run as stored.
 */
export function endTrial(ctx: ActionContext, store: Store, run: RunRecord, stopReason: string | undefined, exitCode: number | null): RunRecord {
  return store.write(() => {
    const current = store.runs.get(run.project, run.id) as RunRecord;
    const state = stopReason !== undefined ? 'killed' : exitCode === 0 ? 'finished' : 'failed';
    endRun(store, current, state, exitCode, ctx.now() / 1000);
    return store.runs.get(run.project, run.id) as RunRecord;
  });
}
