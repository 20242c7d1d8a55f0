import { bestRun, hyperbandReport, runMetricValue, type SweepConfig, type SweepRunState } from '../../sweeps/index.js';
import { findSweep, loadSweep, markCrashedTrials, sweepRuns, type LoadedSweep } from '../../sweep-runs/index.js';
import { runUrl } from '../../runs/lifecycle.js';
import type { RunRecord, Store } from '../../store/index.js';
import type { SweepRecord } from '../../store/sweeps.js';
import type { ActionContext, ActionResult } from '../context.js';
import { requireSweepId, sweepUrl } from './load.js';
import { remoteState } from '../../online/sweeps.js';

/** One run of a sweep as `status` shows it. */
export interface SweepRunStatus {
  runId: string;
  name: string;
  state: RunRecord['state'];
  config: Record<string, unknown>;
  /** The metric as the search reads it (a finished run at its best value); null before any value. */
  metric: number | null;
  /** Why the sweep stopped the run (hyperband, server), if it did. */
  stopReason?: string;
  runUrl: string;
}

/** The `sweep` output object: the sweep's state, config, runs and best run (inside a write transaction). */
export function describeSweep(ctx: ActionContext, store: Store, record: SweepRecord): Record<string, unknown> {
  let loaded: LoadedSweep;
  try {
    loaded = loadSweep(ctx.cache, store, record);
  } catch {
    // A cloud sweep's server config may hold keys this parser does not know; show it without metric.
    loaded = { record, config: { method: 'random', parameters: {} } as SweepConfig, bands: [] };
  }
  const { config } = loaded;
  const views = sweepRuns(store, loaded);
  const runs: SweepRunStatus[] = views.map(({ run, values }) => {
    const value = config.metric === undefined ? undefined : runMetricValue(values, config.metric.goal);
    const stopReason = store.sweeps.stopReason(run.key);
    return {
      runId: run.id,
      name: run.displayName,
      state: run.state,
      config: run.config,
      metric: value ?? null,
      ...(stopReason !== undefined ? { stopReason } : {}),
      runUrl: runUrl(ctx, run),
    };
  });
  const best = bestRun(
    config,
    views.map((v) => v.observation),
  );
  const out: Record<string, unknown> = {
    id: record.id,
    project: record.project,
    ...(record.entity !== null ? { entity: record.entity } : {}),
    state: record.state,
    method: record.method,
    ...(config.metric !== undefined ? { metric: config.metric } : {}),
    controller: record.controller,
    url: sweepUrl(ctx, record),
    config: record.config,
    runCount: runs.length,
    suggestions: record.suggestions,
    ...(record.doneReason !== null ? { doneReason: record.doneReason } : {}),
    runs,
    bestRun: best === undefined ? null : { runId: best.run.runId, metric: best.value, config: best.run.config, state: best.run.state },
  };
  if (config.early_terminate !== undefined && config.metric !== undefined) {
    const report = hyperbandReport(
      config,
      views.map((v) => ({ runId: v.run.id, state: v.run.state as SweepRunState, history: v.values })),
    );
    out['earlyTerminate'] = { bands: report.bands, thresholds: report.thresholds };
  }
  return out;
}

/** `sweep status`: the sweep's state, its runs with config, state and metric, and the best run. */
export async function sweepStatus(ctx: ActionContext): Promise<ActionResult> {
  const id = requireSweepId(ctx, 'status');
  const store = ctx.store();
  let record = findSweep(ctx.settings, store, id);
  if (ctx.settings.mode === 'online' && record.controller === 'cloud') {
    // The server is the truth for a cloud sweep's state; the local copy follows it.
    try {
      const state = await remoteState(ctx, record);
      if (state !== undefined && state !== record.state) {
        const changed = { ...record, state, doneReason: state === 'FINISHED' ? (record.doneReason ?? 'finished') : null };
        store.write(() => store.sweeps.setState(record.key, changed.state, changed.doneReason, ctx.now() / 1000));
        record = changed;
      }
    } catch (err) {
      ctx.warn(`could not read the sweep's state from the W&B server (${err instanceof Error ? err.message : String(err)}); showing the local copy`);
    }
  }
  const current = record;
  for (const id of markCrashedTrials(store, ctx.liveness(), ctx.now() / 1000)) ctx.warn(`run ${id}: its agent and program are gone; marked crashed`);
  const sweep = store.write(() => describeSweep(ctx, store, current));
  return {
    sweepId: current.id,
    sweepUrl: sweepUrl(ctx, current),
    project: current.project,
    ...(current.entity !== null ? { entity: current.entity } : {}),
    sweep,
  };
}
