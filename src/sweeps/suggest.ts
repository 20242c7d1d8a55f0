/**
 * The one entry point a sweep action calls for its next run: checks W&B's server-side stopping
 * rules (`run_cap`, `metric.target`), then asks the config's method (methods.ts). Pure and stateless: the same
 * config, runs, seed and index always give the same answer, in any process.
 */
import type { BayesInfo, BayesState } from './bayes.js';
import { isTargetReached, observedValue } from './metric.js';
import { METHODS } from './methods.js';
import { createRng } from './rng.js';
import type { SweepConfig, SweepRunObservation } from './types.js';

/** Why a sweep has no next run. `space_exhausted`: bayes over a finite space whose every point a run holds. */
export type SuggestionDoneReason = 'grid_exhausted' | 'space_exhausted' | 'run_cap' | 'target_reached';

export type Suggestion =
  | {
      done: false;
      /** The nested parameter values the run gets (plain values, W&B's key order). */
      config: Record<string, unknown>;
      /** Bayes only, after warm-up: the surrogate's prediction for this point. */
      info?: BayesInfo;
      /** Bayes only, after warm-up: pass it as `searchState` to the sweep's next call. */
      searchState?: BayesState;
    }
  | { done: true; reason: SuggestionDoneReason };

export interface NextSuggestionOptions {
  /** Seed of the sweep; `config.seed`, when set, takes precedence so a config file alone reproduces a sweep. */
  seed?: number | string;
  /** How many suggestions this sweep has made before (0 for the first); picks the random stream. */
  index: number;
  /**
   * The `searchState` of the sweep's previous suggestion: bayes warm-starts its surrogate's fit
   * from it (the answer then depends on it too). Without it, bayes fits from scratch.
   */
  searchState?: BayesState;
}

/**
 * Runs that count against `run_cap`. As W&B's Launch scheduler does, a killed or crashed run that
 * never reported the metric does not count.
 */
export function countedRuns(config: SweepConfig, runs: readonly SweepRunObservation[]): number {
  const goal = config.metric?.goal ?? 'minimize';
  return runs.filter((r) => !((r.state === 'killed' || r.state === 'crashed') && observedValue(r, goal) === undefined)).length;
}

/**
 * The next run of a sweep, or why there is none.
 * @example
 * const s = nextSuggestion(cfg, runs, {seed: sweepId, index: runs.length});
 * if (!s.done) startRun(s.config);
 */
export function nextSuggestion(config: SweepConfig, runs: readonly SweepRunObservation[], options: NextSuggestionOptions): Suggestion {
  if (config.run_cap !== undefined && countedRuns(config, runs) >= config.run_cap) return { done: true, reason: 'run_cap' };
  if (isTargetReached(config, runs)) return { done: true, reason: 'target_reached' };
  const rng = createRng(config.seed ?? options.seed ?? 0, 'suggest', options.index);
  // Input order must not change the answer.
  const ordered = [...runs].sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  return METHODS[config.method].next(config, ordered, rng, options.searchState);
}
