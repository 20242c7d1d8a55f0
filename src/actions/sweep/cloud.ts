import type { CloudSweeps } from '../../sweep-runs/index.js';
import type { ActionContext } from '../context.js';
import { claimRemote, heartbeat } from './online.js';
import { importRemoteSweep } from '../../online/sweeps.js';

/** W&B's sweep controller for the state machine, through this call's connection (online mode). */
export function cloudSweeps(ctx: ActionContext): CloudSweeps {
  return {
    importSweep: (store, sweepId) => importRemoteSweep(ctx, store, sweepId, ctx.warn),
    claim: (store, sweep, runState) => claimRemote(ctx, store, sweep, runState),
    heartbeat: (store, sweep, live, runState) => heartbeat(ctx, store, sweep, live, runState),
  };
}
