/**
 * The sweep a report is about: from the sweeps table when present, else derived from its runs; the
 * best run as the sweep itself ranks it. Loaded by data.ts only for a sweep's report.
 */
import type { ActionContext } from '../context.js';
import type { ReportObjective, ReportRun, ReportSweep } from '../../report/index.js';
import type { Store } from '../../store/index.js';
import { findSweep } from '../../sweep-runs/index.js';
import { describeSweep } from '../sweep/status.js';
import type { ReportConfig } from './data.js';
import { guessGoal } from '../../report/extract.js';
import { parameterNames, sweepAxes } from '../../sweeps/index.js';
import { getPath } from '../../report/extract.js';

/** The sweep section of a report: from the sweeps table when present, else derived from the runs themselves. */
export function sweepOf(ctx: ActionContext, store: Store, sweepId: string, runs: ReportRun[], cfg: ReportConfig): ReportSweep {
  const info = readSweep(store, ctx.settings.project, sweepId);
  const metricName = info?.metric?.name ?? cfg.metrics?.[0];
  if (info === undefined) ctx.warn(`sweep ${sweepId} is not in the store's sweeps table: parameters are the config keys that differ between its runs`);
  let metric = info?.metric;
  if (metric === undefined) {
    const name = metricName ?? firstNumericSummaryKey(runs) ?? 'loss';
    metric = { name, goal: guessGoal(name) };
    ctx.warn(`sweep ${sweepId}: no metric in its config; ranking runs by ${name} (${metric.goal}, guessed from the name)`);
  }
  const parameters = info !== undefined && info.parameters.length > 0 ? info.parameters : varyingConfigKeys(runs.map((r) => r.config));
  const sweep: ReportSweep = { sweepId, method: info?.method ?? 'unknown', metric, parameters };
  const config = info === undefined ? undefined : store.sweeps.get(ctx.settings.project, sweepId)?.config;
  if (config !== undefined) {
    // The parameters' axes on the sweep's own scales, as the dashboard's sweep page draws them.
    const axes = sweepAxes(config, parameters, (p) => runs.map((r) => getPath(r.config, p)));
    sweep.axes = Object.fromEntries(
      axes.map((a) => [a.name, { scale: a.scale, ...(a.domain ? { domain: a.domain } : {}), ...(a.values ? { values: a.values } : {}) }]),
    );
  }
  if (info?.state !== undefined) sweep.state = info.state;
  // The best run as the sweep itself ranks it (each run at its best value over its history, as
  // `sweep status` and the search do), so the report and the sweep name the same run.
  if (info !== undefined) {
    try {
      const described = describeSweep(ctx, store, findSweep(ctx.settings, store, sweepId));
      const best = described['bestRun'] as { runId?: unknown } | null | undefined;
      if (typeof best?.runId === 'string') sweep.bestRunId = best.runId;
      // Every run's value as the sweep scores it: the report's best run, its value and the
      // parallel-coordinates axis then agree with the sweep page and `sweep status`.
      if (info.metric !== undefined) {
        const runValues: Record<string, number> = {};
        for (const r of described['runs'] as Array<{ runId: string; metric: number | null }>) if (r.metric !== null) runValues[r.runId] = r.metric;
        sweep.runValues = runValues;
      }
    } catch {
      // a sweep the sweep code cannot load keeps the summary-based choice
    }
  }
  return sweep;
}

function firstNumericSummaryKey(runs: ReportRun[]): string | undefined {
  for (const r of runs) {
    for (const [k, v] of Object.entries(r.summary)) if (!k.startsWith('_') && typeof v === 'number') return k;
  }
  return undefined;
}

export interface SweepInfo {
  method: string;
  state?: string;
  metric?: ReportObjective;
  parameters: string[];
}

/** The sweep's method, state, metric and parameters from the sweeps table, when the store has the sweep. */
export function readSweep(store: Store, project: string, sweepId: string): SweepInfo | undefined {
  const sweep = store.sweeps.get(project, sweepId);
  if (sweep === undefined) return undefined;
  const config = sweep.config;
  const info: SweepInfo = { method: sweep.method, parameters: parameterNames(config['parameters']), state: sweep.state };
  const metric = config['metric'] as { name?: unknown; goal?: unknown } | undefined;
  if (metric && typeof metric.name === 'string') info.metric = { name: metric.name, goal: metric.goal === 'maximize' ? 'maximize' : 'minimize' };
  return info;
}

/** Config keys whose values differ between runs: a sweep's parameters when the sweep config is gone. */
export function varyingConfigKeys(configs: ReadonlyArray<Record<string, unknown>>): string[] {
  const values = new Map<string, Set<string>>();
  for (const c of configs) {
    for (const [k, v] of Object.entries(c)) {
      if (k.startsWith('_')) continue;
      const set = values.get(k) ?? new Set<string>();
      set.add(JSON.stringify(v));
      values.set(k, set);
    }
  }
  return [...values].filter(([, s]) => s.size > 1).map(([k]) => k);
}
