/**
 * Bayesian search: W&B's data rules (SWEEPS.md section 6: which runs are samples, imputation, the
 * 2-proposal warm-up, in-flight runs as "kriging believer" fantasies, expected improvement) on a
 * better surrogate: one-hot categories, per-parameter length scales, no random fallback, and no
 * re-proposal of a point some run already holds.
 */
import {
  buildSpace,
  categoricalNeighbours,
  choiceOfRun,
  coordinateRedraws,
  decode,
  encode,
  enumerate,
  perturb,
  randomChoice,
  runKey,
  toRunConfig,
  valuesKey,
  type Choice,
  type Space,
} from './bayes-space.js';
import { warpOutputs } from './bayes-warp.js';
import { bestCandidate } from './bayes-acquisition.js';
import { fitGp } from './gp-fit.js';
import { fitTrend, selectTrend, withTrend, type Trend, type TrendPenalties } from './gp-trend.js';
import { conditionGp, type GpHyper, type GpModel } from './gp.js';
import { flatten } from './gp-kernel.js';
import { finiteValues, isBetter, latestValue, observedValue, type Goal } from './metric.js';
import type { Rng } from './rng.js';
import type { MetricSpec, SweepConfig, SweepRunObservation } from './types.js';

/** What the surrogate predicted for a proposal (absent during warm-up). */
export interface BayesInfo {
  predictedValue: number;
  predictedStdDev: number;
  expectedImprovement: number;
  successProbability: number;
}

export interface BayesProposal {
  config: Record<string, unknown>;
  info?: BayesInfo;
  /** What the next call of this sweep starts from (absent during warm-up). */
  state?: BayesState;
}

/**
 * The search's memory between calls of one sweep, kept by the caller (the store's sweep row): the
 * fitted GP hyperparameters (reused, or the start of the next fit) and the number of samples at the
 * last cold and last fit. A call without it fits from scratch, as the first call does.
 */
export interface BayesState {
  lengthScales: number[];
  noise: number;
  coldAt: number;
  /** Samples at the last fit, cold or warm. */
  fitAt: number;
  /**
   * The trend's penalties chosen at the last fit (gp-trend.ts), null: no trend; absent in a state
   * written before the search had a trend (chosen again at the next call).
   */
  trend?: TrendPenalties | null;
}

const TERMINAL = new Set(['finished', 'failed', 'crashed', 'killed']);
const WARMUP = 2; // W&B proposes from the prior until 2 samples exist
// The GP is conditioned on at most MAX_ROWS samples (the best half and a seeded sample of the rest)
// and its hyperparameters fitted on at most MAX_FIT_ROWS of those (the best half and an even spread
// of the rest by value): one likelihood evaluation costs O(n³), the fit needs 25 to 130 of them.
const MAX_ROWS = 150;
const MAX_FIT_ROWS = 80;
// A warm-started fit is a local search; a cold fit (as without state) runs again once the samples
// grew by this factor since the last one, so the search can leave a stale optimum.
const COLD_GROWTH = 1.25;
// Between fits the hyperparameters are reused as they are: one more sample moves their optimum
// little. A warm fit runs once the samples grew by 5% (at least every 10 samples), so most calls
// past a few dozen samples fit nothing and pay only for conditioning and the acquisition.
const WARM_GROWTH = 1.05;
const WARM_EVERY = 10;
const MAX_IN_FLIGHT = 95;
const ENUMERATE_LIMIT = 5000;
// Candidates scored in a continuous space: random draws (half from the prior) and local moves around
// the best samples. Scoring costs O(candidates · samples); with 450 bayes wins more search-bench cells
// than with the 1,300 (1,000 + 5 × 60) used before, at a third of the cost (README, "How the GP scales").
const RANDOM_CANDIDATES = 300;
const LOCAL_CENTRES = 5;
const LOCAL_PER_CENTRE = 30;
// The best sample with one numeric coordinate redrawn (bayes-space `coordinateRedraws`): about
// REDRAWS in all, at least REDRAWS_PER_PARAM per numeric parameter.
const REDRAWS = 30;
const REDRAWS_PER_PARAM = 2;

interface Rows {
  real: { choice: Choice; y: number }[];
  inFlight: Choice[];
}

/** Every finite value a run reported (history and metric). */
function runValues(run: SweepRunObservation): number[] {
  const values = finiteValues(run.history ?? []);
  if (typeof run.metric === 'number' && Number.isFinite(run.metric)) values.push(run.metric);
  return values;
}

