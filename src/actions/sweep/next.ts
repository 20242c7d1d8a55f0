import { SkillError } from '../../errors.js';
import { runUrl } from '../../runs/lifecycle.js';
import type { Store } from '../../store/index.js';
import type { ActionContext, ActionResult } from '../context.js';
import { claimLocal, type Claim } from './claim.js';
import { findSweep, requireSweepId, sweepUrl } from './load.js';
import { claimRemote } from './online.js';
import { importRemoteSweep } from '../../online/sweeps.js';
import { markCrashedTrials } from './crashed.js';
import { livenessOf } from '../../liveness.js';

/**
 * The next run of a sweep, created in the store with the suggestion as its config: from this
 * store's search for a local sweep, from W&B's controller for a cloud sweep (online).
 * `runState` is `running` for callers that log directly, `pending` for agent children that init.
 */
export async function claimNext(ctx: ActionContext, store: Store, sweepId: string, runState: 'running' | 'pending'): Promise<Claim> {
  let record;
  try {
    record = findSweep(ctx, store, sweepId);
  } catch (err) {
    // Online, a sweep created on another machine is learnt from the server.
    if (!(err instanceof SkillError && err.code === 'NOT_FOUND' && ctx.settings.mode === 'online')) throw err;
    record = await importRemoteSweep(ctx, store, sweepId, ctx.warn);
  }
  if (record.controller === 'cloud') {
    if (ctx.settings.mode !== 'online') {
      throw new SkillError('CONFLICT', `sweep ${record.id} is run by the W&B server's controller; ask for its runs in online mode`, {
        details: { issues: [{ path: 'mode', message: 'this sweep needs online mode' }] },
      });
    }
    return claimRemote(ctx, store, record, runState);
  }
  return claimLocal(ctx, store, record.id, runState);
}

/** `sweep next`: a new running run with the suggestion as its config, or `done: true` and why. */
export async function sweepNext(ctx: ActionContext): Promise<ActionResult> {
  const id = requireSweepId(ctx, 'next');
  const store = ctx.store();
  for (const crashedId of markCrashedTrials(store, livenessOf(ctx), ctx.now() / 1000)) ctx.warn(`run ${crashedId}: its agent and program are gone; marked crashed`);
  const claim = await claimNext(ctx, store, id, 'running');
  const { sweep } = claim;
  const base = {
    sweepId: sweep.id,
    sweepUrl: sweepUrl(ctx, sweep),
    project: sweep.project,
    ...(sweep.entity !== null ? { entity: sweep.entity } : {}),
  };
  if (claim.done) return { ...base, done: true, doneReason: claim.reason, sweep: { id: sweep.id, state: sweep.state, doneReason: claim.reason } };
  const { run, config } = claim;
  return {
    ...base,
    runId: run.id,
    runUrl: runUrl(ctx, run),
    runName: run.displayName,
    state: run.state,
    done: false,
    suggestion: { runId: run.id, config },
    storePath: store.path,
  };
}
