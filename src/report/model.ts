/**
 * The report model: everything computed from `ReportData` once (series downsampled, chart specs,
 * best run, statistics, media) and shared by the HTML, Markdown and JSON writers. Metric and group
 * band charts are line data drawn straight to SVG; the others are Vega-Lite specs.
 */

import { groupBandAccumulator, type BandAccumulator } from './bands.js';
import { downsampleIndices } from './downsample.js';
import { asFinite, discoverMetrics, extractSeries, findBest, getPath, groupOf, guessGoal, objectiveOf, runLabels } from './extract.js';
import { buildHypothesisStats, type HypothesisStats } from './hypothesis.js';
import type { LineChartData } from './line-svg.js';
import { collectMedia, loadMedia, type LoadedMedia } from './media-embed.js';
import { groupBandChart, metricChart, type RunLine } from './metric-charts.js';
import { parallelCoordinatesSpec } from './parallel.js';
import { presetCharts } from './presets.js';
import { groupMeansSpec, histogramSpec, type VegaLiteSpec } from './specs.js';
import type { ReportBest, ReportData, ReportRun } from './types.js';

/** A chart: a Vega-Lite `spec` (drawn by Vega), or `line` data drawn straight to SVG (line-svg.ts). */
export interface ReportChart {
  /** Unique within the report, `[a-z0-9-]`. */
  id: string;
  title: string;
  spec?: VegaLiteSpec;
  line?: LineChartData;
  /** What the reader should know about the chart (which runs are lines, where a band thins out). */
  caption?: string;
}

/** Per run and metric: how the series looked before downsampling. */
export interface SeriesInfo {
  points: number;
  last: number | null;
  min: number | null;
  max: number | null;
  /** NaN / ±Infinity values (left out of charts). */
  nonFinite: number;
}

export interface ReportModel {
  data: ReportData;
  xAxis: string;
  metrics: string[];
  /** Display label per runId (names, made unique). */
  labels: Map<string, string>;
  /** One per metric: a line per run, or the top runs as lines and the rest as a band. */
  lineCharts: ReportChart[];
  /** Charts the runs logged with W&B's presets (confusion matrix, ROC, PR, ...). */
  presetCharts: ReportChart[];
  series: Map<string, Record<string, SeriesInfo>>;
  configKeys: string[];
  summaryKeys: string[];
  best?: ReportBest;
  sweepChart?: ReportChart;
  stats?: HypothesisStats;
  /** Per metric: the grouped band chart and the means-with-CI chart. */
  groupCharts: Array<{ metric: string; band: ReportChart; means: ReportChart }>;
  media: Array<LoadedMedia & { chart?: ReportChart }>;
  warnings: string[];
}

export interface ModelOptions {
  /** Points per run and metric; default {@link defaultMaxPoints}. */
  maxPoints?: number;
  /** Runs drawn as lines per metric chart (default 10); more are summarised as a band. */
  topRuns?: number;
  maxImageBytes: number;
  maxTableRows: number;
}

const MAX_COLUMNS = 40;
/** Runs drawn as lines in a metric chart: W&B's ten colours; more runs are summarised as a band. */
export const DEFAULT_TOP_RUNS = 10;

function leafKeys(obj: Record<string, unknown>, prefix: string, into: Set<string>, skipDescriptors: boolean): void {
  for (const [k, v] of Object.entries(obj)) {
    if (prefix === '' && k.startsWith('_')) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if ('_type' in v) {
        if (!skipDescriptors) into.add(prefix + k);
      } else leafKeys(v as Record<string, unknown>, `${prefix}${k}.`, into, skipDescriptors);
    } else into.add(prefix + k);
  }
}

function columns(objs: Array<Record<string, unknown>>, first: readonly string[], skipDescriptors: boolean, what: string, warnings: string[]): string[] {
  const keys = new Set<string>();
  for (const o of objs) leafKeys(o, '', keys, skipDescriptors);
  const ordered = [...first.filter((k) => keys.has(k)), ...[...keys].filter((k) => !first.includes(k)).sort()];
  if (ordered.length > MAX_COLUMNS) warnings.push(`${what}: showing ${MAX_COLUMNS} of ${ordered.length} columns`);
  return ordered.slice(0, MAX_COLUMNS);
}

