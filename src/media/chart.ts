/**
 * Charts in `log`: a metric value `{_type: "chart", preset, ...}` becomes, as with W&B's
 * `wandb.plot.*`, a table logged under `<key>_table` (the chart's own key stays out of the row) and
 * a run config entry `_wandb.visualize.<key>` naming W&B's panel and its query of that table. The
 * entry also carries a Vega-Lite spec so reports and the dashboard can draw it offline.
 * @example
 * log({ cm: { _type: 'chart', preset: 'confusion_matrix', yTrue: [0, 1], preds: [0, 0], classNames: ['cat', 'dog'] } })
 * // row: { cm_table: { _type: 'table-file', ... } }
 * // visualize: { cm: { panel_type: 'Vega2', panel_config: { panelDefId: 'wandb/confusion_matrix/v1', ... }, spec } }
 */
import { mediaInvalid } from './issues.js';
import { CHART_PRESETS, type ChartPreset, PRESETS, type PresetResult } from './chart-presets.js';
import { CHART_DATA, ROW_FIELD } from './chart-specs.js';
import type { ChartTable } from './chart-input.js';
import type { VisualizeEntry } from './types.js';

export { CHART_PRESETS } from './chart-presets.js';
export type { ChartPreset } from './chart-presets.js';
export type { ChartTable } from './chart-input.js';

/** True for a metric value `{_type: "chart", ...}`. */
export function isChartInput(value: unknown): value is Record<string, unknown> & { _type: 'chart' } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { _type?: unknown })._type === 'chart';
}

/** W&B's key for a chart's table (`CustomChartSpec.table_key`, without `split_table`). */
export function chartTableKey(key: string): string {
  return `${key}_table`;
}

/** The table and panel of a chart input; INVALID_INPUT naming the field on any bad part. */
export function planChart(input: Record<string, unknown>, key: string, issue: string): PresetResult {
  const preset = input['preset'];
  if (typeof preset !== 'string' || !(CHART_PRESETS as readonly string[]).includes(preset)) {
    throw mediaInvalid(`${issue}.preset`, `unknown chart preset ${JSON.stringify(preset)}; use one of ${CHART_PRESETS.join(', ')}`);
  }
  return PRESETS[preset as ChartPreset](input, key, issue);
}

/** The `_wandb.visualize.<key>` value W&B writes for a chart (`CustomChartSpec.config_value`), plus our spec. */
export function visualizeEntry(key: string, chart: Pick<PresetResult, 'panelDefId' | 'fieldSettings' | 'stringSettings' | 'spec'>): VisualizeEntry {
  return {
    panel_type: 'Vega2',
    panel_config: {
      panelDefId: chart.panelDefId,
      fieldSettings: chart.fieldSettings,
      stringSettings: chart.stringSettings,
      transform: { name: 'tableWithLeafColNames' },
      userQuery: {
        queryFields: [
          {
            name: 'runSets',
            args: [{ name: 'runSets', value: '${runSets}' }],
            fields: [
              { name: 'id', fields: [] },
              { name: 'name', fields: [] },
              { name: '_defaultColorIndex', fields: [] },
              { name: 'summaryTable', args: [{ name: 'tableKey', value: chartTableKey(key) }], fields: [] },
            ],
          },
        ],
      },
    },
    spec: chart.spec,
  };
}

/**
 * A drawable spec: the entry's spec with the table's rows as its `table` dataset, each row holding
 * the panel's fields (`fieldSettings` key → that column's cell) and its index. Give the contents of
 * the `<key>_table` file (`{columns, data}`).
 */
export function chartSpecWithTable(entry: Pick<VisualizeEntry, 'panel_config' | 'spec'>, table: ChartTable): Record<string, unknown> {
  const picks: Array<[string, number]> = [];
  for (const [field, column] of Object.entries(entry.panel_config.fieldSettings)) {
    if (typeof column !== 'string') continue;
    const at = table.columns.indexOf(column);
    if (at >= 0) picks.push([field, at]);
  }
  const rows = table.data.map((cells, i) => {
    const row: Record<string, unknown> = { [ROW_FIELD]: i };
    for (const [field, at] of picks) row[field] = cells[at] ?? null;
    return row;
  });
  return { ...entry.spec, datasets: { [CHART_DATA]: rows } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The run config with `visualize` merged into `_wandb.visualize` (a chart logged again under the
 * same key replaces its entry, as W&B's config update does); the input config is not changed.
 */
export function mergeVisualize(config: Record<string, unknown>, visualize: Readonly<Record<string, VisualizeEntry>>): Record<string, unknown> {
  const wandb = isRecord(config['_wandb']) ? config['_wandb'] : {};
  const prior = isRecord(wandb['visualize']) ? wandb['visualize'] : {};
  const merged: Record<string, unknown> = { ...prior };
  // Own-property writes: a chart key such as `__proto__` must not reach the prototype.
  for (const [k, v] of Object.entries(visualize)) Object.defineProperty(merged, k, { value: v, writable: true, enumerable: true, configurable: true });
  return { ...config, _wandb: { ...wandb, visualize: merged } };
}

/**
 * The `_wandb` config value to send to W&B (`encodeConfig`'s `options.wandb`): as stored, but
 * each `visualize` entry without our `spec`, so the server gets exactly W&B's panel entry.
 */
export function wandbConfigForServer(config: Record<string, unknown>): Record<string, unknown> | undefined {
  const wandb = config['_wandb'];
  if (!isRecord(wandb)) return undefined;
  const visualize = wandb['visualize'];
  if (!isRecord(visualize)) return { ...wandb };
  const entries: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(visualize)) {
    const entry = isRecord(v) ? Object.fromEntries(Object.entries(v).filter(([field]) => field !== 'spec')) : v;
    Object.defineProperty(entries, k, { value: entry, writable: true, enumerable: true, configurable: true });
  }
  return { ...wandb, visualize: entries };
}
