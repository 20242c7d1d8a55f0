/**
 * Fetching a project's runs from the W&B server into the store (the `query` action's `refresh`):
 * runs made elsewhere (by others in a team project) become read-only rows beside the local runs,
 * so every query answers from one store. Config values arrive as W&B keeps them (`{value, desc}`)
 * and are unwrapped; `_wandb` stays on the server.
 */
import { parseExtended, stringifyExtended } from '../json/extended-json.js';
import type { MirroredRun, Store } from '../store/index.js';
import { projectRuns, type RemoteRun } from '../wandb/operations.js';
import { connect } from './connection.js';
import type { OnlineScope } from './scope.js';

/** Runs per GraphQL page, and pages per refresh at most (a refresh is bounded like every answer). */
const PAGE = 200;
const MAX_PAGES = 50;
const STATES = new Set(['running', 'finished', 'failed', 'crashed', 'killed', 'pending']);

export interface RefreshResult {
  project: string;
  entity: string;
  fetched: number;
  added: number;
  updated: number;
  /** Runs the store made itself (the local copy is the truth; left as they are). */
  local: number;
  /** More runs were on the server than one refresh reads. */
  more: boolean;
}

function parseObject(text: string | null): Record<string, unknown> {
  if (text === null || text === '') return {};
  try {
    const v = parseExtended(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** W&B's stored config (`{"lr": {"value": 0.01, "desc": null}}`) as the plain config a run was given. */
function unwrapConfig(text: string | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parseObject(text))) {
    if (k === '_wandb') continue;
    out[k] = v !== null && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v;
  }
  return out;
}

const seconds = (iso: string | null, fallback: number): number => {
  const ms = iso === null ? NaN : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? fallback : ms / 1000;
};

function toMirrored(r: RemoteRun, project: string, entity: string, nowSec: number): MirroredRun {
  const state = r.state === null ? 'finished' : STATES.has(r.state) ? r.state : r.state === 'preempted' || r.state === 'preempting' ? 'crashed' : 'finished';
  const createdAt = seconds(r.createdAt, nowSec);
  return {
    project,
    entity,
    id: r.name,
    storageId: r.id,
    displayName: r.displayName ?? r.name,
    state,
    config: stringifyExtended(unwrapConfig(r.config)),
    summary: stringifyExtended(parseObject(r.summaryMetrics)),
    tags: r.tags ?? [],
    notes: r.notes,
    group: r.group,
    jobType: r.jobType,
    username: r.user?.username ?? null,
    host: r.host,
    sweepId: r.sweepName,
    createdAt,
    heartbeatAt: seconds(r.heartbeatAt, createdAt),
    finished: state !== 'running' && state !== 'pending',
    historyLines: r.historyLineCount ?? 0,
  };
}

/** Reads the project's runs from the server (newest first, at most 10,000) and stores the ones this store did not make. */
export async function refreshProjectRuns(scope: OnlineScope, store: Store, project: string): Promise<RefreshResult> {
  const conn = await connect(scope);
  const result: RefreshResult = { project, entity: conn.entity, fetched: 0, added: 0, updated: 0, local: 0, more: false };
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const got = await projectRuns(conn.client, { entity: conn.entity, project, first: PAGE, after, order: '-created_at' });
    if (got === undefined) break;
    const nowSec = scope.now() / 1000;
    store.write(() => {
      for (const r of got.runs) result[store.runMirrors.upsert(toMirrored(r, project, conn.entity, nowSec), conn.baseUrl, nowSec)] += 1;
    });
    result.fetched += got.runs.length;
    if (!got.hasNextPage || got.endCursor === null || got.runs.length === 0) return result;
    after = got.endCursor;
  }
  result.more = after !== null;
  return result;
}
