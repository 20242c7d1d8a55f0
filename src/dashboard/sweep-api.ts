/**
 * A sweep's page: its runs, the best run, and the axes of its parallel-coordinates chart.
 * The sweep's own config (table `sweeps`) names the parameters and the metric; without it they are
 * derived from the runs that carry the sweep id: config keys that vary, and a summary metric.
 */
import { parseExtended } from '../json/extended-json.js';
import type { RunRecord, Store } from '../store/index.js';
import { readSummary } from '../runs/lifecycle.js';
import { asFinite, getPath, metricDefinition } from '../report/extract.js';
import { parameterNames, sweepAxes } from '../sweeps/index.js';
import { HttpError } from './http.js';
import { runPath, type Scope } from './scope.js';
import { sweepRecord } from './sections.js';
import { parameterImportance } from './importance.js';

function scalarLeaves(obj: Record<string, unknown>, prefix: string, into: Map<string, Set<string>>): void {
  for (const [k, v] of Object.entries(obj)) {
    if (prefix === '' && k.startsWith('_')) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) scalarLeaves(v as Record<string, unknown>, `${prefix}${k}.`, into);
    else if (v === null || typeof v !== 'object') {
      const set = into.get(prefix + k) ?? new Set<string>();
      set.add(JSON.stringify(v));
      into.set(prefix + k, set);
    }
  }
}

const MINIMIZE = /loss|err|mse|mae|rmse|perplexity|regret|time|latency/i;

export interface SweepQuery {
  metric?: string | undefined;
  goal?: 'minimize' | 'maximize' | undefined;
}

export function sweepPage(store: Store, scope: Scope, sweepId: string, q: SweepQuery): Record<string, unknown> {
  // The sweep's runs in one query, those of this scope's entity, at most 2,000.
  const inScope = (r: RunRecord) => (scope.entity === 'local' ? r.entity === null || r.entity === 'local' : r.entity === scope.entity);
  const runs = store.sweeps.runs(scope.project, sweepId).filter(inScope).slice(0, 2000);
  const record = sweepRecord(store, scope, sweepId);
  if (runs.length === 0 && !record) throw new HttpError(404, 'NOT_FOUND', `no sweep ${sweepId} in ${scope.entity}/${scope.project}`);
  const summaries = runs.map((r) => readSummary(store, r).value);

  const candidates = new Map<string, Set<string>>();
  summaries.forEach((s) => scalarLeaves(s, '', candidates));
  const metrics = [...candidates.keys()].filter((k) => summaries.some((s) => asFinite(getPath(s, k)) !== undefined));
  const cfgMetric = record?.config['metric'] as { name?: unknown; goal?: unknown } | undefined;
  const metric =
    q.metric ?? (typeof cfgMetric?.name === 'string' ? cfgMetric.name : undefined) ?? metrics.find((m) => MINIMIZE.test(m)) ?? metrics[0] ?? 'loss';
  const goal = q.goal ?? (cfgMetric?.goal === 'maximize' || cfgMetric?.goal === 'minimize' ? cfgMetric.goal : MINIMIZE.test(metric) ? 'minimize' : 'maximize');

  let parameters = record ? parameterNames(record.config['parameters']) : [];
  if (parameters.length === 0) {
    const leaves = new Map<string, Set<string>>();
    runs.forEach((r) => scalarLeaves(r.config, '', leaves));
    const varying = [...leaves.entries()].filter(([, v]) => v.size > 1).map(([k]) => k);
    parameters = (varying.length > 0 ? varying : [...leaves.keys()]).slice(0, 12);
  }

  // The sweep's own metric counts as the sweep reads it (W&B: a run at its best value over its
  // history, as `sweep status` and the search use); another metric picked on the page, at its summary.
  const sweepMetric = typeof cfgMetric?.name === 'string' && cfgMetric.name === metric;
  const rows = runs.map((r, i) => ({
    id: r.id,
    name: r.displayName,
    state: r.state,
    path: runPath(r.entity, r.project, r.id),
    params: Object.fromEntries(parameters.map((p) => [p, getPath(r.config, p)])),
    metric: sweepMetric ? (bestOverHistory(store, r, metric, goal) ?? asFinite(getPath(summaries[i], metric))) : asFinite(getPath(summaries[i], metric)),
  }));
  let best: (typeof rows)[number] | undefined;
  for (const r of rows) {
    if (r.metric === undefined) continue;
    if (!best || (goal === 'minimize' ? r.metric < (best.metric as number) : r.metric > (best.metric as number))) best = r;
  }
  // The page draws parallel coordinates itself, on these axes (the sweep's own scales).
  const axes = sweepAxes(record?.config, parameters, (p) => rows.map((r) => r.params[p]));
  // A sweep whose run cap is reached and whose runs all ended is over, whatever its stored state says.
  const cap = typeof record?.config['run_cap'] === 'number' ? (record.config['run_cap'] as number) : undefined;
  const live = runs.some((r) => r.state === 'running' || r.state === 'pending');
  const state = record?.state === 'RUNNING' && cap !== undefined && runs.length >= cap && !live ? 'FINISHED (run cap reached)' : (record?.state ?? null);
  return {
    sweep: {
      id: sweepId,
      name: typeof record?.config['name'] === 'string' ? record.config['name'] : null,
      state,
      method: record?.method ?? null,
      config: record?.config ?? null,
      derived: !record,
    },
    metricDefinition: metricDefinition(metric, goal, sweepMetric),
    importance: parameterImportance(parameters, rows),
    metric,
    goal,
    metrics,
    parameters,
    runs: rows,
    best: best ?? null,
    axes,
  };
}

/** A run's best finite value of a top-level metric over its history, read in SQL where it can. */
function bestOverHistory(store: Store, run: RunRecord, metric: string, goal: 'minimize' | 'maximize'): number | undefined {
  const path = `$."${metric.replace(/"/g, '\\"')}"`;
  const values = store.history.jsonValues(run.key, path);
  // Rows with bare NaN/Infinity are not JSON to SQLite: those are parsed here.
  for (const line of store.history.nonJsonTexts(run.key)) {
    values.push((parseExtended(line) as Record<string, unknown>)[metric]);
  }
  let best: number | undefined;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (best === undefined || (goal === 'minimize' ? v < best : v > best)) best = v;
  }
  return best;
}
