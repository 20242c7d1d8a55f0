import { parseExtended } from '../json/extended-json.js';
import type { RunRecord, Store } from '../store/index.js';
import type { SweepRunObservation, SweepRunState } from '../sweeps/index.js';
import { runMetricValue } from '../sweeps/index.js';
import type { LoadedSweep } from './load.js';
import type { SweepStore } from './tables.js';

/** History lines read per query while catching up a run's metric values. */
const PAGE = 512;

/**
 * The metric's value in one history row: the key as written (`val/loss`, or W&B's flattened
 * `val.loss`), else the dotted path into nested objects. Only finite numbers count, as in W&B.
 */
export function metricIn(row: Record<string, unknown>, name: string): number | undefined {
  let v: unknown = row[name];
  if (v === undefined && name.includes('.')) {
    v = row;
    for (const part of name.split('.')) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[part];
    }
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Copies the run's metric values from history lines not read yet into the sweep's metric table
 * (inside a write transaction); returns how many values the run had before and has now, and how
 * many history lines had been read before.
 */
export function refreshRunMetric(
  store: SweepStore,
  sweepKey: number,
  runKey: number,
  metric: string,
): { before: number; after: number; scannedBefore: number } {
  const metrics = store.sweepMetrics;
  const scan = metrics.scanState(runKey) ?? { scannedSeq: 0, count: 0 };
  let { scannedSeq, count } = scan;
  const before = count;
  // A cheap test first: most rows of a run do not hold the metric's name at all (names JSON
  // would escape skip the test).
  const leaf = metric.slice(metric.lastIndexOf('.') + 1);
  const quick = /^[^"\\\x00-\x1f]+$/.test(leaf);
  for (;;) {
    const lines = store.history.lines(runKey, scannedSeq, PAGE);
    for (const line of lines) {
      if (!quick || line.line.includes(leaf)) {
        const v = metricIn(parseExtended(line.line) as Record<string, unknown>, metric);
        if (v !== undefined) metrics.append(runKey, sweepKey, count++, v);
      }
      scannedSeq = line.seq + 1;
    }
    if (lines.length < PAGE) break;
  }
  if (scannedSeq !== scan.scannedSeq || count !== scan.count || metrics.scanState(runKey) === undefined) {
    metrics.saveScan(runKey, sweepKey, scannedSeq, count);
  }
  return { before, after: count, scannedBefore: scan.scannedSeq };
}

/**
 * Whether the lines read before (`scannedBefore`) all predate the run's current segment: the run was
 * resumed (or started) since the metric was last read, so this is its first metric log since then.
 */
export function firstReadSinceStart(store: Store, run: RunRecord, scannedBefore: number): boolean {
  if (scannedBefore === 0) return true;
  const last = store.history.lines(run.key, scannedBefore - 1, 1)[0];
  if (last === undefined) return true;
  const at = (parseExtended(last.line) as Record<string, unknown>)['_timestamp'];
  return typeof at !== 'number' || at <= run.segmentStart;
}

/**
 * Every run's values of the sweep's metric (in history order, by run key), caught up first from
 * history lines not read yet (inside a write transaction). Empty when the sweep has no metric.
 */
export function sweepMetricValues(store: SweepStore, sweep: LoadedSweep): Map<number, number[]> {
  const { record, config } = sweep;
  const metric = config.metric;
  if (metric === undefined) return new Map();
  for (const runKey of store.sweepMetrics.behind(record.project, record.id)) refreshRunMetric(store, record.key, runKey, metric.name);
  return store.sweepMetrics.sweepValues(record.key);
}

/** A sweep run with its metric values (in history order) and the value the search reads. */
export interface SweepRunView {
  run: RunRecord;
  values: number[];
  observation: SweepRunObservation;
}

/**
 * The sweep's runs as the search sees them, metric values caught up first (inside a write
 * transaction). A finished run counts at its best value, as in W&B.
 */
export function sweepRuns(store: SweepStore, sweep: LoadedSweep): SweepRunView[] {
  const { record, config } = sweep;
  const runs = store.sweeps.runs(record.project, record.id);
  const metric = config.metric;
  const all = sweepMetricValues(store, sweep);
  return runs.map((run) => {
    const values = all.get(run.key) ?? [];
    const value = metric === undefined ? undefined : runMetricValue(values, metric.goal);
    const observation: SweepRunObservation = {
      runId: run.id,
      config: run.config,
      state: run.state as SweepRunState,
      history: values,
      ...(value !== undefined ? { metric: value } : {}),
    };
    return { run, values, observation };
  });
}
