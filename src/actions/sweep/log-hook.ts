import type { LogHook } from '../log-hooks.js';

type SweepRuns = typeof import('../../sweep-runs/index.js');

/** Where a runner keeps the sweep-runs module once a sweep run's log loaded it (ctx.cache). */
const LOADED = 'module:sweep-runs';

/**
 * Early termination reaches the caller: a log to a run that the sweep stopped (hyperband, or a
 * server `stop` command) answers `shouldStop: true` (the decision: sweep-runs' `stopAfterLog`).
 *
 * The sweep engine loads on a runner's first log to a sweep run, not with log(): it was most of the
 * modules a process's first log loaded (and of the CLI's main bundle). That first log takes the
 * decision right after its commit, in a write of its own, from the state it just committed (the
 * metric's scan resumes from what is stored, so nothing is lost if the process dies between the
 * two); every later one inside log()'s transaction, as before.
 */
export const sweepLogHook: LogHook = ({ ctx, store, run, committed }) => {
  if (run.sweepId === null) return undefined;
  const now = () => ctx.now();
  const loaded = ctx.cache.get(LOADED) as SweepRuns | undefined;
  if (loaded !== undefined) {
    if (!loaded.stopAfterLog(ctx.cache, store, run, committed, now)) return undefined;
    return async () => ({ shouldStop: true });
  }
  return async () => {
    const sweepRuns = await import('../../sweep-runs/index.js');
    ctx.cache.set(LOADED, sweepRuns);
    try {
      return store.write(() => sweepRuns.stopAfterLog(ctx.cache, store, run, committed, now)) ? { shouldStop: true } : {};
    } catch (err) {
      // The row is committed: a failed check is a warning (the next log checks again), never a failed call.
      return { warnings: [`the sweep's early-termination check did not run: ${err instanceof Error ? err.message : String(err)}`] };
    }
  };
};
