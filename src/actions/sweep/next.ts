import { runUrl } from '../../runs/lifecycle.js';
import { claimNext, markCrashedTrials } from '../../sweep-runs/index.js';
import type { ActionContext, ActionResult } from '../context.js';
// The W&B half loads only for a next call (it brings the W&B client and YAML), never on the log path.
import { cloudSweeps } from '../../sweep-runs/cloud-claims.js';
import { requireSweepId, sweepUrl } from './load.js';

/** `sweep next`: a new running run with the suggestion as its config, or `done: true` and why. */
export async function sweepNext(ctx: ActionContext): Promise<ActionResult> {
  const id = requireSweepId(ctx, 'next');
  const store = ctx.store();
  for (const crashedId of markCrashedTrials(store, ctx.liveness(), ctx.now() / 1000))
    ctx.warn(`run ${crashedId}: its agent and program are gone; marked crashed`);
  const claim = await claimNext(ctx, store, id, 'running', cloudSweeps(ctx));
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