/** x range over all runs' rows, for the grouped charts' bins. */
function xRange(runs: readonly ReportRun[], xAxis: string): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const run of runs) {
    if (run.columns !== undefined && run.columns.xAxis === xAxis) {
      for (const s of run.columns.series.values()) {
        for (const x of s.xs) {
          if (x < lo) lo = x;
          if (x > hi) hi = x;
        }
      }
      continue;
    }
    const h = run.history;
    for (let i = 0; i < h.length; i++) {
      const x = asFinite(getPath(h[i], xAxis)) ?? (xAxis === '_step' ? i : undefined);
      if (x === undefined) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * Default points per run and metric: 1000, lowered so a chart holds about 6000 points in all (200
 * per run at least). A 440-pixel chart shows no more, and the SVG's size grows with the point count.
 */
export function defaultMaxPoints(runCount: number): number {
  return Math.min(1000, Math.max(200, Math.floor(6000 / Math.max(1, runCount))));
}

/**
 * Metrics a report charts when the caller named none: every chart costs its series' read and its SVG,
 * so a run of thousands of metrics would take minutes and make a file no one reads; the first ones found are charted, and a
 * warning says how to name others. Metrics the caller names (up to the same number) are all charted.
 */
export const MAX_DISCOVERED_CHARTS = 64; // as many as reportConfig.metrics may name

function chartedMetrics(data: ReportData, warnings: string[]): string[] {
  const found = discoverMetrics(data);
  if ((data.metrics !== undefined && data.metrics.length > 0) || found.length <= MAX_DISCOVERED_CHARTS) return found;
  warnings.push(
    `the runs hold ${found.length} numeric metrics: charted the first ${MAX_DISCOVERED_CHARTS} found; ` + 'name the ones to chart in reportConfig.metrics',
  );
  return found.slice(0, MAX_DISCOVERED_CHARTS);
}

/** Computes the report model. */
export function buildReportModel(data: ReportData, options: ModelOptions): ReportModel {
  const warnings: string[] = [];
  const xAxis = data.xAxis ?? '_step';
  const metrics = chartedMetrics(data, warnings);
  const labels = runLabels(data.runs);
  const maxPoints = Math.max(8, Math.floor(options.maxPoints ?? defaultMaxPoints(data.runs.length)));

  const perMetric = new Map<string, RunLine[]>(metrics.map((m) => [m, []]));
  const series = new Map<string, Record<string, SeriesInfo>>();
  const range = data.groupBy !== undefined ? xRange(data.runs, xAxis) : undefined;
  const bands = new Map<string, BandAccumulator>();
  data.runs.forEach((run, index) => {
    const label = labels.get(run.runId) ?? run.name;
    const group = data.groupBy !== undefined ? groupOf(run, data.groupBy) : null;
    const info: Record<string, SeriesInfo> = {};
    for (const [metric, s] of extractSeries(run, metrics, xAxis)) {
      let min = Infinity;
      let max = -Infinity;
      for (const y of s.ys) {
        if (y < min) min = y;
        if (y > max) max = y;
      }
      const n = s.ys.length;
      info[metric] = {
        points: s.count ?? n,
        last: n > 0 ? (s.ys[n - 1] as number) : null,
        min: n > 0 ? min : null,
        max: n > 0 ? max : null,
        nonFinite: s.nonFinite,
      };
      if (s.nonFinite > 0) warnings.push(`${run.name}: ${s.nonFinite} non-finite values of ${metric} left out of the chart`);
      if (n > 0) {
        const keep = downsampleIndices(s.ys, maxPoints);
        const xs = Float64Array.from(keep, (i) => s.xs[i] as number);
        const ys = Float64Array.from(keep, (i) => s.ys[i] as number);
        perMetric.get(metric)?.push({ label, index, xs, ys });
      }
      if (group !== null && range && n > 0) {
        const acc = bands.get(metric) ?? groupBandAccumulator(range, xAxis, maxPoints);
        bands.set(metric, acc);
        acc.add(group, s.xs, s.ys);
      }
    }
    series.set(run.runId, info);
  });

  const objective = objectiveOf(data);
  const topK = Math.max(1, Math.floor(options.topRuns ?? DEFAULT_TOP_RUNS));
  const lineCharts = metrics.map((metric, i): ReportChart => {
    const goal = objective?.name === metric ? objective.goal : guessGoal(metric);
    const bins = Math.min(200, Math.floor(maxPoints / 2));
    const { data: line, caption } = metricChart({ metric, xAxis, runs: perMetric.get(metric) ?? [], runCount: data.runs.length, topK, goal, bins });
    return { id: `metric-${i + 1}`, title: metric, line, ...(caption !== undefined ? { caption } : {}) };
  });

  const model: ReportModel = {
    data,
    xAxis,
    metrics,
    labels,
    lineCharts,
    presetCharts: [],
    series,
    configKeys: columns(
      data.runs.map((r) => r.config),
      data.sweep?.parameters ?? [],
      false,
      'config',
      warnings,
    ),
    summaryKeys: columns(
      data.runs.map((r) => r.summary),
      metrics,
      true,
      'summary',
      warnings,
    ),
    groupCharts: [],
    media: [],
    warnings,
  };

  const best = findBest(data);
  if (best) model.best = best;

  if (data.sweep) {
    const sweep = data.sweep;
    const runs = data.runs.map((r) => {
      const values: Record<string, unknown> = {};
      for (const p of sweep.parameters) values[p] = getPath(r.config, p);
      const metric = sweep.runValues !== undefined ? sweep.runValues[r.runId] : asFinite(getPath(r.summary, sweep.metric.name));
      return { label: labels.get(r.runId) ?? r.name, values, metric, best: best?.runId === r.runId };
    });
    model.sweepChart = {
      id: 'sweep-parallel',
      title: 'Sweep parameters',
      spec: parallelCoordinatesSpec(sweep.metric.name, sweep.parameters, runs, sweep.axes),
    };
  }

  if (data.groupBy !== undefined) {
    const stats = buildHypothesisStats(data.runs, data.groupBy, metrics);
    model.stats = stats;
    stats.metrics.forEach((t, i) => {
      const intervals = t.groups
        .filter((g) => g.mean !== null)
        .map((g) => ({ group: g.group, n: g.n, mean: g.mean as number, lo: g.ci95?.[0] ?? null, hi: g.ci95?.[1] ?? null }));
      const band = groupBandChart(t.metric, xAxis, bands.get(t.metric)?.series() ?? []);
      model.groupCharts.push({
        metric: t.metric,
        band: { id: `group-band-${i + 1}`, title: `${t.metric} by group`, line: band.data, ...(band.caption !== undefined ? { caption: band.caption } : {}) },
        means: { id: `group-means-${i + 1}`, title: `${t.metric} group means`, spec: groupMeansSpec(t.metric, intervals) },
      });
    });
  }

  const limits = { maxImageBytes: options.maxImageBytes, maxTableRows: options.maxTableRows };
  let hist = 0;
  for (const run of data.runs) {
    const media = collectMedia(run);
    const presets = presetCharts(run, media);
    for (const p of presets.charts) {
      const title = `${labels.get(run.runId) ?? run.name}: ${p.title}`;
      const caption = `${p.key}, drawn from the table ${p.key}_table (${p.rows} rows)`;
      model.presetCharts.push({ id: `preset-${model.presetCharts.length + 1}`, title, spec: p.spec, caption });
    }
    const shown = presets.tableKeys.size === 0 ? media : media.filter((m) => !presets.tableKeys.has(m.key));
    for (const m of loadMedia(run, shown, limits)) {
      if (m.histogram) {
        hist++;
        const title = `${labels.get(run.runId) ?? run.name}: ${m.key}`;
        model.media.push({ ...m, chart: { id: `histogram-${hist}`, title, spec: histogramSpec(title, m.histogram.values, m.histogram.bins) } });
      } else model.media.push(m);
    }
  }
  return model;
}

/** Every chart of the model, in the order the documents show them. */
export function allCharts(model: ReportModel): ReportChart[] {
  return [
    ...model.lineCharts,
    ...model.presetCharts,
    ...(model.sweepChart ? [model.sweepChart] : []),
    ...model.groupCharts.flatMap((g) => [g.band, g.means]),
    ...model.media.flatMap((m) => (m.chart ? [m.chart] : [])),
  ];
}
