/**
 * W&B's `wandb.plot` presets: each turns a chart input into the table W&B logs (same columns, same
 * values), the panel W&B records (`panelDefId`, `fieldSettings`, `stringSettings`) and a Vega-Lite
 * spec of our own for drawing it. Facts from W&B's SDK (`wandb/plot/*.py`): default titles, column
 * names, the confusion matrix's `Class_<n>` names, ROC/PR one-vs-rest per class with 3-decimal
 * rounding, PR precision read at 21 recall levels, at most 10,000 table rows.
 */
import { mediaInvalid } from './issues.js';
import {
  type ChartTable,
  chartTable,
  classIndices,
  columnIndex,
  finiteNumbers,
  intField,
  numericColumn,
  scoreRows,
  stringField,
  stringList,
} from './chart-input.js';
import { type CurvePoint, interpolatedPrecision, prPoints, rocPoints, round3, thinPoints } from './chart-curves.js';
import { type ChartSpec, areaUnderCurveSpec, barSpec, confusionMatrixSpec, histogramChartSpec, lineSpec, scatterSpec } from './chart-specs.js';
import { HISTOGRAM_DEFAULT_BINS, HISTOGRAM_MAX_BINS } from './histogram.js';
import { TABLE_MAX_ROWS } from './table.js';

export const CHART_PRESETS = ['line', 'scatter', 'bar', 'histogram', 'confusion_matrix', 'roc_curve', 'pr_curve'] as const;
export type ChartPreset = (typeof CHART_PRESETS)[number];

/** What a preset yields before anything is written. */
export interface PresetResult {
  table: ChartTable;
  panelDefId: string;
  fieldSettings: Record<string, string | null>;
  stringSettings: Record<string, string | null>;
  spec: ChartSpec;
  warnings: string[];
}

type Build = (input: Record<string, unknown>, key: string, issue: string) => PresetResult;

/** The title W&B stores (`null` when its preset defaults to None) and the one we draw. */
function titles(input: Record<string, unknown>, issue: string, wandbDefault: string | null, key: string): { stored: string | null; shown: string } {
  const t = input['title'];
  if (t !== undefined && t !== null && typeof t !== 'string') throw mediaInvalid(`${issue}.title`, 'must be a string');
  const stored = typeof t === 'string' ? t : wandbDefault;
  return { stored, shown: stored === null || stored === '' ? key : stored };
}

const line: Build = (input, key, issue) => {
  const read = chartTable(input, issue);
  const x = stringField(input, 'x', issue, true);
  const y = stringField(input, 'y', issue, true);
  const stroke = stringField(input, 'stroke', issue);
  numericColumn(read, columnIndex(read.table, x, issue, 'x'));
  numericColumn(read, columnIndex(read.table, y, issue, 'y'));
  if (stroke !== undefined) columnIndex(read.table, stroke, issue, 'stroke');
  const t = titles(input, issue, '', key);
  return {
    table: read.table,
    panelDefId: 'wandb/line/v0',
    fieldSettings: { x, y, stroke: stroke ?? null },
    stringSettings: { title: t.stored },
    spec: lineSpec(t.shown, x, y, stroke),
    warnings: [],
  };
};

const scatter: Build = (input, key, issue) => {
  const read = chartTable(input, issue);
  const x = stringField(input, 'x', issue, true);
  const y = stringField(input, 'y', issue, true);
  numericColumn(read, columnIndex(read.table, x, issue, 'x'));
  numericColumn(read, columnIndex(read.table, y, issue, 'y'));
  const t = titles(input, issue, null, key);
  return {
    table: read.table,
    panelDefId: 'wandb/scatter/v0',
    fieldSettings: { x, y },
    stringSettings: { title: t.stored },
    spec: scatterSpec(t.shown, x, y),
    warnings: [],
  };
};

const bar: Build = (input, key, issue) => {
  const read = chartTable(input, issue);
  const label = stringField(input, 'label', issue, true);
  const value = stringField(input, 'value', issue, true);
  columnIndex(read.table, label, issue, 'label');
  numericColumn(read, columnIndex(read.table, value, issue, 'value'));
  const t = titles(input, issue, null, key);
  return {
    table: read.table,
    panelDefId: 'wandb/bar/v0',
    fieldSettings: { label, value },
    stringSettings: { title: t.stored },
    spec: barSpec(t.shown, label, value),
    warnings: [],
  };
};

