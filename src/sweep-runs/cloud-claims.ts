/**
 * A cloud sweep's runs as W&B's controller hands them out: the server half (agent, heartbeat, state)
 * is in src/online/sweeps.ts; this applies the heartbeat's commands to the store, and `cloudSweeps`
 * offers them to the state machine (claimNext, agents) as its `CloudSweeps`.
 */
import { SkillError } from '../errors.js';
import { agentHeartbeatCommands, importRemoteSweep, remoteState } from '../online/sweeps.js';
import { createRun } from '../runs/lifecycle.js';
import { fromWandbArgs } from '../sweeps/index.js';
import type { AgentCommand } from '../wandb/operations-sweeps.js';
import type { Store } from '../store/index.js';
import type { SweepRecord } from '../store/sweeps.js';
import type { CloudSweeps } from './cloud.js';
import { sweepScope, type SweepRunScope } from './scope.js';
import { notRunningReason } from './load.js';
import type { Claim } from './claim.js';

/** What one heartbeat's commands mean for this process. */
export interface HeartbeatOutcome {
  /** The run the server handed out (recorded locally), if any. */
  run?: Extract<Claim, { done: false }>;
  /** Run ids the server asked to stop (marked locally). */
  stops: string[];
  exit: boolean;
}

/**
 * Applies a heartbeat's commands to the store in one transaction: `run`/`resume` creates (or joins)
 * the local run with the server's id and parameters, `stop` marks a run to stop, `exit` ends the agent.
 */
export function applyCommands(
  ctx: SweepRunScope,
  store: Store,
  sweep: SweepRecord,
  commands: readonly AgentCommand[],
  runState: 'running' | 'pending',
): HeartbeatOutcome {
  const sweeps = store.sweeps;
  const nowSec = ctx.now() / 1000;
  return store.write(() => {
    const out: HeartbeatOutcome = { stops: [], exit: false };
    for (const c of commands) {
      if (c.type === 'stop' && typeof c.run_id === 'string') {
        const run = store.runs.get(sweep.project, c.run_id);
        if (run !== undefined) sweeps.markStop(run.key, sweep.key, 'the W&B server asked the run to stop', nowSec);
        out.stops.push(c.run_id);
      } else if ((c.type === 'run' || c.type === 'resume') && typeof c.run_id === 'string') {
        if (out.run !== undefined) {
          ctx.warn(`the server handed out run ${c.run_id} beside ${out.run.run.id}; only the first is started`);
          continue;
        }
        const config = fromWandbArgs(c.args ?? {});
        const run =
          store.runs.get(sweep.project, c.run_id) ?? createRun(sweepScope(ctx, sweep), store, { id: c.run_id, state: runState, config, sweepId: sweep.id });
        out.run = { done: false, run, config, sweep };
      } else if (c.type === 'exit') {
        out.exit = true;
      }
    }
    return out;
  });
}

/** One heartbeat of this process's agent; `live` lists the runs it still runs. */
export async function heartbeat(
  ctx: SweepRunScope,
  store: Store,
  sweep: SweepRecord,
  live: readonly string[],
  runState: 'running' | 'pending',
): Promise<HeartbeatOutcome> {
  const commands = await agentHeartbeatCommands(ctx, sweep, live);
  return applyCommands(ctx, store, sweep, commands, runState);
}

/**
 * The next run of a cloud sweep from W&B's controller: heartbeats until the server hands out a run,
 * says exit, or the sweep is no longer running; gives up with TIMEOUT after the sync timeout.
 */
export async function claimRemote(ctx: SweepRunScope, store: Store, sweep: SweepRecord, runState: 'running' | 'pending', pollMs = 1000): Promise<Claim> {
  const deadline = ctx.now() + ctx.settings.syncTimeoutMs;
  for (;;) {
    const beat = await heartbeat(ctx, store, sweep, [], runState);
    if (beat.run !== undefined) return beat.run;
    const state = await remoteState(ctx, sweep);
    if (state === undefined)
      throw new SkillError('NOT_FOUND', `sweep ${sweep.id} no longer exists on the W&B server`, {
        details: { issues: [{ path: 'sweepId', message: 'deleted on the server' }] },
      });
    if (state !== 'RUNNING') {
      // The server does not say why it finished (run_cap, grid, target): 'finished' it is.
      const doneReason = state === 'FINISHED' ? 'finished' : null;
      store.write(() => store.sweeps.setState(sweep.key, state, doneReason, ctx.now() / 1000));
      const after = { ...sweep, state, doneReason };
      return { done: true, reason: notRunningReason(after), sweep: after };
    }
    if (beat.exit) return { done: true, reason: 'agent_exit', sweep };
    if (ctx.now() + pollMs > deadline) {
      throw new SkillError('TIMEOUT', `the W&B sweep controller scheduled no run for sweep ${sweep.id} within ${ctx.settings.syncTimeoutMs} ms`);
    }
    await ctx.sleep(pollMs);
  }
}

/** W&B's sweep controller for the state machine, through this scope's connection (online mode). */
export function cloudSweeps(scope: SweepRunScope): CloudSweeps {
  return {
    importSweep: (store, sweepId) => importRemoteSweep(scope, store, sweepId),
    claim: (store, sweep, runState) => claimRemote(scope, store, sweep, runState),
    heartbeat: (store, sweep, live, runState) => heartbeat(scope, store, sweep, live, runState),
  };
}
