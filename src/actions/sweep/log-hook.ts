import type { LogHook } from '../log-hooks.js';
import { crossedBand, evaluateEarlyStops } from './early-stop.js';
import { loadSweep } from './load.js';
import { firstReadSinceStart, metricIn, refreshRunMetric } from './metric-values.js';
import { sweepTables } from './tables.js';

/**
 * Early termination reaches the caller: a log to a run that the sweep stopped (hyperband, or a
 * server `stop` command) answers `shouldStop: true`. Runs outside a sweep return at once; a sweep
 * run costs one lookup of its stop mark, plus, when its rows carry the metric of a sweep with
 * `early_terminate`, an incremental copy of the new values; hyperband itself runs only when the
 * run reaches a band, or on its first metric log after a resume: W&B judges every running run, so a
 * finished run that is resumed past a band is judged again, at its latest band.
 */
export const sweepLogHook: LogHook = ({ ctx, store, run, committed }) => {
  if (run.sweepId === null) return undefined;
  const { sweeps } = sweepTables(store);
  let stop = sweeps.stopReason(run.key) !== undefined;
  if (!stop) {
    const record = sweeps.get(run.project, run.sweepId);
    if (record === undefined || record.controller !== 'local') return undefined;
    const sweep = loadSweep(ctx, store, record);
    const metric = sweep.config.metric;
    if (sweep.bands.length === 0 || metric === undefined) return undefined;
    if (!committed.some((row) => metricIn(row, metric.name) !== undefined)) return undefined;
    const { before, after, scannedBefore } = refreshRunMetric(store, record.key, run.key, metric.name);
    // One look per run segment and runner: after its first metric log a segment is no longer new.
    const segmentKey = `sweep-segment-read:${store.path}:${run.key}:${run.segmentStart}`;
    const resumedPastBand = before >= Math.min(...sweep.bands) && ctx.cache.get(segmentKey) === undefined && firstReadSinceStart(store, run, scannedBefore);
    ctx.cache.set(segmentKey, true);
    if (!crossedBand(sweep.bands, before, after) && !resumedPastBand) return undefined;
    stop = evaluateEarlyStops(store, sweep, ctx.now() / 1000).includes(run.id);
  }
  if (!stop) return undefined;
  return async () => ({ shouldStop: true });
};
