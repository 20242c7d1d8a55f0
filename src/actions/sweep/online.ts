import { stringify as toYaml, parse as parseYaml } from 'yaml';
import { SkillError } from '../../errors.js';
import { connect, type Connection } from '../../online/connection.js';
import { createRun } from '../../runs/lifecycle.js';
import { fromWandbArgs, toWandbSweepConfig, type SweepConfig } from '../../sweeps/index.js';
import { agentHeartbeat, createAgent, sweepState, upsertSweep, type AgentCommand, type UpsertSweepResult } from '../../wandb/operations-sweeps.js';
import type { Store } from '../../store/index.js';
import type { SweepRecord, SweepState } from '../../store/sweeps.js';
import type { ActionContext } from '../context.js';
import { sweepScope } from './load.js';
import { sweepTables } from './tables.js';
import { notRunningReason, type Claim } from './claim.js';

/** W&B's sweep states as this store keeps them (a PENDING sweep hands out runs once an agent asks). */
export function localState(server: string): SweepState {
  return server === 'PAUSED' || server === 'FINISHED' || server === 'CANCELED' ? server : 'RUNNING';
}

/** Creates the sweep on the W&B server: the config as YAML, without this project's `seed`. */
export async function createRemoteSweep(conn: Connection, config: SweepConfig, project: string, entity: string): Promise<UpsertSweepResult> {
  return upsertSweep(conn.client, {
    config: toYaml(toWandbSweepConfig(config)),
    entityName: entity,
    projectName: project,
    ...(config.description !== undefined ? { description: config.description } : {}),
  });
}

/** Sends a state change (`PAUSED`, `RUNNING`, `FINISHED`, `CANCELED`) of a cloud sweep. */
export async function setRemoteState(ctx: ActionContext, sweep: SweepRecord, state: SweepState): Promise<void> {
  const conn = await connect(ctx);
  const remoteId = sweep.remoteId ?? (await sweepState(conn.client, { entity: sweep.entity ?? conn.entity, project: sweep.project, sweep: sweep.id }))?.id;
  if (remoteId === undefined) throw new SkillError('NOT_FOUND', `sweep ${sweep.id} does not exist on the W&B server`, { details: { issues: [{ path: 'sweepId', message: 'not on the server' }] } });
  await upsertSweep(conn.client, { id: remoteId, state, entityName: sweep.entity ?? conn.entity, projectName: sweep.project });
}

/** The sweep's state on the server, or undefined when the server does not know it. */
export async function remoteState(ctx: ActionContext, sweep: SweepRecord): Promise<SweepState | undefined> {
  const conn = await connect(ctx);
  const st = await sweepState(conn.client, { entity: sweep.entity ?? conn.entity, project: sweep.project, sweep: sweep.id });
  return st === null ? undefined : localState(st.state);
}

/** Records locally a sweep created elsewhere (another machine), from the server's copy. */
export async function importRemoteSweep(ctx: ActionContext, store: Store, sweepId: string): Promise<SweepRecord> {
  const conn = await connect(ctx);
  const project = ctx.settings.project;
  const st = await sweepState(conn.client, { entity: conn.entity, project, sweep: sweepId });
  if (st === null) {
    throw new SkillError('NOT_FOUND', `sweep ${sweepId} does not exist in ${conn.entity}/${project}`, { details: { issues: [{ path: 'sweepId', message: 'no such sweep' }] } });
  }
  let config: Record<string, unknown> = {};
  try {
    const parsed: unknown = parseYaml(st.config);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) config = parsed as Record<string, unknown>;
  } catch {
    ctx.warn(`sweep ${sweepId}: the server's config is not YAML; recorded without it`);
  }
  const { sweeps } = sweepTables(store);
  return store.write(
    () =>
      sweeps.get(project, st.name) ??
      sweeps.insert({
        id: st.name,
        project,
        entity: conn.entity,
        config,
        method: typeof config['method'] === 'string' ? config['method'] : 'unknown',
        state: localState(st.state),
        seed: st.name,
        controller: 'cloud',
        remoteId: st.id,
        now: ctx.now() / 1000,
      }),
  );
}

/** This process's agent for a cloud sweep, registered once (createAgent) and kept in the runner's cache. */
export async function agentFor(ctx: ActionContext, conn: Connection, sweep: SweepRecord): Promise<string> {
  const key = `sweep-agent:${conn.baseUrl}:${sweep.entity ?? conn.entity}/${sweep.project}/${sweep.id}`;
  const cached = ctx.cache.get(key);
  if (typeof cached === 'string') return cached;
  const { id } = await createAgent(conn.client, { host: ctx.settings.host, entityName: sweep.entity ?? conn.entity, projectName: sweep.project, sweep: sweep.id });
  ctx.cache.set(key, id);
  return id;
}

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
export function applyCommands(ctx: ActionContext, store: Store, sweep: SweepRecord, commands: readonly AgentCommand[], runState: 'running' | 'pending'): HeartbeatOutcome {
  const { sweeps } = sweepTables(store);
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
          store.runs.get(sweep.project, c.run_id) ??
          createRun(sweepScope(ctx, sweep), store, { id: c.run_id, state: runState, config, sweepId: sweep.id });
        out.run = { done: false, run, config, sweep };
      } else if (c.type === 'exit') {
        out.exit = true;
      }
    }
    return out;
  });
}

/** One heartbeat of this process's agent; `live` lists the runs it still runs. */
export async function heartbeat(ctx: ActionContext, store: Store, sweep: SweepRecord, live: readonly string[], runState: 'running' | 'pending'): Promise<HeartbeatOutcome> {
  const conn = await connect(ctx);
  const id = await agentFor(ctx, conn, sweep);
  const runStates: Record<string, boolean> = {};
  for (const r of live) runStates[r] = true;
  const commands = await agentHeartbeat(conn.client, { id, runState: runStates });
  return applyCommands(ctx, store, sweep, commands, runState);
}

/**
 * The next run of a cloud sweep from W&B's controller: heartbeats until the server hands out a run,
 * says exit, or the sweep is no longer running; gives up with TIMEOUT after the sync timeout.
 */
export async function claimRemote(ctx: ActionContext, store: Store, sweep: SweepRecord, runState: 'running' | 'pending', pollMs = 1000): Promise<Claim> {
  const deadline = ctx.now() + ctx.settings.syncTimeoutMs;
  for (;;) {
    const beat = await heartbeat(ctx, store, sweep, [], runState);
    if (beat.run !== undefined) return beat.run;
    const state = await remoteState(ctx, sweep);
    if (state === undefined) throw new SkillError('NOT_FOUND', `sweep ${sweep.id} no longer exists on the W&B server`, { details: { issues: [{ path: 'sweepId', message: 'deleted on the server' }] } });
    if (state !== 'RUNNING') {
      // The server does not say why it finished (run_cap, grid, target): 'finished' it is.
      const doneReason = state === 'FINISHED' ? 'finished' : null;
      store.write(() => sweepTables(store).sweeps.setState(sweep.key, state, doneReason, ctx.now() / 1000));
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
