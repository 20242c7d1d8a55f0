/**
 * The workspace's data: the run set (as the runs table filters it) with the metric keys it logged,
 * and, per chart, the sampled series of those runs. Series answers are bounded: a point budget sets
 * the samples per run, and an answer still over SERIES_BYTES (long keys, many runs) is asked again
 * with half the samples. They are read one run and one key at a time with a yield in between
 * (run-cache.ts), so a small request sent meanwhile is answered in between.
 */
import type { ServerResponse } from 'node:http';
import type { RunRecord, Store } from '../store/index.js';
import { baseHeaders, intParam } from './http.js';
import { runValue } from './run-filter.js';
import { runSetPage, runSetQuery, setSize } from './run-set.js';
import { summaryKeys, type RunCache } from './run-cache.js';
import type { Scope } from './scope.js';

export interface WorkspaceDeps {
  store: Store;
  runs: RunCache;
}

/** Most runs a workspace charts at once (W&B's default is far lower; the table still pages all). */
export const MAX_CHART_RUNS = 500;
/** Points per series answer, over all its runs and keys: 60 to 100 bytes each in JSON. */
export const POINT_BUDGET = 20_000;
/** Most bytes of one series answer. */
export const SERIES_BYTES = 2_000_000;

/** JSON with NaN and infinities as the strings "NaN", "Infinity", "-Infinity" (the page reads them back). */
export function exactJson(body: unknown): string {
  return JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

export function sendJsonExact(res: ServerResponse, body: unknown): void {
  sendExactText(res, exactJson(body));
}

export function sendExactText(res: ServerResponse, text: string): void {
  baseHeaders(res);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
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
  const { total, rows } = runSetPage(deps.store, deps.runs, scope, set, max, 0);
  const keys = new Set<string>();
  const groupBy = q.get('groupBy');
  const runs = rows.map(({ run }) => {
    const summary = deps.runs.summary(run);
    for (const k of summaryKeys(summary)) keys.add(k);
    return runFacts(run, groupBy, () => summary);
  });
  return { total, shown: runs.length, runs, metrics: [...keys].sort(), xKeys: ['_step', '_runtime', '_timestamp'] };
}

/**
 * Sampled series of `keys` (and the x key when it is not `_step`) for the run set, as exact JSON text.
 * `samples` per run defaults to 1,000 for one run and shrinks with more runs and keys to stay inside
 * POINT_BUDGET; an answer over SERIES_BYTES is read again with half the samples (down to one per run).
 */
export async function workspaceSeries(deps: WorkspaceDeps, scope: Scope, q: URLSearchParams): Promise<string> {
  const set = runSetQuery(q);
  const max = setSize(q, 100, MAX_CHART_RUNS);
  const { total, rows } = runSetPage(deps.store, deps.runs, scope, set, max, 0);
  const x = q.get('x') || '_step';
  const keys = (q.get('keys') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '')
    .slice(0, 20);
  if (x !== '_step' && !keys.includes(x)) keys.push(x);
  const wanted = intParam(q.get('samples'), rows.length <= 1 ? 1000 : rows.length <= 5 ? 600 : 300, 10, 5000);
  let samples = Math.max(10, Math.min(wanted, Math.floor(POINT_BUDGET / Math.max(1, rows.length * keys.length))));
  for (;;) {
    const series: Array<Record<string, unknown>> = [];
    for (const { run } of rows) {
      const also = keys.length === 0 ? [] : summaryKeys(deps.runs.summary(run));
      const got = keys.length === 0 ? { rows: run.historyCount, bucketRows: 1, keys: {} } : await deps.runs.sampled(run, keys, samples, also);
      series.push({ id: run.id, rows: got.rows, bucketRows: got.bucketRows, keys: got.keys });
    }
    const text = exactJson({ total, samples, x, keys, series });
    if (samples <= 1 || Buffer.byteLength(text) <= SERIES_BYTES) return text;
    samples = Math.max(1, Math.floor(samples / 2));
  }
}
