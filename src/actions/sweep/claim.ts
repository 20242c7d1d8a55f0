import { SkillError } from '../../errors.js';
import { createRun } from '../../runs/lifecycle.js';
import { nextSuggestion } from '../../sweeps/index.js';
import type { RunRecord, Store } from '../../store/index.js';
import type { SweepRecord, SweepState } from '../../store/sweeps.js';
import type { ActionContext } from '../context.js';
import { findSweep, loadSweep, sweepScope } from './load.js';
import { sweepRuns } from './metric-values.js';
import { sweepTables } from './tables.js';

/** The next run of a sweep, or why there is none. */
export type Claim =
  | { done: true; reason: string; sweep: SweepRecord }
  | { done: false; run: RunRecord; config: Record<string, unknown>; sweep: SweepRecord };

/** Why a sweep in this state hands out no run (its own reason when it finished by itself). */
export function notRunningReason(sweep: { state: SweepState; doneReason: string | null }): string {
  if (sweep.doneReason !== null) return sweep.doneReason;
  return sweep.state === 'PAUSED' ? 'paused' : sweep.state === 'CANCELED' ? 'canceled' : 'stopped';
}

/**
 * Takes the next suggestion of a locally controlled sweep and creates its run, in one write
 * transaction: the search reads every run of the sweep and the suggestion counter under the
 * store's write lock, so agents in several processes never get the same suggestion.
 * A sweep that ran out of runs (grid, run_cap, target) is marked FINISHED with that reason.
 */
export function claimLocal(ctx: ActionContext, store: Store, sweepId: string, runState: 'running' | 'pending'): Claim {
  return store.write((): Claim => {
    const record = findSweep(ctx, store, sweepId);
    if (record.controller !== 'local') {
      throw new SkillError('CONFLICT', `sweep ${record.id} is run by the W&B server's controller; ask for its runs in online mode`, {
        details: { issues: [{ path: 'mode', message: 'this sweep needs online mode' }] },
      });
    }
    if (record.state !== 'RUNNING') return { done: true, reason: notRunningReason(record), sweep: record };
    const sweep = loadSweep(ctx, store, record);
    const views = sweepRuns(store, sweep);
    const s = nextSuggestion(sweep.config, views.map((v) => v.observation), { seed: record.seed, index: record.suggestions });
    const nowSec = ctx.now() / 1000;
    const { sweeps } = sweepTables(store);
    if (s.done) {
      sweeps.setState(record.key, 'FINISHED', s.reason, nowSec);
      return { done: true, reason: s.reason, sweep: { ...record, state: 'FINISHED', doneReason: s.reason } };
    }
    const run = createRun(sweepScope(ctx, record), store, { state: runState, config: s.config, sweepId: record.id });
    sweeps.bumpSuggestions(record.key, nowSec);
    ctx.logger.info({ sweepId: record.id, runId: run.id }, 'sweep run created');
    return { done: false, run, config: s.config, sweep: { ...record, suggestions: record.suggestions + 1 } };
  });
}
