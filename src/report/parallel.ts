/**
 * Parallel-coordinates chart of sweep parameters against the metric, as W&B draws it: one vertical
 * axis per parameter and one for the metric, one line per run coloured by the metric. Vega-Lite has
 * no parallel-axes mark, so positions are normalised here (on the sweep's own scales when given: a log
 * distribution on a log axis, a uniform one linear over its search range; else numbers linearly, or on
 * a log scale when they span two decades or more; categories evenly) and each axis gets its own tick labels.
 */

import { CHART_CONFIG, type VegaLiteSpec } from './specs.js';
import type { ReportSweepAxis } from './types.js';

export interface ParallelRun {
  label: string;
  /** Parameter (and metric) values by dimension name. */
  values: Record<string, unknown>;
  metric: number | undefined;
  best?: boolean;
}

interface Axis {
  position(v: unknown): number | undefined;
  ticks: Array<{ pos: number; label: string }>;
}

/** Short numeric label: up to 4 significant digits, exponent form for very small or large values. */
export function formatNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** A numeric axis: on the sweep's own scale and range when given, else read from the values. */
function numericAxis(nums: number[], given?: ReportSweepAxis): Axis {
  const min = given?.domain?.[0] ?? Math.min(...nums);
  const max = given?.domain?.[1] ?? Math.max(...nums);
  // Two decades or more (learning rates, weight decays) read better on a log scale, when the sweep does not say.
  const log = given !== undefined ? given.scale === 'log' && min > 0 : min > 0 && Math.log10(max) - Math.log10(min) >= 2 - 1e-9;
  const f = log ? Math.log10 : (v: number): number => v;
  const inv = log ? (v: number): number => 10 ** v : (v: number): number => v;
  const lo = f(min);
  const hi = f(max);
  const position = (v: unknown): number | undefined => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (log && v <= 0)) return undefined;
    return hi === lo ? 0.5 : (f(v) - lo) / (hi - lo);
  };
  const ticks =
    hi === lo ? [{ pos: 0.5, label: formatNumber(min) }] : [0, 0.25, 0.5, 0.75, 1].map((pos) => ({ pos, label: formatNumber(inv(lo + pos * (hi - lo))) }));
  return { position, ticks };
}

function categoryKey(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null');
}

function categoricalAxis(values: unknown[], order?: unknown[]): Axis {
  // The sweep's list in its own order (then values it does not list), else sorted.
  const cats = order ? [...new Set([...order, ...values].map(categoryKey))] : [...new Set(values.map(categoryKey))].sort();
  const pos = (i: number): number => (cats.length === 1 ? 0.5 : i / (cats.length - 1));
  const index = new Map(cats.map((c, i) => [c, i]));
  // Too many categories make labels overlap; label at most 12, evenly picked.
  const step = Math.max(1, Math.ceil(cats.length / 12));
  return {
    position: (v) => (v === undefined ? undefined : pos(index.get(categoryKey(v)) ?? 0)),
    ticks: cats.filter((_, i) => i % step === 0).map((label) => ({ pos: pos(index.get(label) ?? 0), label })),
  };
}

function axisFor(values: unknown[], given?: ReportSweepAxis): Axis {
  const present = values.filter((v) => v !== undefined && v !== null);
  const nums = present.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (given?.scale === 'categorical') return categoricalAxis(present, given.values);
  if (given?.domain !== undefined && nums.length === present.length) return numericAxis(nums, given);
  if (present.length > 0 && nums.length === present.length) return numericAxis(nums);
  return categoricalAxis(present);
}

/**
 * The parallel-coordinates spec; `dimensions` are parameter names, the metric axis comes last.
 * `given` holds the parameters' axes on the sweep's own scales (log, linear over the search range,
 * categorical in the list's order); a parameter without one is read from its values.
 */
export function parallelCoordinatesSpec(
  metric: string,
  dimensions: readonly string[],
  runs: readonly ParallelRun[],
  given: Readonly<Record<string, ReportSweepAxis>> = {},
): VegaLiteSpec {
  const dims = [...dimensions, metric];
  const axes = dims.map((d, i) =>
    i === dims.length - 1
      ? axisFor(runs.map((r) => r.metric))
      : axisFor(
          runs.map((r) => r.values[d]),
          Object.hasOwn(given, d) ? given[d] : undefined,
        ),
  );
  const lines: Array<{ run: string; dim: string; order: number; pos: number; value: number | null; best: boolean }> = [];
  for (const run of runs) {
    dims.forEach((d, i) => {
      const raw = i === dims.length - 1 ? run.metric : run.values[d];
      const pos = (axes[i] as Axis).position(raw);
      if (pos !== undefined) lines.push({ run: run.label, dim: d, order: i, pos, value: run.metric ?? null, best: run.best === true });
    });
  }
  const ticks = dims.flatMap((d, i) => (axes[i] as Axis).ticks.map((t) => ({ dim: d, ...t })));
  const x = {
    field: 'dim',
    type: 'nominal',
    scale: { type: 'point', domain: dims, padding: 0.3 },
    axis: { orient: 'top', title: null, labelAngle: 0, domain: false, ticks: false, labelFontWeight: 'bold', labelLimit: 140, offset: 12 },
  } as const;
  const y = { field: 'pos', type: 'quantitative' as const, scale: { domain: [0, 1] }, axis: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Sweep: parameters against ${metric}`,
    width: Math.max(440, 130 * dims.length),
    height: 300,
    config: { ...CHART_CONFIG, view: { stroke: null } },
    layer: [
      { data: { values: dims.map((dim) => ({ dim })) }, mark: { type: 'rule', color: '#999' }, encoding: { x } },
      {
        data: { values: lines },
        mark: { type: 'line', opacity: 0.85 },
        encoding: {
          x,
          y,
          detail: { field: 'run', type: 'nominal' },
          order: { field: 'order', type: 'quantitative' },
          color: { field: 'value', type: 'quantitative', title: metric, scale: { scheme: 'viridis' } },
          strokeWidth: { condition: { test: 'datum.best', value: 4 }, value: 1.5 },
        },
      },
      {
        data: { values: ticks },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#333', limit: 110 },
        encoding: { x, y, text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
}