/** Builds the training rows following W&B's state table and imputation rules. */
function collectRows(space: Space, metric: MetricSpec, runs: readonly SweepRunObservation[]): Rows {
  const goal: Goal = metric.goal;
  const worstOf = (values: number[]): number | undefined => (values.length === 0 ? undefined : values.reduce((m, v) => (isBetter(m, v, goal) ? v : m)));
  // W&B: the worst per-run extreme over terminal runs. Where W&B falls back to 0.0 (a *good* value
  // when minimising), this falls back to the worst value any run reported, then to 0.
  const perRunWorst = runs
    .filter((r) => TERMINAL.has(r.state))
    .map((r) => worstOf(runValues(r)))
    .filter((v): v is number => v !== undefined);
  const worst = worstOf(perRunWorst) ?? worstOf(runs.flatMap(runValues)) ?? 0;
  const impute = (run: SweepRunObservation, mode: MetricSpec['impute']): number => {
    if (mode === 'best') return observedValue(run, goal) ?? worst;
    if (mode === 'latest') return latestValue(run.history ?? []) ?? observedValue(run, goal) ?? worst;
    return worst;
  };
  const rows: Rows = { real: [], inFlight: [] };
  for (const run of runs) {
    const choice = choiceOfRun(space, run.config);
    if (!choice) continue;
    let y: number | undefined;
    if (run.state === 'finished') y = observedValue(run, goal) ?? impute(run, metric.impute);
    else if (run.state === 'failed' || run.state === 'crashed' || run.state === 'killed') y = impute(run, metric.impute);
    else if (run.state === 'running' && metric.impute_while_running !== 'false') {
      y = observedValue(run, goal) ?? impute(run, metric.impute_while_running);
    }
    if (y === undefined) rows.inFlight.push(choice);
    else rows.real.push({ choice, y: Number.isFinite(y) ? y : worst });
  }
  if (goal === 'maximize') for (const r of rows.real) r.y = -r.y;
  return rows;
}

/** Draws from the prior, avoiding points already held by a run when it can. */
function priorProposal(config: SweepConfig, space: Space, used: Set<string>, rng: Rng): BayesProposal | undefined {
  const all = enumerate(space, ENUMERATE_LIMIT);
  if (all) {
    const free = all.filter((c) => !used.has(valuesKey(decode(space, c))));
    if (free.length === 0) return undefined;
    const weights = free.map((c) => space.dims.reduce((w, dim, d) => w * (dim.kind === 'cat' ? (dim.prior[c[d] as number] as number) : 1), 1));
    const total = weights.reduce((a, b) => a + b, 0);
    let u = rng.next() * total;
    for (let i = 0; i < free.length; i++) {
      u -= weights[i] as number;
      if (u < 0) return { config: toRunConfig(config, space, free[i] as Choice) };
    }
    return { config: toRunConfig(config, space, free[free.length - 1] as Choice) };
  }
  let choice = randomChoice(space, rng, true);
  for (let i = 0; i < 200 && used.has(valuesKey(decode(space, choice))); i++) choice = randomChoice(space, rng, true);
  return { config: toRunConfig(config, space, choice) };
}

/** The fit set: all rows up to MAX_FIT_ROWS, else the best half and an even spread of the rest by value. */
function fitRows(xs: number[][], ys: number[], scale: number[]): { xs: number[][]; ys: number[]; scale: number[] } {
  if (xs.length <= MAX_FIT_ROWS) return { xs, ys, scale };
  const order = ys.map((_, i) => i).sort((a, b) => (ys[a] as number) - (ys[b] as number) || a - b);
  const half = MAX_FIT_ROWS / 2;
  const keep = order.slice(0, half);
  const rest = order.slice(half);
  for (let j = 0; j < half; j++) keep.push(rest[Math.floor((j * rest.length) / half)] as number);
  return { xs: keep.map((i) => xs[i] as number[]), ys: keep.map((i) => ys[i] as number), scale: keep.map((i) => scale[i] as number) };
}

/**
 * The next Bayesian proposal, or undefined when a finite space has no point left that no run holds.
 * Requires `config.metric` (checked by `parseSweepConfig`).
 */
