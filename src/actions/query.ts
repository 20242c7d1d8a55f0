/**
 * `query`: reads back what was tracked, with W&B's public-API semantics and names: runs of a
 * project by MongoDB-style filters and an order (`api.runs`), one run (`api.run`), its history
 * sampled or exact (`run.history`, `run.scan_history`), a sweep with its best run
 * (`sweep.best_run()`), an artifact with its versions and lineage (`api.artifact`), the artifact
 * collections and registry links, and a comparison of runs.
 *
 * Every answer is bounded: the `query` object stays within `queryConfig.maxBytes` bytes of JSON
 * (default 64 KiB), and `query.cursor` continues a page that was cut or reads the next one. Online
 * with `refresh`, the project's runs are first fetched from the W&B server into the store (runs made
 * by others in a team project), and the answer still comes from the store.
 */
import type { ActionContext, ActionHandler, ActionResult } from './context.js';
import { DEFAULT_MAX_BYTES, decodeCursor, encodeCursor, jsonBytes, queryFingerprint } from '../query/paging.js';
import { queryRuns, queryRun, queryHistory, queryCompare } from './query/runs.js';
import { queryArtifact, queryCollections, querySweep } from './query/objects.js';
import { refreshRuns } from './query/refresh.js';

export type QueryConfig = NonNullable<ActionContext['input']['queryConfig']>;
export type QueryKind = NonNullable<QueryConfig['kind']>;

/** What a kind's reader gets: the call, its config, where to start, and how many bytes its items may take. */
export interface QueryScope {
  ctx: ActionContext;
  cfg: QueryConfig;
  kind: QueryKind;
  projects: string[];
  offset: number;
  /** Bytes the kind's items may take (the budget less the answer's own fields). */
  room: number;
}

/** A reader's answer: the fields of `query` beside kind/cursor/bytes, the offset to go on from, and the top-level output fields. */
export interface QueryPart {
  fields: Record<string, unknown>;
  next?: number | undefined;
  truncated: boolean;
  top?: ActionResult;
}

/** Room kept for `kind`, `total`, `cursor`, `truncated`, `bytes` and `refreshed` around a kind's items. */
const ENVELOPE_BYTES = 600;

const READERS: Record<QueryKind, (s: QueryScope) => QueryPart | Promise<QueryPart>> = {
  runs: queryRuns,
  run: queryRun,
  history: queryHistory,
  compare: queryCompare,
  sweep: querySweep,
  artifact: queryArtifact,
  collections: queryCollections,
};

/** The query a cursor belongs to: every field but the cursor, the page size, the budget and refresh. */
function fingerprintOf(ctx: ActionContext, cfg: QueryConfig, kind: QueryKind, projects: string[]): string {
  const { cursor: _c, perPage: _p, maxBytes: _m, refresh: _r, ...rest } = cfg;
  return queryFingerprint({ kind, projects, rest, runId: ctx.input.runId ?? null, sweepId: ctx.input.sweepId ?? null });
}

/**
 * Sets `bytes` to the object's own size (its digits included). Serialised once, with `bytes: 0`:
 * n digits in its place make the text n - 1 bytes longer (a 1 MiB answer was serialised three times).
 */
function withSize(q: Record<string, unknown>): Record<string, unknown> {
  const base = jsonBytes({ ...q, bytes: 0 }) - 1;
  let bytes = base + 1;
  while (base + String(bytes).length !== bytes) bytes = base + String(bytes).length;
  return { ...q, bytes };
}

export const query: ActionHandler = async (ctx) => {
  const cfg: QueryConfig = ctx.input.queryConfig ?? {};
  const kind: QueryKind = cfg.kind ?? 'runs';
  const projects = cfg.projects ?? [ctx.settings.project];
  const maxBytes = cfg.maxBytes ?? DEFAULT_MAX_BYTES;
  const fp = fingerprintOf(ctx, cfg, kind, projects);
  const { offset } = decodeCursor(cfg.cursor, fp);
  if (ctx.settings.mode === 'disabled') {
    ctx.warn('mode is disabled: nothing is stored, so the query reads nothing');
    return { query: withSize({ kind, truncated: false }) as NonNullable<ActionResult['query']> };
  }
  const head: Record<string, unknown> = { kind };
  if (cfg.refresh === true) {
    if (ctx.settings.mode !== 'online') ctx.warn('refresh reads the W&B server, which only an online call does; answering from the store');
    else head['refreshed'] = await refreshRuns(ctx, projects);
  }
  const room = maxBytes - ENVELOPE_BYTES - jsonBytes(head);
  const part = await READERS[kind]({ ctx, cfg, kind, projects, offset, room });
  const q: Record<string, unknown> = { ...head, ...part.fields, truncated: part.truncated };
  if (part.next !== undefined) q['cursor'] = encodeCursor(fp, { offset: part.next });
  return { project: projects[0] ?? ctx.settings.project, ...(part.top ?? {}), query: withSize(q) as NonNullable<ActionResult['query']> };
};
