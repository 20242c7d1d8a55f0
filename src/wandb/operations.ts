/**
 * Typed wrappers around the GraphQL documents in `documents.ts`: one function per operation, taking
 * the client and W&B's variable names, returning the part of `data` a caller needs.
 */
import { SkillError } from '../errors.js';
import * as doc from './documents.js';
import type { GraphqlClient } from './graphql.js';

export * from './documents.js';

import { required, vars } from './operation-helpers.js';

// ── viewer / server ────────────────────────────────────────────────────────────

export interface Viewer {
  id: string;
  entity: string | null;
  username: string | null;
  email: string | null;
  flags: string | null;
  teams: string[];
}

/** The key's user (W&B's credential check): `null` means the key is not valid for this server. */
export async function viewer(client: GraphqlClient): Promise<Viewer | null> {
  type R = { viewer: null | (Omit<Viewer, 'teams'> & { teams: { edges: { node: { name: string } | null }[] } | null }) };
  const data = await client.request<R>({ query: doc.VIEWER_QUERY, operationName: 'Viewer' });
  if (data.viewer === null) return null;
  const { teams, ...rest } = data.viewer;
  return { ...rest, teams: (teams?.edges ?? []).flatMap((e) => (e.node === null ? [] : [e.node.name])) };
}

/**
 * Feature flags the server advertises (`FILESTREAM_GZIP`, `STRUCTURED_CONSOLE_LOGS`, ...).
 * Old servers without `serverInfo.features` answer with a GraphQL error; that means "no features".
 */
export async function serverFeatures(client: GraphqlClient): Promise<Record<string, boolean>> {
  type R = { serverInfo: { features: ({ name: string; isEnabled: boolean } | null)[] | null } | null };
  let data: R;
  try {
    data = await client.request<R>({ query: doc.SERVER_FEATURES_QUERY, operationName: 'ServerFeaturesQuery' });
  } catch (err) {
    if (err instanceof SkillError && err.details?.['graphqlErrors'] !== undefined) return {};
    throw err;
  }
  const out: Record<string, boolean> = {};
  for (const f of data.serverInfo?.features ?? []) if (f !== null) out[f.name] = f.isEnabled;
  return out;
}

// ── runs ──────────────────────────────────────────────────────────────────────

export interface RunResumeStatusVars {
  entity?: string | null;
  project?: string | null;
  name: string;
}

export interface ResumeBucket {
  id: string;
  name: string;
  displayName: string | null;
  summaryMetrics: string | null;
  logLineCount: number | null;
  historyLineCount: number | null;
  eventsLineCount: number | null;
  historyTail: string | null;
  eventsTail: string | null;
  config: string | null;
  tags: string[] | null;
  notes: string | null;
  state: string | null;
  sweepName: string | null;
  wandbConfig: string | null;
}

export interface RunResumeStatus {
  /** The project, or null when it does not exist. */
  project: { id: string; name: string; entity: string } | null;
  /** The run, or null when it does not exist. */
  bucket: ResumeBucket | null;
  /** W&B's "exists" rule for resume: the run is there and its `_wandb` config has `t` (PROTOCOL.md §2.3). */
  exists: boolean;
}

/** Reads what a resume needs: offsets, old config and summary, history tail. */
export async function runResumeStatus(client: GraphqlClient, v: RunResumeStatusVars): Promise<RunResumeStatus> {
  type R = {
    model: null | { id: string; name: string; entity: { id: string; name: string }; bucket: ResumeBucket | null };
  };
  const data = await client.request<R>({ query: doc.RUN_RESUME_STATUS_QUERY, operationName: 'RunResumeStatus', variables: vars(v) });
  if (data.model === null) return { project: null, bucket: null, exists: false };
  const bucket = data.model.bucket;
  let exists = false;
  if (bucket !== null && bucket.wandbConfig !== null) {
    try {
      const parsed: unknown = JSON.parse(bucket.wandbConfig);
      exists = parsed !== null && typeof parsed === 'object' && 't' in parsed;
    } catch {
      exists = false;
    }
  }
  return { project: { id: data.model.id, name: data.model.name, entity: data.model.entity.name }, bucket, exists };
}

