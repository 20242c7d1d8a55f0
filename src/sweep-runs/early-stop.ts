import { hyperbandReport, type HyperbandRun, type SweepRunState } from '../sweeps/index.js';
import type { RunRecord } from '../store/index.js';
import { loadSweep, type LoadedSweep } from './load.js';
import { firstReadSinceStart, metricIn, refreshRunMetric, sweepRuns } from './metric-values.js';
import type { SweepStore } from './tables.js';

/** Whether a run's metric count moved past one of the bands: only then can a decision change. */
export function crossedBand(bands: readonly number[], before: number, after: number): boolean {
  return bands.some((b) => before < b && b <= after);
}

/**
 * Evaluates hyperband over every run of a locally controlled sweep and marks the running runs it
 * stops (inside a write transaction). Returns the ids of every run now marked by this evaluation.
 *
 * Thresholds only move when some run reaches a band, and a stopped run stays stopped, so running
 * this whenever a run crosses a band, and when a resumed run first logs, decides exactly what W&B's
 * periodic evaluation decides.
 */
export function evaluateEarlyStops(store: SweepStore, sweep: LoadedSweep, nowSec: number): string[] {
  const { record, config } = sweep;
  if (config.early_terminate === undefined || config.metric === undefined || record.controller !== 'local') return [];
  const views = sweepRuns(store, sweep);
  const runs: HyperbandRun[] = views.map((v) => ({ runId: v.run.id, state: v.run.state as SweepRunState, history: v.values }));
  const report = hyperbandReport(config, runs);
  const stopped: string[] = [];
  for (const d of report.decisions) {
    if (!d.stop) continue;
    const view = views.find((v) => v.run.id === d.runId);
    if (view === undefined) continue;
    const reason = `hyperband: ${config.metric.name} ${d.value} at band ${d.band} is worse than the threshold ${d.threshold}`;
    store.sweeps.markStop(view.run.key, record.key, reason, nowSec);
    stopped.push(d.runId);
  }
  return stopped;
}

/**
 * Whether a run must stop after rows were committed to it (inside the log's write transaction): a
 * stop mark (hyperband, or a server `stop` command) says so. Runs outside a sweep answer at once; a
 * sweep run costs one lookup of its stop mark, plus, when its rows carry the metric of a sweep with
 * `early_terminate`, an incremental copy of the new values; hyperband itself runs only when the run
 * reaches a band, or on its first metric log after a resume: W&B judges every running run, so a
 * finished run that is resumed past a band is judged again, at its latest band.
 * `memo` is the runner's (parsed configs, which run segments were read); `now` the clock in ms.
 */
export function stopAfterLog(
  memo: Map<string, unknown>,
  store: SweepStore,
  run: RunRecord,
  committed: ReadonlyArray<Record<string, unknown>>,
  now: () => number,
): boolean {
  if (run.sweepId === null) return false;
  if (store.sweeps.stopReason(run.key) !== undefined) return true;
  const record = store.sweeps.get(run.project, run.sweepId);
  if (record === undefined || record.controller !== 'local') return false;
  const sweep = loadSweep(memo, store, record);
  const metric = sweep.config.metric;
  if (sweep.bands.length === 0 || metric === undefined) return false;
  if (!committed.some((row) => metricIn(row, metric.name) !== undefined)) return false;
  const { before, after, scannedBefore } = refreshRunMetric(store, record.key, run.key, metric.name);
  // One look per run segment and runner: after its first metric log a segment is no longer new.
  const segmentKey = `sweep-segment-read:${store.path}:${run.key}:${run.segmentStart}`;
  const resumedPastBand = before >= Math.min(...sweep.bands) && memo.get(segmentKey) === undefined && firstReadSinceStart(store, run, scannedBefore);
  memo.set(segmentKey, true);
  if (!crossedBand(sweep.bands, before, after) && !resumedPastBand) return false;
  return evaluateEarlyStops(store, sweep, now() / 1000).includes(run.id);
}

/**
 * Why an agent must stop a run now, read from the store (no write): early termination or a server
 * `stop` marked it, or the sweep was cancelled (its runs end as killed). Undefined: keep running.
 */
export function stopCause(store: SweepStore, sweep: { project: string; id: string }, run: RunRecord): string | undefined {
  const mark = store.sweeps.stopReason(run.key);
  if (mark !== undefined) return mark;
  const current = store.runs.get(run.project, run.id);
  if (current?.state === 'killed') return 'the run was killed';
  const s = store.sweeps.get(sweep.project, sweep.id);
  if (s?.state === 'CANCELED') return 'the sweep was cancelled';
  return undefined;
}
