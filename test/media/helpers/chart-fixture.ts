// The shared fixture of the chart tests: one chart encoded and its table file read back, and a worked
// binary classifier.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeMetrics } from '../../../src/media/index.js';
import type { ChartTable, MediaContext, VisualizeEntry } from '../../../src/media/index.js';

/** Encodes one chart under `key` into `ctx` and reads back its table file. */
export async function logChartIn(ctx: MediaContext, key: string, chart: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const out = await encodeMetrics({ [key]: { _type: 'chart', ...chart }, ...extra }, ctx);
  const desc = out.row[`${key}_table`] as Record<string, unknown>;
  assert.ok(desc !== undefined, `row has ${key}_table: ${JSON.stringify(out.row)}`);
  const table = JSON.parse(await readFile(join(ctx.filesDir, desc['path'] as string), 'utf8')) as ChartTable;
  return { ...out, desc, table, entry: out.visualize[key] as VisualizeEntry, ctx };
}

// The classic scikit-learn example: class 1 scores 0.1, 0.4, 0.35, 0.8 for labels 0, 0, 1, 1.
export const Y = [0, 0, 1, 1];
export const P = [
  [0.9, 0.1],
  [0.6, 0.4],
  [0.65, 0.35],
  [0.2, 0.8],
];
