import { readFileSync } from 'node:fs';
import type { RunRecord } from '../store/index.js';
import { parseExtended } from '../json/extended-json.js';
import { chartSpecWithTable } from '../media/chart.js';
import type { VisualizeEntry } from '../media/types.js';
import { resolveInsideRoot } from './files.js';

export interface LoggedChart {
  key: string;
  title: string;
  spec: Record<string, unknown>;
}

/**
 * The charts a run logged with chart presets (W&B's `_wandb.visualize.<key>` config entries), each
 * with the rows of its `<key>_table` file, ready for vega-embed. A chart whose table cannot be read
 * is left out (the table is still in the media section).
 */
export function loggedCharts(run: RunRecord, summary: Record<string, unknown>, filesDir: string, maxRows = 10_000): LoggedChart[] {
  const wandb = run.config['_wandb'] as { visualize?: Record<string, VisualizeEntry> } | undefined;
  const out: LoggedChart[] = [];
  for (const [key, entry] of Object.entries(wandb?.visualize ?? {})) {
    const descriptor = summary[`${key}_table`] as { path?: unknown } | undefined;
    if (typeof descriptor?.path !== 'string') continue;
    try {
      const file = resolveInsideRoot(filesDir, descriptor.path.split('/'));
      const table = parseExtended(readFileSync(file, 'utf8')) as { columns: string[]; data: unknown[][] };
      const spec = chartSpecWithTable(entry, { columns: table.columns, data: table.data.slice(0, maxRows) });
      const title = entry.panel_config.stringSettings['title'] ?? key;
      out.push({ key, title, spec });
    } catch {
      continue;
    }
  }
  return out;
}
