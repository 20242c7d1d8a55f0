/**
 * Vega-Lite specifications for W&B's chart presets, in the grammar of the report's charts
 * (src/report/specs.ts). A spec reads the named data source `table` and carries no rows, so the run
 * config stays small; `chartSpecWithTable` (chart.ts) fills it from the logged table file. Rows use
 * the preset's own field names (W&B's `fieldSettings` keys: `x`, `y`, `class`, `Actual`, ...), never
 * user column names, because Vega reads dots and brackets in field names as paths; user strings
 * appear only as titles and data values.
 */
import { CHART_CONFIG, palette } from '../chart-style.js';

/** A Vega-Lite spec as plain JSON (cast to `VegaLiteSpec` to compile it). */
export type ChartSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** The named data source every chart spec reads. */
export const CHART_DATA = 'table';

/** Per-row index added when the table is bound, so curves are drawn in table order. */
export const ROW_FIELD = 'row';

function base(title: string, width = 440, height = 260): Record<string, unknown> {
  return { $schema: SCHEMA, title, width, height, config: CHART_CONFIG, data: { name: CHART_DATA } };
}

const quantitative = (field: string, title: string, zero = false): Record<string, unknown> => ({ field, type: 'quantitative', title, scale: { zero } });

/** `wandb/line/v0`: y over x, a line per `stroke` value when a stroke column is named. */
export function lineSpec(title: string, x: string, y: string, stroke: string | undefined): ChartSpec {
  const encoding: Record<string, unknown> = { x: quantitative('x', x), y: quantitative('y', y) };
  if (stroke !== undefined)
    encoding['color'] = { field: 'stroke', type: 'nominal', title: stroke, scale: { range: palette(20) }, legend: { orient: 'bottom' } };
  return { ...base(title), mark: { type: 'line', strokeWidth: 1.6, point: { size: 18 } }, encoding };
}

/** `wandb/scatter/v0`: one point per row. */
export function scatterSpec(title: string, x: string, y: string): ChartSpec {
  return { ...base(title), mark: { type: 'point', filled: true, size: 40, opacity: 0.8 }, encoding: { x: quantitative('x', x), y: quantitative('y', y) } };
}

/** `wandb/bar/v0`: a horizontal bar per row, labels in table order. */
export function barSpec(title: string, label: string, value: string): ChartSpec {
  return {
    ...base(title),
    mark: { type: 'bar', color: '#4e79a7' },
    encoding: {
      y: { field: 'label', type: 'nominal', title: label, sort: null },
      x: { field: 'value', type: 'quantitative', title: value },
    },
  };
}

/** `wandb/histogram/v0`: the value column binned (about `numBins` bins) and counted. */
export function histogramChartSpec(title: string, value: string, numBins: number): ChartSpec {
  return {
    ...base(title),
    mark: { type: 'bar', color: '#4e79a7', binSpacing: 0 },
    encoding: {
      x: { field: 'value', type: 'quantitative', bin: { maxbins: numBins }, title: value },
      y: { aggregate: 'count', type: 'quantitative', title: 'count' },
    },
  };
}

/** `wandb/confusion_matrix/v1`: counts as a heat map with the numbers written in, classes in table order. */
export function confusionMatrixSpec(title: string, classCount: number): ChartSpec {
  const size = Math.min(640, Math.max(160, 48 * classCount));
  const x = { field: 'Predicted', type: 'nominal', title: 'Predicted', sort: null, axis: { labelAngle: -45 } };
  const y = { field: 'Actual', type: 'nominal', title: 'Actual', sort: null };
  return {
    ...base(title, size, size),
    transform: [{ joinaggregate: [{ op: 'max', field: 'nPredictions', as: 'maxCount' }] }],
    layer: [
      { mark: { type: 'rect' }, encoding: { x, y, color: { field: 'nPredictions', type: 'quantitative', title: 'count', scale: { scheme: 'blues' } } } },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          x,
          y,
          text: { field: 'nPredictions', type: 'quantitative' },
          color: { condition: { test: 'datum.nPredictions > datum.maxCount / 2', value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** `wandb/area-under-curve/v0` (ROC and PR): a line per class on the unit square. */
export function areaUnderCurveSpec(title: string, xTitle: string, yTitle: string, diagonal: boolean): ChartSpec {
  const unit = (field: string, t: string): Record<string, unknown> => ({ field, type: 'quantitative', title: t, scale: { domain: [0, 1] } });
  const curve = {
    mark: { type: 'line', strokeWidth: 2, clip: true },
    encoding: {
      x: unit('x', xTitle),
      y: unit('y', yTitle),
      color: { field: 'class', type: 'nominal', title: 'class', scale: { range: palette(20) }, legend: { orient: 'bottom' } },
      order: { field: ROW_FIELD, type: 'quantitative' },
    },
  };
  const chance = {
    data: {
      values: [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ],
    },
    mark: { type: 'line', strokeDash: [4, 4], color: '#999', strokeWidth: 1 },
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  };
  return { ...base(title, 360, 300), layer: diagonal ? [curve, chance] : [curve] };
}
