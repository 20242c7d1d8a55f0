/**
 * Vega-Lite v5 specifications for the report's charts. Pure data in, spec out: the same spec is
 * rendered to SVG in Node (svg.ts) and by vega-embed in the dashboard. Data rows always use fixed
 * field names (`x`, `y`, `run`, ...) because Vega reads dots and brackets in field names as paths;
 * user strings appear only as data values and titles, never inside expressions.
 */

import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, palette } from '../chart-style.js';

export type VegaLiteSpec = TopLevelSpec;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

export { CHART_CONFIG, palette } from '../chart-style.js';

/** One run's line in a line chart. */
export interface LineSeries {
  label: string;
  points: ReadonlyArray<{ x: number; y: number }>;
}

export interface LineChartInput {
  metric: string;
  xAxis: string;
  series: readonly LineSeries[];
  /** Every run label in report order, so a run keeps its colour in every chart (default: the series). */
  domain?: readonly string[];
  width?: number;
  height?: number;
}

/** A line per run of one metric over the x axis, coloured by run. */
export function lineChartSpec(input: LineChartInput): VegaLiteSpec {
  const labels = [...(input.domain ?? input.series.map((s) => s.label))];
  const values: Array<{ run: string; x: number; y: number }> = [];
  let longest = 0;
  for (const s of input.series) {
    longest = Math.max(longest, s.points.length);
    for (const p of s.points) values.push({ run: s.label, x: p.x, y: p.y });
  }
  return {
    $schema: SCHEMA,
    title: input.metric,
    width: input.width ?? 440,
    height: input.height ?? 240,
    config: CHART_CONFIG,
    data: { values },
    // Short series get point markers, so a run with a single row is still visible.
    mark: { type: 'line', strokeWidth: 1.6, clip: true, point: longest <= 30 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: input.xAxis, scale: { zero: false, nice: false } },
      y: { field: 'y', type: 'quantitative', title: input.metric, scale: { zero: false } },
      color: {
        field: 'run',
        type: 'nominal',
        title: 'run',
        scale: { domain: labels, range: palette(labels.length) },
        legend: { orient: 'bottom', columns: 2, labelLimit: 200 },
      },
    },
  };
}

/** One group's mean line and band over x. */
export interface BandSeries {
  group: string;
  points: ReadonlyArray<{ x: number; mean: number; lo: number; hi: number }>;
}

/** Grouped runs as W&B draws them: the group's mean line over x and a band from min to max. */
export function groupBandSpec(metric: string, xAxis: string, groups: readonly BandSeries[]): VegaLiteSpec {
  const labels = groups.map((g) => g.group);
  const values = groups.flatMap((g) => g.points.map((p) => ({ group: g.group, ...p })));
  const color = {
    field: 'group',
    type: 'nominal',
    title: 'group',
    scale: { domain: labels, range: palette(labels.length) },
    legend: { orient: 'bottom', columns: 2, labelLimit: 200, symbolType: 'stroke', symbolOpacity: 1 },
  } as const;
  const x = { field: 'x', type: 'quantitative', title: xAxis, scale: { zero: false, nice: false } } as const;
  return {
    $schema: SCHEMA,
    title: `${metric} by group (mean, min–max band)`,
    width: 440,
    height: 240,
    config: CHART_CONFIG,
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2, clip: true },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: metric, scale: { zero: false } }, y2: { field: 'hi' }, color },
      },
      {
        mark: { type: 'line', strokeWidth: 2, clip: true },
        encoding: { x, y: { field: 'mean', type: 'quantitative' }, color },
      },
    ],
  };
}

/** A group's mean and 95% CI for the interval chart. */
export interface GroupInterval {
  group: string;
  n: number;
  mean: number;
  lo: number | null;
  hi: number | null;
}

/** Mean per group (point) with its 95% confidence interval (error bar). */
export function groupMeansSpec(metric: string, groups: readonly GroupInterval[]): VegaLiteSpec {
  const labels = groups.map((g) => g.group);
  const values = groups.map((g) => ({ group: g.group, n: g.n, mean: g.mean, lo: g.lo ?? g.mean, hi: g.hi ?? g.mean }));
  const x = { field: 'group', type: 'nominal', title: 'group', sort: labels, axis: { labelAngle: 0 } } as const;
  const color = { field: 'group', type: 'nominal', scale: { domain: labels, range: palette(labels.length) }, legend: null } as const;
  return {
    $schema: SCHEMA,
    title: `${metric}: mean and 95% CI per group`,
    width: Math.max(200, 90 * labels.length),
    height: 220,
    config: CHART_CONFIG,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: metric, scale: { zero: false } }, y2: { field: 'hi' }, color },
      },
      { mark: { type: 'tick', thickness: 2, size: 14 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, color } },
      { mark: { type: 'tick', thickness: 2, size: 14 }, encoding: { x, y: { field: 'hi', type: 'quantitative' }, color } },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color } },
    ],
  };
}

/** A W&B histogram descriptor's counts as bars (`bins` are the edges, one more than `values`). */
export function histogramSpec(title: string, values: readonly number[], bins: readonly number[]): VegaLiteSpec {
  const rows: Array<{ x0: number; x1: number; count: number }> = [];
  for (let i = 0; i < values.length && i + 1 < bins.length; i++) {
    rows.push({ x0: bins[i] as number, x1: bins[i + 1] as number, count: values[i] as number });
  }
  return {
    $schema: SCHEMA,
    title,
    width: 320,
    height: 160,
    config: CHART_CONFIG,
    data: { values: rows },
    mark: { type: 'bar', color: '#4e79a7', binSpacing: 0 },
    encoding: {
      x: { field: 'x0', type: 'quantitative', bin: { binned: true }, title: 'value' },
      x2: { field: 'x1' },
      y: { field: 'count', type: 'quantitative', title: 'count' },
    },
  };
}
