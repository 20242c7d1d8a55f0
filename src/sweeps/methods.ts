/**
 * The search methods, one entry each: how a method proposes the next run, and the config rules it
 * adds. A new method is a new entry here (plus its name in `SweepMethod` and the contract's enum).
 */
import type { ErrorIssue } from '../errors.js';
import { SkillError } from '../errors.js';
import { bayesNext, type BayesState } from './bayes.js';
import { GRID_DISTRIBUTIONS } from './distributions.js';
import { nextGridPoint } from './grid.js';
import { searchable } from './params.js';
import { randomPoint } from './random.js';
import type { Rng } from './rng.js';
import type { Suggestion } from './suggest.js';
import type { FlatParam, SweepConfig, SweepMethod, SweepRunObservation } from './types.js';

export interface SearchMethod {
  /** The next run's parameters, or why there is none; `runs` are sorted by run id. */
  next(config: SweepConfig, runs: readonly SweepRunObservation[], rng: Rng, state?: BayesState): Suggestion;
  /** Set when the method needs `metric`: the reason an issue gives when it is missing. */
  needsMetric?: string;
  /** The method's own config rules over its flattened parameters (`root` is the config's path). */
  check?(flat: readonly FlatParam[], root: string, issues: ErrorIssue[]): void;
}

/** Every method, by the name `method` gives it. */
export const METHODS: Readonly<Record<SweepMethod, SearchMethod>> = {
  grid: {
    next(config, runs) {
      const point = nextGridPoint(config, runs);
      return point ? { done: false, config: point } : { done: true, reason: 'grid_exhausted' };
    },
    check(flat, root, issues) {
      for (const p of flat) {
        if (!GRID_DISTRIBUTIONS.has(p.spec.distribution)) {
          issues.push({
            path: `${root}.parameters.${p.path.join('.parameters.')}.distribution`,
            message: `grid search allows only categorical, constant, int_uniform and q_uniform, not ${p.spec.distribution}`,
          });
        }
      }
    },
  },
  random: {
    next: (config, _runs, rng) => ({ done: false, config: randomPoint(config, rng) }),
  },
  bayes: {
    next(config, runs, rng, state) {
      const proposal = bayesNext(config, runs, rng, state);
      if (!proposal) return { done: true, reason: 'space_exhausted' };
      return {
        done: false,
        config: proposal.config,
        ...(proposal.info ? { info: proposal.info } : {}),
        ...(proposal.state ? { searchState: proposal.state } : {}),
      };
    },
    needsMetric: 'bayesian search needs a metric to optimise',
    check(flat, root, issues) {
      if (flat.length > 0 && searchable(flat).length === 0) {
        issues.push({ path: `${root}.parameters`, message: 'bayesian search needs at least one searchable (non-constant) parameter' });
      }
    },
  },
  custom: {
    next() {
      throw new SkillError('UNSUPPORTED', 'method: custom needs an external scheduler (optuna, ax); only grid, random and bayes run locally');
    },
  },
};