/** Variables of `UpsertBucket`; `name` is the run ID. Absent fields are left unchanged by the server. */
export interface UpsertBucketVars {
  id?: string | null;
  name: string;
  project?: string | null;
  entity?: string | null;
  groupName?: string | null;
  description?: string | null;
  displayName?: string | null;
  notes?: string | null;
  commit?: string | null;
  /** JSON string in W&B's `{"k": {"value": v}}` encoding (see config-encoding.ts). */
  config?: string | null;
  host?: string | null;
  debug?: boolean | null;
  program?: string | null;
  repo?: string | null;
  jobType?: string | null;
  state?: string | null;
  sweep?: string | null;
  tags?: string[] | null;
  summaryMetrics?: string | null;
}

export interface UpsertedBucket {
  id: string;
  name: string;
  displayName: string | null;
  description: string | null;
  config: string | null;
  sweepName: string | null;
  historyLineCount: number | null;
  project: { id: string; name: string; entity: { id: string; name: string } } | null;
}

export interface UpsertBucketResult {
  bucket: UpsertedBucket;
  inserted: boolean;
}

/** Creates or updates a run; the answer carries the storage ID and canonical entity/project. */
export async function upsertBucket(client: GraphqlClient, v: UpsertBucketVars): Promise<UpsertBucketResult> {
  type R = { upsertBucket: { bucket: UpsertedBucket | null; inserted: boolean | null } | null };
  const data = await client.request<R>({
    query: doc.UPSERT_BUCKET_MUTATION,
    operationName: 'UpsertBucket',
    variables: vars(v),
    // W&B retries 409 for UpsertBucket only; the default retry set already includes it.
  });
  const payload = required(data.upsertBucket, 'UpsertBucket', 'payload');
  return { bucket: required(payload.bucket, 'UpsertBucket', 'run'), inserted: payload.inserted === true };
}

export interface CreateRunFilesVars {
  entity: string;
  project: string;
  run: string;
  files: string[];
}

export interface CreateRunFilesResult {
  runID: string;
  uploadHeaders: string[];
  files: { name: string; uploadUrl: string | null }[];
}

/** Asks for signed upload URLs for run files (run-relative paths with `/`). */
export async function createRunFiles(client: GraphqlClient, v: CreateRunFilesVars): Promise<CreateRunFilesResult> {
  type R = { createRunFiles: CreateRunFilesResult | null };
  const data = await client.request<R>({ query: doc.CREATE_RUN_FILES_MUTATION, operationName: 'CreateRunFiles', variables: vars(v) });
  return required(data.createRunFiles, 'CreateRunFiles', 'payload');
}

export type AlertSeverity = 'INFO' | 'WARN' | 'ERROR';

export interface NotifyScriptableRunAlertVars {
  entityName: string;
  projectName: string;
  runName: string;
  title: string;
  text: string;
  severity?: AlertSeverity;
  /** Milliseconds before another alert with the same title is sent (W&B's default 60 000). */
  waitDuration?: number;
}

/** Sends a run alert (`run.alert`); returns the server's `success`. */
export async function notifyScriptableRunAlert(client: GraphqlClient, v: NotifyScriptableRunAlertVars): Promise<boolean> {
  type R = { notifyScriptableRunAlert: { success: boolean } | null };
  const data = await client.request<R>({
    query: doc.NOTIFY_SCRIPTABLE_RUN_ALERT_MUTATION,
    operationName: 'NotifyScriptableRunAlert',
    variables: vars(v),
  });
  return data.notifyScriptableRunAlert?.success === true;
}

/** Asks the server to stop a run (by storage ID); the run sees `{"stopped": true}` on its file stream. */
export async function stopRun(client: GraphqlClient, v: { id: string }): Promise<boolean> {
  type R = { stopRun: { success: boolean } | null };
  const data = await client.request<R>({ query: doc.STOP_RUN_MUTATION, operationName: 'StopRun', variables: vars(v) });
  return data.stopRun?.success === true;
}

export * from './operations-sweeps.js';
export * from './operations-artifacts.js';
export * from './operations-runs-query.js';
