/**
 * The workspace's data: the run set (as the runs table filters it) with the metric keys it logged,
 * and, per chart, the sampled series of those runs. Series answers are bounded (a point budget
 * sets the samples per run) and computed one run at a time with a yield between runs, so a small
 * request sent meanwhile is answered in between.
 */
import type { ServerResponse } from 'node:http';
import type { RunRecord, Store } from '../store/index.js';
import { baseHeaders, intParam } from './http.js';
import { runValue } from './run-filter.js';
import { runSetPage, runSetQuery, setSize } from './run-set.js';
import type { SampledCache } from './sampled-cache.js';
import type { Scope } from './scope.js';
import type { SeriesCache } from './series.js';

export interface WorkspaceDeps {
  store: Store;
  series: SeriesCache;
  sampled: SampledCache;
}

/** Most runs a workspace charts at once (W&B's default is far lower; the table still pages all). */
export const MAX_CHART_RUNS = 500;
/** Points per series answer, over all its runs and keys: about 40 bytes each in JSON. */
export const POINT_BUDGET = 90_000;

/** JSON with NaN and infinities as the strings "NaN", "Infinity", "-Infinity" (the page reads them back). */
export function sendJsonExact(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  baseHeaders(res);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

function numericLeaves(obj: Record<string, unknown>, prefix: string, into: Set<string>, depth: number): void {
  for (const k in obj) {
    if (prefix === '' && k.startsWith('_')) continue;
    const v = obj[k];
    if (typeof v === 'number') into.add(prefix + k);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 4 && !('_type' in v))
      numericLeaves(v as Record<string, unknown>, `${prefix}${k}.`, into, depth + 1);
  }
}

function runFacts(run: RunRecord, groupBy: string | null, summary: () => Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: run.id,
    name: run.displayName,
    state: run.state,
    group: run.group,
    jobType: run.jobType,
    sweepId: run.sweepId,
    rows: run.historyCount,
  };
  if (groupBy) {
    const v = runValue(run, summary(), groupBy);
    out['groupValue'] = v === undefined ? null : v;
  }
  return out;
}

/** The run set and the metric keys its runs logged (from their summaries), at most `max` runs. */
export function workspaceRuns(deps: WorkspaceDeps, scope: Scope, q: URLSearchParams): Record<string, unknown> {
  const set = runSetQuery(q);
  const max = setSize(q, 100, MAX_CHART_RUNS);
  const { total, rows } = runSetPage(deps.store, deps.series, scope, set, max, 0);
  const keys = new Set<string>();
  const groupBy = q.get('groupBy');
  const runs = rows.map(({ run }) => {
    const summary = deps.series.summary(run);
    numericLeaves(summary, '', keys, 0);
    return runFacts(run, groupBy, () => summary);
  });
  return { total, shown: runs.length, runs, metrics: [...keys].sort(), xKeys: ['_step', '_runtime', '_timestamp'] };
}

const tick = (): Promise<void> => new Promise((ok) => setImmediate(ok));

/**
 * Sampled series of `keys` (and the x key when it is not `_step`) for the run set. `samples` per run
 * defaults to 1,000 for one run and shrinks with more runs and keys to stay inside POINT_BUDGET.
 */
export async function workspaceSeries(deps: WorkspaceDeps, scope: Scope, q: URLSearchParams): Promise<Record<string, unknown>> {
  const set = runSetQuery(q);
  const max = setSize(q, 100, MAX_CHART_RUNS);
  const { total, rows } = runSetPage(deps.store, deps.series, scope, set, max, 0);
  const x = q.get('x') || '_step';
  const keys = (q.get('keys') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '')
    .slice(0, 20);
  if (x !== '_step' && !keys.includes(x)) keys.push(x);
  const wanted = intParam(q.get('samples'), rows.length <= 1 ? 1000 : rows.length <= 5 ? 600 : 300, 10, 5000);
  const samples = Math.max(10, Math.min(wanted, Math.floor(POINT_BUDGET / Math.max(1, rows.length * keys.length))));
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) await tick(); // let other requests in between runs
    const run = (rows[i] as { run: RunRecord }).run;
    const also = new Set<string>();
    numericLeaves(deps.series.summary(run), '', also, 0);
    const got = keys.length === 0 ? { rows: run.historyCount, bucketRows: 1, keys: {} } : deps.sampled.get(run, keys, samples, [...also]);
    out.push({ id: run.id, rows: got.rows, bucketRows: got.bucketRows, keys: got.keys });
  }
  return { total, samples, x, keys, series: out };
}
