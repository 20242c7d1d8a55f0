import { hyperbandReport, type HyperbandRun, type SweepRunState } from '../../sweeps/index.js';
import type { Store } from '../../store/index.js';
import type { LoadedSweep } from './load.js';
import { sweepRuns } from './metric-values.js';
import { sweepTables } from './tables.js';

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
export function evaluateEarlyStops(store: Store, sweep: LoadedSweep, nowSec: number): string[] {
  const { record, config } = sweep;
  if (config.early_terminate === undefined || config.metric === undefined || record.controller !== 'local') return [];
  const views = sweepRuns(store, sweep);
  const runs: HyperbandRun[] = views.map((v) => ({ runId: v.run.id, state: v.run.state as SweepRunState, history: v.values }));
  const report = hyperbandReport(config, runs);
  const { sweeps } = sweepTables(store);
  const stopped: string[] = [];
  for (const d of report.decisions) {
    if (!d.stop) continue;
    const view = views.find((v) => v.run.id === d.runId);
    if (view === undefined) continue;
    const reason = `hyperband: ${config.metric.name} ${d.value} at band ${d.band} is worse than the threshold ${d.threshold}`;
    sweeps.markStop(view.run.key, record.key, reason, nowSec);
    stopped.push(d.runId);
  }
  return stopped;
}
