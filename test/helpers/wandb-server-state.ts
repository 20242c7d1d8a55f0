/**
 * In-memory state of the W&B-protocol test server: plain objects and Maps that tests inspect.
 */
import { randomBytes } from 'node:crypto';

export interface ServerProject {
  id: string;
  entity: string;
  name: string;
  createdAt: string;
}

export interface HistoryViolation {
  run: string;
  file: string;
  kind: 'gap' | 'overwrite' | 'duplicate-step';
  offset: number;
  expected: number;
  detail?: string;
}

export interface ServerRun {
  storageId: string;
  entity: string;
  project: string;
  name: string;
  displayName: string;
  /** The last config JSON string received (W&B encoding), and its parse. */
  configJson: string | null;
  config: Record<string, unknown> | null;
  tags: string[];
  notes: string | null;
  group: string | null;
  jobType: string | null;
  host: string | null;
  program: string | null;
  commit: string | null;
  sweepName: string | null;
  description: string | null;
  state: 'pending' | 'running' | 'finished' | 'failed' | 'crashed' | 'killed';
  exitcode: number | null;
  stopped: boolean;
  /** History lines as sent (raw text) and as parsed (extended JSON: NaN/Infinity allowed). */
  historyText: string[];
  history: unknown[];
  eventsText: string[];
  logLines: string[];
  summaryText: string | null;
  summary: Record<string, unknown>;
  /** Paths reported in file_stream `uploaded`. */
  uploaded: string[];
  /** Bytes received on signed URLs, by run-relative path. */
  files: Map<string, Buffer>;
  /** Identical lines re-sent at existing offsets (idempotent retries; not violations). */
  resentLines: number;
  fileStreamRequests: number;
  heartbeats: number;
  upserts: number;
  createdAt: string;
  heartbeatAt: string | null;
}

export interface ServerAlert {
  entity: string;
  project: string;
  runName: string;
  title: string;
  text: string;
  severity: string;
  waitDuration: number | null;
  at: number;
}

export interface ServerSweep {
  id: string;
  name: string;
  entity: string;
  project: string;
  config: string;
  state: string;
  controller: string | null;
  scheduler: string | null;
  description: string | null;
  displayName: string | null;
  /** Commands handed to the next heartbeat of any agent of this sweep (tests push here). */
  commandQueue: Record<string, unknown>[];
  /** Runs the server created for agents. */
  runIds: string[];
  /** For grid search: the next combination index. */
  gridIndex: number;
  createdAt: string;
  upserts: Record<string, unknown>[];
}

export interface ServerAgent {
  id: string;
  sweepName: string;
  entity: string;
  project: string;
  host: string;
  heartbeats: { metrics: unknown; runState: unknown }[];
}

export interface ServerArtifactFile {
  name: string;
  md5: string;
  storagePath: string;
  /** Bytes received on the signed URL. */
  data: Buffer | null;
  birthArtifactId: string;
}

export interface ServerArtifact {
  id: string;
  entity: string;
  project: string;
  type: string;
  collection: string;
  digest: string;
  state: 'PENDING' | 'COMMITTED' | 'DELETED';
  versionIndex: number | null;
  /** Aliases requested at creation, applied at commit. */
  requestedAliases: string[];
  description: string | null;
  metadata: string | null;
  runName: string | null;
  clientID: string | null;
  historyStep: number | null;
  files: Map<string, ServerArtifactFile>;
  manifest: { id: string; digest: string; type: string; storagePath: string; data: Buffer | null } | null;
  usedBy: { entity: string; project: string; runName: string; usedAs: string | null }[];
  createdAt: string;
}

export interface ServerCollection {
  id: string;
  entity: string;
  project: string;
  name: string;
  type: string;
  /** alias → artifact id */
  aliases: Map<string, string>;
  /** artifact ids in version order (committed) */
  versions: string[];
  /** portfolio (link) collections: artifact ids linked, in order */
  links: string[];
  isPortfolio: boolean;
}

export interface ServerView {
  id: string;
  entity: string;
  project: string;
  type: string;
  name: string;
  displayName: string | null;
  description: string | null;
  spec: string;
  createdAt: string;
  updatedAt: string;
}

export interface ServerState {
  viewer: { id: string; entity: string; username: string; email: string; teams: string[] };
  features: Record<string, boolean>;
  projects: Map<string, ServerProject>;
  runs: Map<string, ServerRun>;
  alerts: ServerAlert[];
  sweeps: Map<string, ServerSweep>;
  agents: Map<string, ServerAgent>;
  artifacts: Map<string, ServerArtifact>;
  collections: Map<string, ServerCollection>;
  views: Map<string, ServerView>;
  /** Share tokens made by createAccessToken: token -> the view and projects it opens. */
  accessTokens: Map<string, { viewId: string; projects: string[] }>;
  /** Signed-URL tokens the server issued: token → where the bytes go. */
  signedUrls: Map<string, SignedTarget>;
}

export type SignedTarget =
  { kind: 'run-file'; runKey: string; name: string } | { kind: 'artifact-file'; artifactId: string; name: string } | { kind: 'manifest'; artifactId: string };

export function createState(entity: string, username: string, features: Record<string, boolean>): ServerState {
  return {
    viewer: { id: nodeId('User', '1'), entity, username, email: `${username}@example.test`, teams: [] },
    features,
    projects: new Map(),
    runs: new Map(),
    alerts: [],
    sweeps: new Map(),
    agents: new Map(),
    artifacts: new Map(),
    collections: new Map(),
    views: new Map(),
    accessTokens: new Map(),
    signedUrls: new Map(),
  };
}

/** Relay-style node IDs, as W&B uses: base64("Type:n"). */
export function nodeId(type: string, n: string | number): string {
  return Buffer.from(`${type}:${n}`).toString('base64');
}

/** 8 random chars of [a-z0-9], as W&B run and sweep IDs. */
export function shortId(length = 8): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function runKey(entity: string, project: string, name: string): string {
  return `${entity}/${project}/${name}`;
}

export function ensureProject(state: ServerState, entity: string, name: string): ServerProject {
  const key = `${entity}/${name}`;
  let p = state.projects.get(key);
  if (p === undefined) {
    p = { id: nodeId('Project', state.projects.size + 1), entity, name, createdAt: new Date().toISOString() };
    state.projects.set(key, p);
  }
  return p;
}

export function newRun(state: ServerState, entity: string, project: string, name: string): ServerRun {
  const now = new Date().toISOString();
  const run: ServerRun = {
    storageId: nodeId('Run', state.runs.size + 1),
    entity,
    project,
    name,
    displayName: `run-${shortId(6)}`,
    configJson: null,
    config: null,
    tags: [],
    notes: null,
    group: null,
    jobType: null,
    host: null,
    program: null,
    commit: null,
    sweepName: null,
    description: null,
    state: 'running',
    exitcode: null,
    stopped: false,
    historyText: [],
    history: [],
    eventsText: [],
    logLines: [],
    summaryText: null,
    summary: {},
    uploaded: [],
    files: new Map(),
    resentLines: 0,
    fileStreamRequests: 0,
    heartbeats: 0,
    upserts: 0,
    createdAt: now,
    heartbeatAt: null,
  };
  state.runs.set(runKey(entity, project, name), run);
  return run;
}

export function findRunByStorageId(state: ServerState, id: string): ServerRun | undefined {
  for (const run of state.runs.values()) if (run.storageId === id) return run;
  return undefined;
}
