/**
 * Sweeps on the W&B server (PROTOCOL.md §5): creating one (UpsertSweep), its state, a copy of a sweep
 * made elsewhere, and this process's agent (CreateAgent, AgentHeartbeat). What the commands of a
 * heartbeat mean for the store is the sweep run state machine's business, not this module's.
 */
import { stringify as toYaml, parse as parseYaml } from 'yaml';
import { SkillError } from '../errors.js';
import { toWandbSweepConfig, type SweepConfig } from '../sweeps/index.js';
import { agentHeartbeat, createAgent, sweepState, upsertSweep, type AgentCommand, type UpsertSweepResult } from '../wandb/operations-sweeps.js';
import type { Store } from '../store/index.js';
import { type SweepRecord, type SweepState } from '../store/sweeps.js';
import { connect, type Connection } from './connection.js';
import type { OnlineScope } from './scope.js';

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
export async function setRemoteState(scope: OnlineScope, sweep: SweepRecord, state: SweepState): Promise<void> {
  const conn = await connect(scope);
  const remoteId = sweep.remoteId ?? (await sweepState(conn.client, { entity: sweep.entity ?? conn.entity, project: sweep.project, sweep: sweep.id }))?.id;
  if (remoteId === undefined)
    throw new SkillError('NOT_FOUND', `sweep ${sweep.id} does not exist on the W&B server`, {
      details: { issues: [{ path: 'sweepId', message: 'not on the server' }] },
    });
  await upsertSweep(conn.client, { id: remoteId, state, entityName: sweep.entity ?? conn.entity, projectName: sweep.project });
}

/** The sweep's state on the server, or undefined when the server does not know it. */
export async function remoteState(scope: OnlineScope, sweep: SweepRecord): Promise<SweepState | undefined> {
  const conn = await connect(scope);
  const st = await sweepState(conn.client, { entity: sweep.entity ?? conn.entity, project: sweep.project, sweep: sweep.id });
  return st === null ? undefined : localState(st.state);
}

/** Records locally a sweep created elsewhere (another machine), from the server's copy. */
export async function importRemoteSweep(scope: OnlineScope, store: Store, sweepId: string): Promise<SweepRecord> {
  const conn = await connect(scope);
  const project = scope.settings.project;
  const st = await sweepState(conn.client, { entity: conn.entity, project, sweep: sweepId });
  if (st === null) {
    throw new SkillError('NOT_FOUND', `sweep ${sweepId} does not exist in ${conn.entity}/${project}`, {
      details: { issues: [{ path: 'sweepId', message: 'no such sweep' }] },
    });
  }
  let config: Record<string, unknown> = {};
  try {
    const parsed: unknown = parseYaml(st.config);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) config = parsed as Record<string, unknown>;
  } catch {
    scope.warn(`sweep ${sweepId}: the server's config is not YAML; recorded without it`);
  }
  const sweeps = store.sweeps;
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
        now: scope.now() / 1000,
      }),
  );
}

/** This process's agent for a cloud sweep, registered once (createAgent) and kept in the runner's cache. */
export async function agentFor(scope: OnlineScope, conn: Connection, sweep: SweepRecord): Promise<string> {
  const key = `sweep-agent:${conn.baseUrl}:${sweep.entity ?? conn.entity}/${sweep.project}/${sweep.id}`;
  const cached = scope.cache.get(key);
  if (typeof cached === 'string') return cached;
  const { id } = await createAgent(conn.client, {
    host: scope.settings.host,
    entityName: sweep.entity ?? conn.entity,
    projectName: sweep.project,
    sweep: sweep.id,
  });
  scope.cache.set(key, id);
  return id;
}

/** One heartbeat of this process's agent (`live`: the runs it still runs); returns the server's commands. */
export async function agentHeartbeatCommands(scope: OnlineScope, sweep: SweepRecord, live: readonly string[]): Promise<AgentCommand[]> {
  const conn = await connect(scope);
  const id = await agentFor(scope, conn, sweep);
  const runStates: Record<string, boolean> = {};
  for (const r of live) runStates[r] = true;
  return agentHeartbeat(conn.client, { id, runState: runStates });
}
