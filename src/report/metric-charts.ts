/**
 * The report's metric charts, readable at 200 runs: up to `topK` runs drawn as lines (all of them
 * when there are no more; else the best by the metric's last value, in the objective's direction or
 * the one its name suggests), and every other run summarised as one grey min–max band with its
 * median line, so no legend is cut and no line is lost in a hundred others. The caption says what
 * was chosen and when the summary band rests on fewer runs at late steps than it stands for.
 */
import { createBandAccumulator, thinning, type BandSeries } from './bands.js';
import { palette } from '../chart-style.js';
import { fmtStat } from './format.js';
import type { LineChartData, LineTrace } from './line-svg.js';
import { tickLabel } from './line-svg.js';

/** One run's (downsampled) series of the metric. */
export interface RunLine {
  label: string;
  /** Position of the run in the report (its colour when every run is drawn). */
  index: number;
  xs: Float64Array;
  ys: Float64Array;
}

export interface MetricChartInput {
  metric: string;
  xAxis: string;
  runs: RunLine[];
  /** Runs in the report (colours by position when all of them are lines). */
  runCount: number;
  topK: number;
  goal: 'minimize' | 'maximize';
  /** Bins of the summary band. */
  bins: number;
}

const REST_COLOR = '#8c8c8c';

/** x extent over every run's points. */
function xExtent(runs: readonly RunLine[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of runs) {
    if (r.xs.length === 0) continue;
    lo = Math.min(lo, r.xs[0] as number);
    hi = Math.max(hi, r.xs[r.xs.length - 1] as number);
  }
  return [lo, hi];
}

const last = (r: RunLine): number => r.ys[r.ys.length - 1] as number;

function restBand(rest: readonly RunLine[], bins: number): BandSeries | undefined {
  if (rest.length === 0) return undefined;
  const [lo, hi] = xExtent(rest);
  const acc = createBandAccumulator(lo, hi, bins);
  for (const r of rest) acc.add('rest', r.xs, r.ys);
  return acc.series()[0];
}

/** The chart of one metric and its caption. */
export function metricChart(input: MetricChartInput): { data: LineChartData; caption?: string } {
  const runs = input.runs.filter((r) => r.xs.length > 0);
  const all = runs.length <= input.topK;
  const sign = input.goal === 'minimize' ? 1 : -1;
  const ranked = all ? runs : [...runs].sort((a, b) => sign * (last(a) - last(b)) || a.index - b.index);
  const shown = ranked.slice(0, input.topK);
  const rest = ranked.slice(input.topK);
  const colors = palette(all ? input.runCount : shown.length);
  const lines: LineTrace[] = shown.map((r, i) => ({
    label: r.label,
    color: colors[(all ? r.index : i) % colors.length] ?? '#999',
    xs: r.xs,
    ys: r.ys,
    note: `last ${fmtStat(last(r))}`,
  }));
  const data: LineChartData = { title: input.metric, xTitle: input.xAxis, yTitle: input.metric, lines, bands: [] };
  const notes: string[] = [];
  const band = restBand(rest, input.bins);
  if (band !== undefined) {
    const pts = band.points;
    const xs = pts.map((p) => p.x);
    const label = `other ${rest.length} runs`;
    data.bands.push({ label: `${label}: min–max`, color: REST_COLOR, xs, lo: pts.map((p) => p.lo), hi: pts.map((p) => p.hi), opacity: 0.25 });
    const thin = thinning(band);
    data.lines.push({
      label: `${label}: median`,
      color: REST_COLOR,
      width: 1.2,
      xs: Float64Array.from(xs),
      ys: Float64Array.from(pts.map((p) => p.median)),
      ...(thin ? { dashFrom: thin.from } : {}),
    });
    data.legend = [
      ...lines.slice(0, shown.length).map((l) => ({ label: l.label, color: l.color, kind: 'line' as const, note: l.note ?? '' })),
      { label: `${label}: min–max band`, color: REST_COLOR, kind: 'band' },
      { label: `${label}: median`, color: REST_COLOR, kind: 'line' },
    ];
    const dir = input.goal === 'minimize' ? 'lowest' : 'highest';
    notes.push(
      `The ${shown.length} runs with the ${dir} last ${input.metric} of ${runs.length} drawn as lines; the other ${rest.length} as a grey min–max band with their median.`,
    );
    if (thin) {
      notes.push(
        `From ${input.xAxis} ${tickLabel(thin.from)} on, the grey band rests on fewer than its ${rest.length} runs (${thin.atEnd} reached the end; the median is dashed there).`,
      );
    }
  }
  const [lo, hi] = xExtent(runs);
  const cut = lo + (hi - lo) * 0.05;
  const short = shown.filter((r) => (r.xs[r.xs.length - 1] as number) < cut);
  if (short.length > 0 && hi > lo) {
    notes.push(
      `${short.length} of the lines end before ${input.xAxis} ${tickLabel(cut)} (5% of the axis): each line ends in a dot, and its last value is in the legend.`,
    );
  }
  return notes.length > 0 ? { data, caption: notes.join(' ') } : { data };
}

/**
 * Grouped runs as W&B draws them: per group its mean line and min–max band. Where a group's band
 * rests on fewer runs than the group holds (late steps only some runs reached), the mean is dashed
 * from there on, the legend says how many reached the end, and the caption says it in words.
 */
export function groupBandChart(metric: string, xAxis: string, groups: readonly BandSeries[]): { data: LineChartData; caption?: string } {
  const colors = palette(groups.length);
  const data: LineChartData = { title: `${metric} by group (mean, min–max band)`, xTitle: xAxis, yTitle: metric, lines: [], bands: [], legend: [] };
  const notes: string[] = [];
  groups.forEach((g, i) => {
    const color = colors[i % colors.length] ?? '#999';
    const xs = g.points.map((p) => p.x);
    const thin = thinning(g);
    data.bands.push({ label: `${g.group}: min–max`, color, xs, lo: g.points.map((p) => p.lo), hi: g.points.map((p) => p.hi) });
    data.lines.push({
      label: `${g.group}: mean`,
      color,
      width: 2,
      xs: Float64Array.from(xs),
      ys: Float64Array.from(g.points.map((p) => p.mean)),
      ...(thin ? { dashFrom: thin.from } : {}),
    });
    const note = thin ? `${g.size} runs; ${thin.atEnd} at the end` : `${g.size} run${g.size === 1 ? '' : 's'}`;
    data.legend?.push({ label: g.group, color, kind: 'line', note });
    if (thin) {
      notes.push(
        `${g.group}: from ${xAxis} ${tickLabel(thin.from)} on, the band rests on fewer than its ${g.size} runs (${thin.atEnd} reached the end; dashed).`,
      );
    }
  });
  return notes.length > 0 ? { data, caption: notes.join(' ') } : { data };
}