/** `values` (raw numbers) become a one-column table named by `value` (default "value"). */
const histogram: Build = (input, key, issue) => {
  const numBins = intField(input, 'numBins', issue, HISTOGRAM_DEFAULT_BINS, 1, HISTOGRAM_MAX_BINS);
  let table: ChartTable;
  let value: string;
  if (input['values'] !== undefined) {
    value = stringField(input, 'value', issue) ?? 'value';
    table = { columns: [value], data: finiteNumbers(input['values'], `${issue}.values`).map((v) => [v]) };
  } else {
    const read = chartTable(input, issue);
    value = stringField(input, 'value', issue, true);
    numericColumn(read, columnIndex(read.table, value, issue, 'value'));
    table = read.table;
  }
  const t = titles(input, issue, null, key);
  return {
    table,
    panelDefId: 'wandb/histogram/v0',
    fieldSettings: { value },
    stringSettings: { title: t.stored },
    spec: histogramChartSpec(t.shown, value, numBins),
    warnings: [],
  };
};

function argmax(row: readonly number[]): number {
  let best = 0;
  row.forEach((v, i) => {
    if (v > (row[best] as number)) best = i;
  });
  return best;
}

const confusionMatrix: Build = (input, key, issue) => {
  const yTrue = classIndices(input, 'yTrue', issue);
  const names = stringList(input, 'classNames', issue);
  if (input['probs'] !== undefined && input['preds'] !== undefined) throw mediaInvalid(`${issue}.probs`, 'give preds or probs, not both');
  let preds: number[];
  if (input['probs'] !== undefined) preds = scoreRows(input, 'probs', issue, yTrue.length, names?.length).map(argmax);
  else if (input['preds'] !== undefined) preds = classIndices(input, 'preds', issue);
  else throw mediaInvalid(`${issue}.preds`, 'required: predicted class indices (or probs, a row of class probabilities per sample)');
  if (preds.length !== yTrue.length) throw mediaInvalid(`${issue}.preds`, `has ${preds.length} entries, yTrue has ${yTrue.length}`);
  let classes: number[];
  let labels: string[];
  if (names !== undefined) {
    if (names.length === 0) throw mediaInvalid(`${issue}.classNames`, 'must name at least one class');
    for (const [field, list] of [
      ['yTrue', yTrue],
      ['preds', preds],
    ] as const) {
      const bad = list.findIndex((c) => c >= names.length);
      if (bad >= 0) throw mediaInvalid(`${issue}.${field}[${bad}]`, `class index ${list[bad] ?? ''} is out of range: classNames has ${names.length} classes`);
    }
    classes = names.map((_, i) => i);
    labels = names;
  } else {
    // W&B without class names: the classes seen, in sorted order, named Class_1, Class_2, ...
    classes = [...new Set([...yTrue, ...preds])].sort((a, b) => a - b);
    labels = classes.map((_, i) => `Class_${i + 1}`);
  }
  const at = new Map(classes.map((c, i) => [c, i]));
  const n = classes.length;
  const counts = new Array<number>(n * n).fill(0);
  yTrue.forEach((c, i) => {
    const cell = (at.get(c) as number) * n + (at.get(preds[i] as number) as number);
    counts[cell] = (counts[cell] ?? 0) + 1;
  });
  const data: unknown[][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data.push([labels[i], labels[j], counts[i * n + j]]);
  const t = titles(input, issue, 'Confusion Matrix Curve', key);
  return {
    table: { columns: ['Actual', 'Predicted', 'nPredictions'], data },
    panelDefId: 'wandb/confusion_matrix/v1',
    fieldSettings: { Actual: 'Actual', Predicted: 'Predicted', nPredictions: 'nPredictions' },
    stringSettings: { title: t.stored },
    spec: confusionMatrixSpec(t.shown, n),
    warnings: [],
  };
};

interface CurveInput {
  /** Per plotted class: its label (a name, or the index when no labels are given) and curve points. */
  curves: Array<{ label: string | number; points: CurvePoint[] }>;
}

/**
 * One-vs-rest curves for the classes present in yTrue (optionally only `classesToPlot`), each
 * scored by its own column of yProbas.
 */
function curves(input: Record<string, unknown>, issue: string, points: (positive: boolean[], scores: number[]) => CurvePoint[]): CurveInput {
  const yTrue = classIndices(input, 'yTrue', issue);
  if (yTrue.length === 0) throw mediaInvalid(`${issue}.yTrue`, 'must hold at least one sample');
  const probas = scoreRows(input, 'yProbas', issue, yTrue.length);
  const width = probas[0]?.length ?? 0;
  const bad = yTrue.findIndex((c) => c >= width);
  if (bad >= 0) throw mediaInvalid(`${issue}.yTrue[${bad}]`, `class index ${yTrue[bad] ?? ''} is out of range: yProbas rows have ${width} scores`);
  const labels = stringList(input, 'labels', issue);
  if (labels !== undefined && labels.length < width) throw mediaInvalid(`${issue}.labels`, `names ${labels.length} classes, yProbas rows have ${width}`);
  const present = [...new Set(yTrue)].sort((a, b) => a - b);
  let plotted = present;
  if (input['classesToPlot'] !== undefined && input['classesToPlot'] !== null) {
    const wanted = new Set(classIndices(input, 'classesToPlot', issue));
    plotted = present.filter((c) => wanted.has(c));
    if (plotted.length === 0) throw mediaInvalid(`${issue}.classesToPlot`, 'names no class that occurs in yTrue');
  }
  return {
    curves: plotted.map((c) => ({
      label: labels?.[c] ?? c,
      points: points(
        yTrue.map((y) => y === c),
        probas.map((row) => row[c] as number),
      ),
    })),
  };
}

/** Class rows of a curve table, thinned to W&B's 10,000 rows (each class keeping its share). */
function curveRows(input: CurveInput, key: string, round: (p: CurvePoint) => [number, number]): { data: unknown[][]; warnings: string[] } {
  const total = input.curves.reduce((n, c) => n + c.points.length, 0);
  const warnings: string[] = [];
  let curves = input.curves;
  if (total > TABLE_MAX_ROWS) {
    const share = Math.max(2, Math.floor(TABLE_MAX_ROWS / input.curves.length));
    curves = curves.map((c) => ({ ...c, points: thinPoints(c.points, Math.min(c.points.length, share)) }));
    warnings.push(`${key}: the curve table had ${total} points; W&B keeps at most ${TABLE_MAX_ROWS}, so each class keeps evenly spaced points`);
  }
  const data = curves.flatMap((c) => c.points.map((p) => [c.label, ...round(p)]));
  return { data, warnings };
}

const rocCurve: Build = (input, key, issue) => {
  const t = titles(input, issue, 'ROC Curve', key);
  const { data, warnings } = curveRows(curves(input, issue, rocPoints), key, (p) => [round3(p.x), round3(p.y)]);
  return {
    table: { columns: ['class', 'fpr', 'tpr'], data },
    panelDefId: 'wandb/area-under-curve/v0',
    fieldSettings: { x: 'fpr', y: 'tpr', class: 'class' },
    stringSettings: { title: t.stored, 'x-axis-title': 'False positive rate', 'y-axis-title': 'True positive rate' },
    spec: areaUnderCurveSpec(t.shown, 'False positive rate', 'True positive rate', true),
    warnings,
  };
};

const prCurve: Build = (input, key, issue) => {
  const interpSize = intField(input, 'interpSize', issue, 21, 2, 1000);
  const t = titles(input, issue, 'Precision-Recall Curve', key);
  const read = curves(input, issue, (pos, scores) => interpolatedPrecision(prPoints(pos, scores), interpSize));
  // W&B's PR table puts precision before recall.
  const { data, warnings } = curveRows(read, key, (p) => [round3(p.y), round3(p.x)]);
  return {
    table: { columns: ['class', 'precision', 'recall'], data },
    panelDefId: 'wandb/area-under-curve/v0',
    fieldSettings: { x: 'recall', y: 'precision', class: 'class' },
    stringSettings: { title: t.stored, 'x-axis-title': 'Recall', 'y-axis-title': 'Precision' },
    spec: areaUnderCurveSpec(t.shown, 'Recall', 'Precision', false),
    warnings,
  };
};

export const PRESETS: Readonly<Record<ChartPreset, Build>> = {
  line,
  scatter,
  bar,
  histogram,
  confusion_matrix: confusionMatrix,
  roc_curve: rocCurve,
  pr_curve: prCurve,
};
