/**
 * The one entry point a sweep action calls for its next run: checks W&B's server-side stopping
 * rules (`run_cap`, `metric.target`), then asks grid, random or bayes. Pure and stateless: the same
 * config, runs, seed and index always give the same answer, in any process.
 */
import { SkillError } from '../errors.js';
import { bayesNext, type BayesInfo } from './bayes.js';
import { nextGridPoint } from './grid.js';
import { isTargetReached, observedValue } from './metric.js';
import { randomPoint } from './random.js';
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
    }
  | { done: true; reason: SuggestionDoneReason };

export interface NextSuggestionOptions {
  /** Seed of the sweep; `config.seed`, when set, takes precedence so a config file alone reproduces a sweep. */
  seed?: number | string;
  /** How many suggestions this sweep has made before (0 for the first); picks the random stream. */
  index: number;
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
  switch (config.method) {
    case 'grid': {
      const point = nextGridPoint(config, ordered);
      return point ? { done: false, config: point } : { done: true, reason: 'grid_exhausted' };
    }
    case 'random':
      return { done: false, config: randomPoint(config, rng) };
    case 'bayes': {
      const proposal = bayesNext(config, ordered, rng);
      if (!proposal) return { done: true, reason: 'space_exhausted' };
      return proposal.info ? { done: false, config: proposal.config, info: proposal.info } : { done: false, config: proposal.config };
    }
    case 'custom':
      throw new SkillError('UNSUPPORTED', 'method: custom needs an external scheduler (optuna, ax); only grid, random and bayes run locally');
  }
}
