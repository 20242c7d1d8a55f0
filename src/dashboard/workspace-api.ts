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
import { summaryKeys, type KeyColumns, type RunCache } from './run-cache.js';
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

const finite = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A key's columns at half the resolution, in memory: buckets merged in pairs (index b becomes
 * floor(b / 2), the same for every key of a run, so keys still join by index), each with the later
 * bucket's last step and value and the min and max of the pair's finite values (NaN when it has none).
 */
export function coarsen(c: KeyColumns): KeyColumns {
  const out: Required<KeyColumns> = { b: [], s: [], l: [], lo: [], hi: [] };
  const lo = c.lo ?? c.l;
  const hi = c.hi ?? c.l;
  for (let i = 0; i < c.b.length; i++) {
    const b = Math.floor((c.b[i] as number) / 2);
    const at = out.b.length - 1;
    const l = lo[i] as number;
    const h = hi[i] as number;
    if (at >= 0 && out.b[at] === b) {
      out.s[at] = c.s[i] as number;
      out.l[at] = c.l[i] as number;
      const a = out.lo[at] as number;
      const z = out.hi[at] as number;
      out.lo[at] = finite(a) && finite(l) ? Math.min(a, l) : finite(a) ? a : finite(l) ? l : Number.NaN;
      out.hi[at] = finite(z) && finite(h) ? Math.max(z, h) : finite(z) ? z : finite(h) ? h : Number.NaN;
    } else {
      out.b.push(b);
      out.s.push(c.s[i] as number);
      out.l.push(c.l[i] as number);
      out.lo.push(finite(l) ? l : Number.NaN);
      out.hi.push(finite(h) ? h : Number.NaN);
    }
  }
  return out;
}

/**
 * Sampled series of `keys` (and the x key when it is not `_step`) for the run set, as exact JSON text.
 * `samples` per run defaults to 1,000 for one run and shrinks with more runs and keys to stay inside
 * POINT_BUDGET; an answer over SERIES_BYTES is halved in memory (coarsen) until it fits, down to one
 * bucket per run: the runs are read once.
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
  const series: Array<{ id: string; rows: number; bucketRows: number; keys: Record<string, KeyColumns> }> = [];
  for (const { run } of rows) {
    const also = keys.length === 0 ? [] : summaryKeys(deps.runs.summary(run));
    const got = keys.length === 0 ? { rows: run.historyCount, bucketRows: 1, keys: {} } : await deps.runs.sampled(run, keys, samples, also);
    series.push({ id: run.id, rows: got.rows, bucketRows: got.bucketRows, keys: got.keys });
  }
  let text = exactJson({ total, samples, x, keys, series });
  while (samples > 1 && Buffer.byteLength(text) > SERIES_BYTES) {
    samples = Math.max(1, Math.floor(samples / 2));
    for (const s of series) {
      s.bucketRows *= 2;
      s.keys = Object.fromEntries(Object.entries(s.keys).map(([k, c]) => [k, coarsen(c)]));
    }
    text = exactJson({ total, samples, x, keys, series });
  }
  return text;
}
