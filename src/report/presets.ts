/**
 * Charts a run logged with W&B's presets (confusion matrix, ROC, PR, line, scatter, bar,
 * histogram): the run config's `_wandb.visualize.<key>` entry carries the panel and our Vega-Lite
 * spec, and the `<key>_table` the run logged holds the rows. The report draws the chart from them
 * (as the dashboard does) instead of printing the table.
 */
import { chartSpecWithTable } from '../media/chart.js';
import type { VisualizeEntry } from '../media/types.js';
import { readTableFile } from './media-embed.js';
import type { VegaLiteSpec } from './specs.js';
import type { ReportMedia, ReportRun } from './types.js';

/** W&B keeps at most this many rows in a chart's table; a report draws no more. */
const MAX_ROWS = 10_000;

export interface PresetChart {
  runId: string;
  /** The chart's key (its table is `<key>_table`). */
  key: string;
  title: string;
  spec: VegaLiteSpec;
  rows: number;
}

function visualizeOf(run: ReportRun): Record<string, VisualizeEntry> {
  const wandb = run.config['_wandb'];
  if (wandb === null || typeof wandb !== 'object' || Array.isArray(wandb)) return {};
  const v = (wandb as { visualize?: unknown }).visualize;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, VisualizeEntry>) : {};
}

/**
 * The run's preset charts, each from the last `<key>_table` it logged; `media` is the run's media
 * list. Returns the charts and the table keys they draw (left out of the media section).
 */
export function presetCharts(run: ReportRun, media: readonly ReportMedia[]): { charts: PresetChart[]; tableKeys: Set<string> } {
  const charts: PresetChart[] = [];
  const tableKeys = new Set<string>();
  for (const [key, entry] of Object.entries(visualizeOf(run))) {
    if (entry?.panel_config === undefined || entry.spec === null || typeof entry.spec !== 'object') continue;
    const tableKey = `${key}_table`;
    const m = media.filter((x) => x.key === tableKey && (x.type === 'table-file' || x.type === 'table')).pop();
    if (m === undefined) continue;
    const table = m.table ?? readTableFile(run, m);
    if (table === undefined || typeof table === 'string') continue;
    const spec = chartSpecWithTable(entry, { columns: table.columns, data: table.data.slice(0, MAX_ROWS) }) as unknown as VegaLiteSpec;
    const title = entry.panel_config.stringSettings?.['title'] || key;
    charts.push({ runId: run.runId, key, title, spec, rows: table.data.length });
    tableKeys.add(tableKey);
  }
  return { charts, tableKeys };
}
