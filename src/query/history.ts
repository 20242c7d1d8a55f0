/**
 * A run's history for the `query` action, in W&B's two forms: sampled (`run.history(keys,
 * samples)`: buckets with the first and last rows kept and min/max/mean per point, read through
 * the shared `sampleHistory`) and exact (`run.scan_history(keys, min_step, max_step)`: every row of
 * a step range, paged by line number).
 */
import { parseExtended } from '../json/extended-json.js';
import { readSummary } from '../runs/lifecycle.js';
import type { RunRecord, Store } from '../store/index.js';
import { sampleHistory, valueAt, type SampledPoint } from '../history/sampled.js';
import { forEachNumber } from '../history/accumulator.js';
import { fitItems, fitObject, jsonBytes } from './paging.js';

/** Points when neither samples nor a step range is given (W&B's run.history default). */
const DEFAULT_SAMPLES = 500;
/** Rows per page of an exact read. */
export const DEFAULT_HISTORY_PAGE = 500;
const DEFAULT_KEY_COUNT = 16;

export interface HistoryRequest {
  keys?: readonly string[] | undefined;
  samples?: number | undefined;
  minStep?: number | undefined;
  maxStep?: number | undefined;
}

/** A page of a history answer: the object to show, the offset to continue from (none at the end), and whether the budget cut it. */
export interface HistoryPage {
  history: Record<string, unknown>;
  total: number;
  next?: number;
  truncated: boolean;
}

/**
 * The keys to read when none are named: the summary's numeric keys, nested ones dotted as the
 * history names them (`val.acc`), W&B's own `_` keys and media descriptors aside; at most 16.
 */
export function defaultKeys(store: Store, run: RunRecord): string[] {
  const summary = readSummary(store, run).value;
  const plain: Record<string, unknown> = {};
  for (const k in summary) {
    const v = summary[k];
    if (k.startsWith('_') || (v !== null && typeof v === 'object' && '_type' in v)) continue;
    plain[k] = v;
  }
  const keys: string[] = [];
  forEachNumber(plain, (k) => void keys.push(k));
  return keys.slice(0, DEFAULT_KEY_COUNT);
}

/**
 * Sampled history, its points listed key by key; `offset` counts points over that list, so a page
 * that does not fit in `room` bytes goes on where it stopped.
 */
export function sampledPage(store: Store, run: RunRecord, req: HistoryRequest & { keys: readonly string[] }, offset: number, room: number): HistoryPage {
  const samples = req.samples ?? DEFAULT_SAMPLES;
  const sampled = sampleHistory(store, run.key, {
    keys: req.keys,
    samples,
    ...(req.minStep !== undefined ? { minStep: req.minStep } : {}),
    ...(req.maxStep !== undefined ? { maxStep: req.maxStep } : {}),
  });
  const flat: Array<{ key: string; point: SampledPoint }> = [];
  for (const key of req.keys) for (const point of sampled.series[key] ?? []) flat.push({ key, point });
  const head = { mode: 'sampled', samples, rows: sampled.rows, bucketRows: sampled.bucketRows, keys: req.keys, points: flat.length, fromPoint: offset };
  const fitted = fitItems(flat.slice(offset), room - jsonBytes(head) - 32 - req.keys.reduce((n, k) => n + k.length + 6, 0), true);
  const series: Record<string, SampledPoint[]> = {};
  for (const key of req.keys) series[key] = [];
  for (const { key, point } of fitted.items) series[key]?.push(point);
  const end = offset + fitted.items.length;
  const page: HistoryPage = { history: { ...head, series }, total: sampled.rows, truncated: end < flat.length };
  if (end < flat.length) page.next = end;
  return page;
}

/**
 * Exact rows of a step range, from line `offset` on (W&B's scan_history: only rows holding every
 * requested key, each with `_step` and those keys; every key when none are named).
 */
export function exactPage(store: Store, run: RunRecord, req: HistoryRequest, offset: number, limit: number, room: number): HistoryPage {
  const scan = store.historyScan;
  const first = req.minStep === undefined ? 0 : scan.firstSeqAtStep(run.key, req.minStep);
  const end = req.maxStep === undefined ? run.historyCount : Math.min(run.historyCount, scan.firstSeqAtStep(run.key, req.maxStep + 1));
  const from = Math.max(first, offset);
  const lines = from < end ? scan.page(run.key, from, end, limit) : [];
  const keys = req.keys;
  const rows: Array<{ seq: number; row: Record<string, unknown> }> = [];
  for (const { seq, row: text } of lines) {
    const row = parseExtended(text) as Record<string, unknown>;
    if (keys === undefined) {
      rows.push({ seq, row });
      continue;
    }
    const picked: Record<string, unknown> = { _step: row['_step'] };
    let all = true;
    for (const k of keys) {
      const v = valueAt(row, k);
      if (v === undefined) all = false;
      else picked[k] = v;
    }
    if (all) rows.push({ seq, row: picked });
  }
  const head = { mode: 'exact', keys: keys ?? null, minStep: req.minStep ?? null, maxStep: req.maxStep ?? null, fromSeq: from };
  const rowRoom = room - jsonBytes(head) - 24;
  const fitted = fitItems(
    rows.map((r) => r.row),
    rowRoom,
    true,
  );
  // One row bigger than the budget (whole rows with media or long text): its keys that fit, and how many were left out.
  const only = fitted.items[0];
  const cutRow = fitted.items.length === 1 && only !== undefined && jsonBytes(only) > rowRoom;
  if (cutRow) {
    const cut = fitObject(only, rowRoom - 40);
    fitted.items[0] = { ...cut.value, _omittedKeys: cut.omitted };
  }
  // Continue after the last row shown, or after every line read when all of them fit.
  const shown = fitted.items.length;
  const lastSeq = shown === rows.length ? (lines.length > 0 ? (lines[lines.length - 1] as { seq: number }).seq : from - 1) : (rows[shown - 1]?.seq ?? from - 1);
  const next = lastSeq + 1;
  const page: HistoryPage = { history: { ...head, rows: fitted.items }, total: Math.max(0, end - first), truncated: cutRow || shown < rows.length };
  if (next < end && lines.length > 0) page.next = next;
  return page;
}
