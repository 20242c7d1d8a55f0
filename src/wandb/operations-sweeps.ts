/**
 * Sweep, agent and report operations (PROTOCOL.md §§5, 8).
 */
import { SkillError } from '../errors.js';
import * as doc from './documents.js';
import type { GraphqlClient } from './graphql.js';

import { missing, vars } from './operation-helpers.js';

export interface UpsertSweepVars {
  /** The sweep's GraphQL node ID to update; absent to create. */
  id?: string | null;
  /** The sweep configuration as a YAML string. */
  config?: string | null;
  description?: string | null;
  entityName?: string | null;
  projectName?: string | null;
  /** JSON string (local controller: `{"schedule": [...], "earlystop": [...]}`). */
  controller?: string | null;
  scheduler?: string | null;
  /** `RUNNING` | `PAUSED` | `CANCELED` | `FINISHED`. */
  state?: string | null;
  priorRunsFilters?: string | null;
  displayName?: string | null;
}

export interface UpsertSweepResult {
  /** GraphQL node ID (for updates). */
  id: string;
  /** The sweep ID users see and runs carry. */
  name: string;
  state: string;
  entity: string | null;
  project: string | null;
  configValidationWarnings: string[];
}

/** Creates or updates a sweep. */
export async function upsertSweep(client: GraphqlClient, v: UpsertSweepVars): Promise<UpsertSweepResult> {
  type R = {
    upsertSweep: null | {
      sweep: null | { id: string; name: string; state: string; project: null | { name: string; entity: { name: string } } };
      configValidationWarnings: string[];
    };
  };
  const data = await client.request<R>({ query: doc.UPSERT_SWEEP_MUTATION, operationName: 'UpsertSweep', variables: vars(v) });
  const sweep = data.upsertSweep?.sweep;
  if (sweep === null || sweep === undefined) throw missing('UpsertSweep', 'sweep');
  return {
    id: sweep.id,
    name: sweep.name,
    state: sweep.state,
    entity: sweep.project?.entity.name ?? null,
    project: sweep.project?.name ?? null,
    configValidationWarnings: data.upsertSweep?.configValidationWarnings ?? [],
  };
}

export interface SweepState {
  id: string;
  name: string;
  state: string;
  config: string;
  controller: string | null;
  scheduler: string | null;
  runCount: number;
}

/** Reads a sweep's state and controller fields; null when the sweep does not exist. */
export async function sweepState(client: GraphqlClient, v: { entity?: string | null; project?: string | null; sweep: string }): Promise<SweepState | null> {
  type R = { project: null | { sweep: SweepState | null } };
  const data = await client.request<R>({ query: doc.SWEEP_STATE_QUERY, operationName: 'GetSweepState', variables: vars(v) });
  return data.project?.sweep ?? null;
}

/** Registers a sweep agent; returns the agent's ID for heartbeats. */
export async function createAgent(
  client: GraphqlClient,
  v: { host: string; projectName?: string | null; entityName?: string | null; sweep: string },
): Promise<{ id: string }> {
  type R = { createAgent: null | { agent: { id: string } | null } };
  const data = await client.request<R>({ query: doc.CREATE_AGENT_MUTATION, operationName: 'CreateAgent', variables: vars(v) });
  const agent = data.createAgent?.agent;
  if (agent === null || agent === undefined) throw missing('CreateAgent', 'agent');
  return { id: agent.id };
}

/** One command from the sweep server (`run`, `resume`, `stop`, `exit`, ...). */
export interface AgentCommand {
  type: string;
  run_id?: string;
  program?: string;
  args?: Record<string, { value: unknown }>;
  [key: string]: unknown;
}

/**
 * Agent heartbeat: `runState` maps run IDs still alive to `true`. Returns the server's commands
 * (W&B sends them as a JSON string holding an array).
 */
export async function agentHeartbeat(
  client: GraphqlClient,
  v: { id: string; metrics?: Record<string, unknown>; runState?: Record<string, boolean> },
): Promise<AgentCommand[]> {
  type R = { agentHeartbeat: null | { agent: { id: string } | null; commands: string | null } };
  const data = await client.request<R>({
    query: doc.AGENT_HEARTBEAT_MUTATION,
    operationName: 'Heartbeat',
    variables: { id: v.id, metrics: JSON.stringify(v.metrics ?? {}), runState: JSON.stringify(v.runState ?? {}) },
  });
  const raw = data.agentHeartbeat?.commands;
  if (raw === null || raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new SkillError('BACKEND_UNAVAILABLE', 'Heartbeat: the server sent commands that are not JSON', { cause, details: { operation: 'Heartbeat' } });
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((c): c is AgentCommand => c !== null && typeof c === 'object' && typeof (c as { type?: unknown }).type === 'string');
}

/** Creates the project if missing (reports need it). */
export async function upsertModel(
  client: GraphqlClient,
  v: { name: string; entityName?: string | null },
): Promise<{ id: string; name: string; entityName: string; inserted: boolean }> {
  type R = { upsertModel: null | { project: null | { id: string; name: string; entityName: string }; inserted: boolean | null } };
  const data = await client.request<R>({ query: doc.UPSERT_MODEL_MUTATION, operationName: 'UpsertModel', variables: vars(v) });
  const project = data.upsertModel?.project;
  if (project === null || project === undefined) throw missing('UpsertModel', 'project');
  return { ...project, inserted: data.upsertModel?.inserted === true };
}

export interface UpsertViewVars {
  id?: string | null;
  entityName: string;
  projectName: string;
  /** `runs` for a report, `runs/draft` for a draft. */
  type?: string;
  name?: string;
  displayName?: string;
  description?: string;
  /** The report spec as a JSON string. */
  spec: string;
}

export interface UpsertedView {
  id: string;
  name: string | null;
  displayName: string | null;
  type: string | null;
  inserted: boolean;
}

/** Creates or updates a report (a `View` of type `runs`). */
export async function upsertView(client: GraphqlClient, v: UpsertViewVars): Promise<UpsertedView> {
  type R = {
    upsertView: null | { view: null | { id: string; name: string | null; displayName: string | null; type: string | null }; inserted: boolean | null };
  };
  const data = await client.request<R>({
    query: doc.UPSERT_VIEW_MUTATION,
    operationName: 'upsertView',
    variables: vars({ type: 'runs', ...v }),
  });
  const view = data.upsertView?.view;
  if (view === null || view === undefined) throw missing('upsertView', 'view');
  return { id: view.id, name: view.name, displayName: view.displayName, type: view.type, inserted: data.upsertView?.inserted === true };
}

/** A view-only access token for a report; the share link is the report URL with `?accessToken=<token>`. */
export async function createAccessToken(client: GraphqlClient, v: { viewId: string; entityName: string; projectName: string }): Promise<string> {
  type R = { createAccessToken: null | { accessToken: null | { token: string } } };
  const data = await client.request<R>({
    query: doc.CREATE_ACCESS_TOKEN_MUTATION,
    operationName: 'CreateAccessToken',
    variables: { viewId: v.viewId, projects: [{ entityName: v.entityName, projectName: v.projectName }] },
  });
  const token = data.createAccessToken?.accessToken?.token;
  if (token === undefined || token === null) throw missing('createAccessToken', 'accessToken');
  return token;
}
