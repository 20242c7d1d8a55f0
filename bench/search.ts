/**
 * Search quality: bayes against W&B random search and a plain TPE (bench/tpe.ts) on the problems
 * of bench/search-problems.ts, in the same run. Each method runs 60 sequential trials per seed
 * (bayes threads its searchState from call to call, as a stored sweep does); the regret after 30
 * and after 60 trials is f(incumbent) - f*, the incumbent being the run of best *observed* value
 * (on noisy problems the user picks by what was observed, the regret counts its true value).
 * The table gives the median regret over the seeds. The engine is driven directly (pure code);
 * `next` speed through `executeSkill` is bench/sweep.ts.
 *
 * BENCH_SEARCH_SEEDS (default 20) and BENCH_SEARCH_ONLY (a substring of problem names) narrow a run;
 * BENCH_SEARCH_FIRST_SEED (default 0) moves the seeds, so a change tuned on seeds 0-19 can be checked
 * on others (20-59: src/sweeps/README.md, "Search quality").
 */
import { createRng, nextSuggestion, parseSweepConfig, type BayesState, type SweepRunObservation } from '../src/sweeps/index.js';
import { PROBLEMS, type Problem } from './search-problems.js';
import type { Row } from './stats.js';
import { tpeNext, type TpeTrial } from './tpe.js';

export const BUDGETS = [30, 60] as const;
const METHODS = ['bayes', 'random', 'tpe'] as const;
type Method = (typeof METHODS)[number];

/** The regret after each budget of one method on one problem with one seed. */
export function searchRegrets(problem: Problem, method: Method, seed: number): number[] {
  const trials = BUDGETS[BUDGETS.length - 1] as number;
  const cfg = parseSweepConfig({ method: method === 'tpe' ? 'random' : method, metric: { name: 'y', goal: 'minimize' }, parameters: problem.parameters });
  const runs: SweepRunObservation[] = [];
  const tpeTrials: TpeTrial[] = [];
  const tpeRng = createRng('tpe', problem.name, seed);
  let state: BayesState | undefined;
  let bestObserved = Infinity;
  let incumbent = Infinity;
  const out: number[] = [];
  for (let i = 0; i < trials; i++) {
    let config: Record<string, unknown>;
    if (method === 'tpe') config = tpeNext(cfg, tpeTrials, tpeRng);
    else {
      const s = nextSuggestion(cfg, runs, { seed: `${problem.name}:${seed}`, index: i, ...(state ? { searchState: state } : {}) });
      if (s.done) throw new Error(`${problem.name}: ${method} ended early (${s.reason})`);
      config = s.config;
      if (s.searchState) state = s.searchState;
    }
    const truth = problem.f(config);
    const y = problem.noise > 0 ? truth + problem.noise * createRng('noise', problem.name, seed, i).normal() : truth;
    runs.push({ runId: `r${String(i).padStart(3, '0')}`, state: 'finished', config, metric: y });
    tpeTrials.push({ config, y });
    if (y < bestObserved) {
      bestObserved = y;
      incumbent = truth;
    }
    if ((BUDGETS as readonly number[]).includes(i + 1)) out.push(incumbent - problem.fStar);
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (v: number): string => (v === 0 ? '0' : Math.abs(v) >= 100 || Math.abs(v) < 0.01 ? v.toExponential(2) : v.toPrecision(3));

/** Median regret per problem, method and budget. */
export function searchMedians(problems: readonly Problem[], seeds: number, firstSeed = 0): Map<string, Record<Method, number[]>> {
  const out = new Map<string, Record<Method, number[]>>();
  for (const p of problems) {
    const row = {} as Record<Method, number[]>;
    for (const m of METHODS) {
      const perSeed = Array.from({ length: seeds }, (_, s) => searchRegrets(p, m, firstSeed + s));
      row[m] = BUDGETS.map((_, b) => median(perSeed.map((r) => r[b] as number)));
    }
    out.set(p.name, row);
  }
  return out;
}

export function benchSearch(): Row[] {
  const seeds = Number(process.env['BENCH_SEARCH_SEEDS'] ?? 20);
  const firstSeed = Number(process.env['BENCH_SEARCH_FIRST_SEED'] ?? 0);
  const only = process.env['BENCH_SEARCH_ONLY'];
  const problems = only ? PROBLEMS.filter((p) => p.name.toLowerCase().includes(only.toLowerCase())) : PROBLEMS;
  const t0 = performance.now();
  const medians = searchMedians(problems, seeds, firstSeed);
  const rows: Row[] = [];
  let wins = 0;
  let cells = 0;
  for (const [name, r] of medians) {
    BUDGETS.forEach((budget, b) => {
      const bayes = r.bayes[b] as number;
      const rival = Math.min(r.random[b] as number, r.tpe[b] as number);
      const won = bayes < rival || (bayes === 0 && rival === 0);
      wins += won ? 1 : 0;
      cells++;
      rows.push({
        name: `search ${name}, ${budget} trials: median regret (${seeds} seeds${firstSeed === 0 ? '' : ` from ${firstSeed}`})`,
        value: `bayes ${fmt(bayes)}${won ? '' : ' (loses)'}`,
        baseline: `random ${fmt(r.random[b] as number)}, TPE ${fmt(r.tpe[b] as number)}`,
        ratio: rival === 0 ? (bayes === 0 ? '1' : 'inf') : (bayes / rival).toFixed(2),
        target: '< 1 (bayes best)',
      });
    });
  }
  rows.push({
    name: `search: bayes best of 3 methods (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    value: `${wins} / ${cells}`,
    baseline: '',
    ratio: '',
    target: `${cells} / ${cells}`,
  });
  return rows;
}
