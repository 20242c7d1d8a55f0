/**
 * Store -> ReportData: each run's committed history, folded summary, config, tags, group, job type,
 * files folder (media), artifacts and alerts, and the sweep when the report is about one.
 */
import type { ActionContext } from '../context.js';
import { defaultMaxPoints, type ReportAlert, type ReportData, type ReportRun, type ReportSweep } from '../../report/index.js';
import { readSummary, runUrl } from '../../runs/lifecycle.js';
import { runFilesDir } from '../../runs/paths.js';
import type { RunRecord, Store } from '../../store/index.js';
import { artifactReader, guessGoal, readSweep, varyingConfigKeys } from './extras.js';
import { createHistoryReader, discoverOver, type HistoryReadOptions, type RunHistory } from './history.js';
import { readInWorker } from './parallel-history.js';
import { readSampled } from './sampled-history.js';
import { describeSweep } from '../sweep/status.js';
import { findSweep } from '../../sweep-runs/index.js';

type ReportConfig = NonNullable<ActionContext['input']['reportConfig']>;

const iso = (sec: number): string => new Date(sec * 1000).toISOString();

function toReportRun(ctx: ActionContext, store: Store, run: RunRecord, artifacts: ReturnType<typeof artifactReader>, read: RunHistory): ReportRun {
  const r: ReportRun = {
    runId: run.id,
    name: run.displayName,
    state: run.state,
    config: run.config,
    summary: readSummary(store, run).value,
    tags: run.tags,
    createdAt: iso(run.createdAt),
    history: read.history,
    filesDir: runFilesDir(ctx.settings.dir, run.project, run.id),
    url: runUrl(ctx, run),
  };
  if (read.columns !== undefined) r.columns = read.columns;
  if (run.group !== null) r.group = run.group;
  if (run.jobType !== null) r.jobType = run.jobType;
  const made = artifacts(run.key);
  if (made) r.artifacts = made;
  const alerts = store.alerts.forRun(run.key);
  if (alerts.length > 0) {
    r.alerts = alerts.map((a): ReportAlert => ({ title: a.title, text: a.text, level: a.level, createdAt: iso(a.createdAt), suppressed: a.suppressed }));
  }
  return r;
}

/** The sweep section: from the sweeps table when present, else derived from the runs themselves. */
function sweepOf(ctx: ActionContext, store: Store, sweepId: string, runs: ReportRun[], cfg: ReportConfig): ReportSweep {
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
  if (info?.state !== undefined) sweep.state = info.state;
  // The best run as the sweep itself ranks it (each run at its best value over its history, as
  // `sweep status` and the search do), so the report and the sweep name the same run.
  if (info !== undefined) {
    try {
      const best = describeSweep(ctx, store, findSweep(ctx.settings, store, sweepId))['bestRun'] as { runId?: unknown } | null | undefined;
      if (typeof best?.runId === 'string') sweep.bestRunId = best.runId;
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

/** Builds the ReportData for the selected runs. */
export async function buildReportData(
  ctx: ActionContext,
  store: Store,
  runs: RunRecord[],
  cfg: ReportConfig,
  title: string,
  historyOptions?: HistoryReadOptions,
): Promise<ReportData> {
  const artifacts = artifactReader(store);
  const reader = createHistoryReader(store.history, historyOptions);
  const anyLong = runs.some((run) => reader.isLong(run.key));
  // Long histories are streamed into series for a fixed metric list, found first over samples.
  let metrics = cfg.metrics !== undefined && cfg.metrics.length > 0 ? [...cfg.metrics] : undefined;
  if (metrics === undefined && anyLong) metrics = discoverOver(runs.map((run) => reader.discoveryRows(run.key)));
  const xAxis = cfg.xAxis ?? '_step';
  // Long runs charted by step read the downsampled history (no scan); with another x axis, every
  // other long run is streamed by a worker thread while this thread streams the rest: two cores.
  const sampled = xAxis === '_step';
  const long = sampled ? [] : runs.filter((run) => reader.isLong(run.key));
  const offloaded = long.length >= 2 ? long.filter((_, i) => i % 2 === 1).map((r) => r.key) : [];
  const fromWorker = readInWorker({ storePath: store.path, runKeys: offloaded, metrics: metrics ?? [], xAxis, options: historyOptions });
  const offloadedSet = new Set(offloaded);
  const readLocal = (key: number): RunHistory =>
    sampled && reader.isLong(key)
      ? readSampled(store, key, metrics ?? [], reader.discoveryRows(key), defaultMaxPoints(runs.length))
      : reader.read(key, metrics ?? [], xAxis);
  // Progress of the long part, reading histories: runs read of the runs chosen (an MCP client's bar).
  const progress = (done: number): void => {
    if (runs.length > 0) ctx.progress?.({ label: `report ${title}`, done, total: runs.length, unit: 'runs' });
  };
  progress(0);
  const local = new Map<number, RunHistory>();
  for (const r of runs) {
    if (offloadedSet.has(r.key)) continue;
    local.set(r.key, readLocal(r.key));
    progress(local.size);
  }
  // While the worker finishes, load the chart renderer (vega), which the report needs next anyway.
  if (offloaded.length > 0) await Promise.all([fromWorker, import('../../report/svg.js').catch(() => undefined)]);
  const remote = (await fromWorker) ?? new Map();
  if (offloaded.length > 0) progress(runs.length);
  const reportRuns = runs.map((run) =>
    toReportRun(ctx, store, run, artifacts, local.get(run.key) ?? remote.get(run.key) ?? reader.read(run.key, metrics ?? [], xAxis)),
  );
  const data: ReportData = {
    title,
    project: ctx.settings.project,
    generatedAt: new Date(ctx.now()).toISOString(),
    runs: reportRuns,
  };
  if (cfg.description !== undefined) data.description = cfg.description;
  const entity = ctx.settings.entity ?? runs.find((r) => r.entity !== null)?.entity ?? undefined;
  if (entity !== undefined) data.entity = entity;
  if (metrics !== undefined) data.metrics = metrics;
  if (cfg.xAxis !== undefined) data.xAxis = cfg.xAxis;
  if (cfg.groupBy !== undefined) data.groupBy = cfg.groupBy;
  if (cfg.sweepId !== undefined) data.sweep = sweepOf(ctx, store, cfg.sweepId, reportRuns, cfg);
  else if (cfg.metrics !== undefined && cfg.metrics.length > 0) {
    // The best run needs a direction; without a sweep config, the first metric's name decides it.
    const name = cfg.metrics[0] as string;
    data.objective = { name, goal: guessGoal(name) };
  }
  return data;
}
