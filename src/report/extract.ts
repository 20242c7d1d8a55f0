/**
 * Reading values out of runs: metric discovery, series from history rows, summary values, groups
 * and the best run. Keys may be dotted paths into nested objects (W&B flattens `{"train": {"loss"}}`
 * to `train.loss` in charts); an exact flat key wins over the path.
 */

import type { ReportBest, ReportData, ReportObjective, ReportRun, ReportSeries } from './types.js';

/** The value at `key` in `obj`: the flat key first, else the dotted path. */
export function getPath(obj: Record<string, unknown> | undefined, key: string): unknown {
  if (obj === undefined) return undefined;
  // Hot path (called per row and metric): a plain property read before anything else.
  const flat = obj[key];
  if (typeof flat === 'number') return flat;
  if (flat !== undefined || !key.includes('.')) return Object.prototype.hasOwnProperty.call(obj, key) ? flat : undefined;
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A finite number, or undefined. */
export function asFinite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Numeric leaf keys of a row as dotted paths, skipping `_`-prefixed keys and media descriptors. */
function numericKeys(row: Record<string, unknown>, prefix: string, into: Set<string>): void {
  for (const [k, v] of Object.entries(row)) {
    if (prefix === '' && k.startsWith('_')) continue;
    const key = prefix + k;
    if (typeof v === 'number') into.add(key);
    else if (isPlainObject(v) && !('_type' in v)) numericKeys(v, key + '.', into);
  }
}

/**
 * Metrics to chart: the given list, else every numeric history key not starting with `_`, in
 * first-seen order. Looks at up to `sampleRows` rows spread over each run (keys logged rarely but
 * regularly are found; a key logged once in a long run may be missed — pass `metrics` then).
 */
export function discoverMetrics(data: ReportData, sampleRows = 2000): string[] {
  if (data.metrics && data.metrics.length > 0) return [...data.metrics];
  const found = new Set<string>();
  for (const run of data.runs) {
    const h = run.history;
    const stride = Math.max(1, Math.floor(h.length / sampleRows));
    for (let i = 0; i < h.length; i += stride) numericKeys(h[i] as Record<string, unknown>, '', found);
    const last = h[h.length - 1];
    if (last) numericKeys(last, '', found);
  }
  return [...found];
}

/** x and y arrays of one metric in one run; rows without a finite value are skipped. */
export type Series = ReportSeries;

/**
 * Builds the series of `metrics` one row at a time (so a caller can stream rows and drop them).
 * The x value is `xAxis` in the row, else the row index when `xAxis` is `_step`.
 */
export interface SeriesBuilder {
  add(row: Record<string, unknown>, index: number): void;
  /** The same for values already taken out of a row: `x` and one value per metric, in order. */
  addValues(x: unknown, values: ArrayLike<unknown>, index: number): void;
  finish(): Map<string, Series>;
}

export function createSeriesBuilder(metrics: readonly string[], xAxis: string, capacity = 1024): SeriesBuilder {
  const buffers = metrics.map(() => ({ xs: new Float64Array(Math.max(1, capacity)), ys: new Float64Array(Math.max(1, capacity)), len: 0, nonFinite: 0 }));
  const grow = (b: (typeof buffers)[number]): void => {
    const xs = new Float64Array(b.xs.length * 2);
    const ys = new Float64Array(b.ys.length * 2);
    xs.set(b.xs);
    ys.set(b.ys);
    b.xs = xs;
    b.ys = ys;
  };
  const push = (m: number, xv: number, raw: unknown): void => {
    if (typeof raw !== 'number') return;
    const buf = buffers[m] as (typeof buffers)[number];
    if (!Number.isFinite(raw)) {
      buf.nonFinite++;
      return;
    }
    if (buf.len === buf.xs.length) grow(buf);
    buf.xs[buf.len] = xv;
    buf.ys[buf.len] = raw;
    buf.len++;
  };
  const xOf = (raw: unknown, index: number): number | undefined => asFinite(raw) ?? (xAxis === '_step' ? index : undefined);
  return {
    add(row, index) {
      const xv = xOf(getPath(row, xAxis), index);
      if (xv === undefined) return;
      for (let m = 0; m < metrics.length; m++) push(m, xv, getPath(row, metrics[m] as string));
    },
    addValues(x, values, index) {
      const xv = xOf(x, index);
      if (xv === undefined) return;
      for (let m = 0; m < metrics.length; m++) push(m, xv, values[m]);
    },
    finish() {
      const out = new Map<string, Series>();
      metrics.forEach((metric, m) => {
        const b = buffers[m] as (typeof buffers)[number];
        out.set(metric, { xs: b.xs.subarray(0, b.len), ys: b.ys.subarray(0, b.len), nonFinite: b.nonFinite });
      });
      return out;
    },
  };
}

/**
 * Extracts every metric of a run in one pass over its history (or takes them from `run.columns`
 * when those were made for this x axis and hold every metric asked for).
 */
export function extractSeries(run: ReportRun, metrics: readonly string[], xAxis: string): Map<string, Series> {
  const cols = run.columns;
  if (cols !== undefined && cols.xAxis === xAxis && metrics.every((m) => cols.series.has(m))) {
    return new Map(metrics.map((m) => [m, cols.series.get(m) as Series]));
  }
  const builder = createSeriesBuilder(metrics, xAxis, run.history.length);
  for (let r = 0; r < run.history.length; r++) builder.add(run.history[r] as Record<string, unknown>, r);
  return builder.finish();
}

/** A run's value of a metric: its summary value if numeric, else the last finite history value. */
export function summaryValue(run: ReportRun, metric: string): number | undefined {
  const raw = getPath(run.summary, metric);
  // A run whose final value is NaN/Infinity diverged: it has no value to rank, rather than an older one.
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  const s = asFinite(raw);
  if (s !== undefined) return s;
  const col = run.columns?.series.get(metric);
  if (col !== undefined) return col.ys.length > 0 ? col.ys[col.ys.length - 1] : undefined;
  for (let i = run.history.length - 1; i >= 0; i--) {
    const v = asFinite(getPath(run.history[i], metric));
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The group label of a run for `groupBy` (`group`, `jobType` or a config key); null when it has none. */
export function groupOf(run: ReportRun, groupBy: string): string | null {
  let v: unknown;
  if (groupBy === 'group') v = run.group;
  else if (groupBy === 'jobType') v = run.jobType;
  else v = getPath(run.config, groupBy);
  if (v === undefined || v === null) return null;
  // W&B stores config values as {value: ...} in some exports; unwrap that shape.
  if (isPlainObject(v) && 'value' in v && Object.keys(v).every((k) => k === 'value' || k === 'desc')) v = v.value;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Display labels, unique per run: the name, with the run id added where names repeat. */
export function runLabels(runs: readonly ReportRun[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  return new Map(runs.map((r) => [r.runId, (counts.get(r.name) ?? 0) > 1 ? `${r.name} (${r.runId})` : r.name]));
}

/** The objective: the sweep's metric, else `data.objective`. */
export function objectiveOf(data: ReportData): ReportObjective | undefined {
  return data.sweep?.metric ?? data.objective;
}

/** A run's value of the objective: as the sweep scores it when the sweep gave its values, else its summary value. */
export function objectiveValue(data: ReportData, run: ReportRun, metric: string): number | undefined {
  const scored = data.sweep?.runValues;
  if (scored !== undefined && data.sweep?.metric.name === metric) return scored[run.runId];
  return summaryValue(run, metric);
}

/**
 * How a run's value of a metric is defined, in words: the sweep page, the sweep report and
 * `sweep status` say the same (the sweep's own metric at its best over the history; any other at its summary).
 */
export function metricDefinition(metric: string, goal: 'minimize' | 'maximize', sweepScored: boolean): string {
  return sweepScored
    ? `a run's value is its best ${metric} over its history (${goal === 'minimize' ? 'lowest' : 'highest'}), as the sweep's search reads it`
    : `a run's value is its summary ${metric} (the last logged value)`;
}

/** The best run by the objective (the sweep's `bestRunId` wins when it names a run of the report). */
export function findBest(data: ReportData): ReportBest | undefined {
  const objective = objectiveOf(data);
  if (!objective) return undefined;
  const toBest = (run: ReportRun, value: number): ReportBest => ({
    runId: run.runId,
    name: run.name,
    metric: objective.name,
    goal: objective.goal,
    value,
    config: run.config,
  });
  const valueOf = (run: ReportRun): number | undefined => objectiveValue(data, run, objective.name);
  const named = data.sweep?.bestRunId ? data.runs.find((r) => r.runId === data.sweep?.bestRunId) : undefined;
  if (named) {
    const v = valueOf(named);
    if (v !== undefined) return toBest(named, v);
  }
  let best: { run: ReportRun; value: number } | undefined;
  for (const run of data.runs) {
    const v = valueOf(run);
    if (v === undefined) continue;
    const better = !best || (objective.goal === 'minimize' ? v < best.value : v > best.value);
    if (better) best = { run, value: v };
  }
  return best ? toBest(best.run, best.value) : undefined;
}

/** A guess at a metric's direction from its name, used only when nothing says otherwise. */
export function guessGoal(metric: string): 'minimize' | 'maximize' {
  return /loss|err|mse|mae|rmse|perplexity|ppl|cost|regret|latency|time/i.test(metric) ? 'minimize' : 'maximize';
}
