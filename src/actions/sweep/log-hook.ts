import type { LogHook } from '../log-hooks.js';
import { stopAfterLog } from '../../sweep-runs/index.js';

/**
 * Early termination reaches the caller: a log to a run that the sweep stopped (hyperband, or a
 * server `stop` command) answers `shouldStop: true` (the decision: sweep-runs' `stopAfterLog`).
 */
export const sweepLogHook: LogHook = ({ ctx, store, run, committed }) => {
  if (run.sweepId === null) return undefined;
  if (!stopAfterLog(ctx.cache, store, run, committed, () => ctx.now())) return undefined;
  return async () => ({ shouldStop: true });
};
