/**
 * Store -> ReportData: each run's committed history, folded summary, config, tags, group, job type,
 * files folder (media), artifacts and alerts, and the sweep when the report is about one.
 */
import type { ActionContext } from '../context.js';
import { defaultMaxPoints, type ReportAlert, type ReportData, type ReportRun } from '../../report/index.js';
import { readSummary, runUrl } from '../../runs/lifecycle.js';
import { runFilesDir } from '../../runs/paths.js';
import type { RunRecord, Store } from '../../store/index.js';
import { artifactReader } from './extras.js';
import { guessGoal } from '../../report/extract.js';
import { createHistoryReader, discoverOver, type HistoryReadOptions, type RunHistory } from './history.js';
import { readInWorker } from './parallel-history.js';
import { planSampled, readSampled, type SampledPlan } from './sampled-history.js';

export type ReportConfig = NonNullable<ActionContext['input']['reportConfig']>;

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
  const xAxis = cfg.xAxis ?? '_step';
  // Long runs charted by step read the downsampled history (no scan); with another x axis, every
  // other long run is streamed by a worker thread while this thread streams the rest: two cores.
  const sampled = xAxis === '_step';
  // A long run charted by step has its mark, tail and media read once, its keys taken from the fold's.
  const plans = new Map<number, SampledPlan>();
  if (sampled) for (const run of runs) if (reader.isLong(run.key)) plans.set(run.key, planSampled(store, run.key, reader.lastSeq(run.key)));
  // Long histories are read for a fixed metric list: the fold's keys, or found over samples of the rows.
  let metrics = cfg.metrics !== undefined && cfg.metrics.length > 0 ? [...cfg.metrics] : undefined;
  if (metrics === undefined && anyLong) {
    const found = new Set<string>();
    for (const run of runs) for (const k of plans.get(run.key)?.keys ?? discoverOver([reader.discoveryRows(run.key)])) found.add(k);
    metrics = [...found];
  }
  const long = sampled ? [] : runs.filter((run) => reader.isLong(run.key));
  const offloaded = long.length >= 2 ? long.filter((_, i) => i % 2 === 1).map((r) => r.key) : [];
  const fromWorker = readInWorker({ storePath: store.path, runKeys: offloaded, metrics: metrics ?? [], xAxis, options: historyOptions });
  const offloadedSet = new Set(offloaded);
  const readLocal = (key: number): RunHistory =>
    plans.has(key)
      ? readSampled(store, key, metrics ?? [], plans.get(key) as SampledPlan, defaultMaxPoints(runs.length))
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
  if (cfg.sweepId !== undefined) {
    // The sweep code (search, its config schema, YAML) loads only for a sweep's report.
    const { sweepOf } = await import('./sweep-section.js');
    data.sweep = sweepOf(ctx, store, cfg.sweepId, reportRuns, cfg);
  } else if (cfg.metrics !== undefined && cfg.metrics.length > 0) {
    // The best run needs a direction; without a sweep config, the first metric's name decides it.
    const name = cfg.metrics[0] as string;
    data.objective = { name, goal: guessGoal(name) };
  }
  return data;
}
