import type { LogHook } from '../log-hooks.js';

/**
 * Early termination reaches the caller: a log to a run that the sweep's hyperband stopped answers
 * `shouldStop: true`. (Filled in by the sweep feature; runs outside a sweep return at once.)
 */
export const sweepLogHook: LogHook = ({ run }) => {
  if (run.sweepId === null) return undefined;
  return undefined;
};