export function bayesNext(config: SweepConfig, runs: readonly SweepRunObservation[], rng: Rng, given?: BayesState): BayesProposal | undefined {
  const metric: MetricSpec = config.metric ?? { name: '', goal: 'minimize', impute: 'worst', impute_while_running: 'false' };
  const space = buildSpace(config);
  const used = new Set<string>();
  for (const run of runs) {
    const key = runKey(space, run.config);
    if (key !== undefined) used.add(key);
  }
  const rows = collectRows(space, metric, runs);
  if (rows.real.length < WARMUP) return priorProposal(config, space, used, rng);

  let real = rows.real;
  if (real.length > MAX_ROWS) {
    // Keep the best half and a seeded sample of the rest, so the incumbent region stays well modelled.
    const sorted = [...real].sort((a, b) => a.y - b.y);
    const keep = sorted.slice(0, MAX_ROWS / 2);
    const rest = sorted.slice(MAX_ROWS / 2);
    while (keep.length < MAX_ROWS) keep.push(rest.splice(rng.int(rest.length), 1)[0] as (typeof rest)[number]);
    real = keep;
  }
  const warp = warpOutputs(real.map((r) => r.y));
  const ys = warp.ys;
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sd = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length) + 1e-6;
  const yStd = ys.map((v) => (v - mean) / sd);
  const xs = real.map((r) => encode(space, r.choice));
  // Noise on the objective is larger near the minimum once log-warped: each sample's noise term
  // scales with the warp's slope there (bayes-warp `noiseScale`), one fitted ratio for all.
  const scale = warp.noiseScale;
  const nReal = rows.real.length;
  // A state from another space (the config changed under a stored sweep) is no start at all.
  const state = given?.lengthScales.length === space.dims.length ? given : undefined;
  const cold = state === undefined || nReal < state.fitAt || nReal >= state.coldAt * COLD_GROWTH;
  const warm = !cold && (nReal >= state.fitAt * WARM_GROWTH || nReal >= state.fitAt + WARM_EVERY);
  // A quadratic trend over the numeric parameters takes the objective's bowl (gp-trend.ts); the GP
  // is fitted to and conditioned on what it leaves. Its penalties are chosen when the GP is fitted.
  const numeric = space.dims.flatMap((dim) => (dim.kind === 'num' ? [dim.offset] : []));
  let trend: Trend | undefined;
  let penalties: TrendPenalties | null;
  if (cold || warm || state.trend === undefined) ({ trend, penalties } = selectTrend(xs, yStd, numeric));
  else {
    penalties = state.trend;
    trend = penalties === null ? undefined : fitTrend(xs, yStd, numeric, penalties);
  }
  // The samples as one flat array, read by the trend here and by the model with the trend below.
  const flat = flatten(xs, space.width);
  const fitted = trend;
  const residual = fitted ? yStd.map((v, i) => v - fitted.at(flat, i * space.width)) : yStd;
  let hyper: GpHyper;
  let nextState: BayesState;
  if (cold || warm) {
    const fit = fitRows(xs, residual, scale);
    hyper = fitGp(fit.xs, fit.ys, space.groups, space.dims.length, cold ? undefined : state, fit.scale);
    nextState = { ...hyper, coldAt: cold ? nReal : state.coldAt, fitAt: nReal, trend: penalties };
  } else {
    hyper = { lengthScales: state.lengthScales, noise: state.noise };
    // The same object when nothing changed: the caller stores a state only when it is a new one.
    nextState = state.trend === penalties ? state : { ...state, trend: penalties };
  }
  let model: GpModel = conditionGp(xs, residual, space.groups, hyper, scale);
  const inFlight = rows.inFlight.slice(0, MAX_IN_FLIGHT);
  let points = flat;
  if (inFlight.length > 0) {
    const fx = inFlight.map((c) => encode(space, c));
    const fy = fx.map((x) => model.predict(Float64Array.from(x)).mean); // kriging believer: pretend they land on the mean
    model = conditionGp([...xs, ...fx], [...residual, ...fy], space.groups, hyper, [...scale, ...fx.map(() => 1)]);
    points = flatten([...xs, ...fx], space.width);
  }
  if (trend) model = withTrend(model, trend, points, space.width);
  // The incumbent is the best posterior mean at a sample, not the best sample: with noise the best
  // sample is partly luck, and EI against it would stop exploring the region that produced it.
  const best = Math.min(...model.fittedMeans().subarray(0, yStd.length));

  let candidates = enumerate(space, ENUMERATE_LIMIT);
  const finite = candidates !== undefined;
  if (candidates) {
    candidates = candidates.filter((c) => !used.has(valuesKey(decode(space, c))));
    if (candidates.length === 0) return undefined;
  } else {
    candidates = [];
    for (let i = 0; i < RANDOM_CANDIDATES; i++) candidates.push(randomChoice(space, rng, i % 2 === 0));
    const top = [...real].sort((a, b) => a.y - b.y).slice(0, LOCAL_CENTRES);
    // Half the local moves change only a few coordinates (bayes-space `perturb`).
    for (const r of top)
      for (let i = 0; i < LOCAL_PER_CENTRE; i++) candidates.push(perturb(space, r.choice, rng, [0.02, 0.06, 0.2][i % 3] as number, i % 2 === 1));
    // The best sample with one categorical changed, then with one numeric coordinate redrawn
    // (bayes-space `categoricalNeighbours`, `coordinateRedraws`).
    const centre = (top[0] as (typeof top)[number]).choice;
    candidates.push(...categoricalNeighbours(space, centre));
    if (numeric.length > 0) candidates.push(...coordinateRedraws(space, centre, rng, Math.max(REDRAWS_PER_PARAM, Math.ceil(REDRAWS / numeric.length))));
  }
  const pick = bestCandidate(space, model, best, candidates, finite ? undefined : used);
  if (!pick) return undefined;
  const sign = metric.goal === 'maximize' ? -1 : 1;
  const back = warp.back(pick.p.mean * sd + mean, pick.p.std * sd);
  return {
    config: toRunConfig(config, space, pick.c),
    info: {
      predictedValue: sign * back.value,
      predictedStdDev: back.std,
      expectedImprovement: back.improvement ?? pick.ei * sd,
      successProbability: pick.pi,
    },
    state: nextState,
  };
}
