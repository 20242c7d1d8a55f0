/**
 * Bayesian search: W&B's data rules (SWEEPS.md section 6: which runs are samples, imputation, the
 * 2-proposal warm-up, in-flight runs as "kriging believer" fantasies, expected improvement) on a
 * better surrogate: one-hot categories, per-parameter length scales, no random fallback, and no
 * re-proposal of a point some run already holds.
 */
import {
  buildSpace,
  choiceOfRun,
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
import { conditionGp, fitGp, type GpModel } from './gp.js';
import { finiteValues, isBetter, latestValue, observedValue, type Goal } from './metric.js';
import type { Rng } from './rng.js';
import { normCdf, normPdf } from './special.js';
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
}

const TERMINAL = new Set(['finished', 'failed', 'crashed', 'killed']);
const WARMUP = 2; // W&B proposes from the prior until 2 samples exist
const MAX_ROWS = 150;
const MAX_IN_FLIGHT = 95;
const ENUMERATE_LIMIT = 5000;
const XI = 0; // no exploration margin, as W&B; measured: a margin of 0.01 spent more runs on worse categories

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

function expectedImprovement(best: number, mean: number, std: number): { ei: number; pi: number } {
  const z = (best - mean - XI) / std;
  return { ei: (best - mean - XI) * normCdf(z) + std * normPdf(z), pi: normCdf(z) };
}

/**
 * The next Bayesian proposal, or undefined when a finite space has no point left that no run holds.
 * Requires `config.metric` (checked by `parseSweepConfig`).
 */
export function bayesNext(config: SweepConfig, runs: readonly SweepRunObservation[], rng: Rng): BayesProposal | undefined {
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
  const ys = real.map((r) => r.y);
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sd = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length) + 1e-6;
  const yStd = ys.map((v) => (v - mean) / sd);
  const xs = real.map((r) => encode(space, r.choice));
  const hyper = fitGp(xs, yStd, space.groups, space.dims.length);
  let model: GpModel = conditionGp(xs, yStd, space.groups, hyper);
  const inFlight = rows.inFlight.slice(0, MAX_IN_FLIGHT);
  if (inFlight.length > 0) {
    const fx = inFlight.map((c) => encode(space, c));
    const fy = fx.map((x) => model.predict(x).mean); // kriging believer: pretend they land on the mean
    model = conditionGp([...xs, ...fx], [...yStd, ...fy], space.groups, hyper);
  }
  const best = Math.min(...yStd);

  let candidates = enumerate(space, ENUMERATE_LIMIT);
  const finite = candidates !== undefined;
  if (candidates) {
    candidates = candidates.filter((c) => !used.has(valuesKey(decode(space, c))));
    if (candidates.length === 0) return undefined;
  } else {
    candidates = [];
    for (let i = 0; i < 1000; i++) candidates.push(randomChoice(space, rng, i % 2 === 0));
    const top = [...real].sort((a, b) => a.y - b.y).slice(0, 5);
    for (const r of top) for (let i = 0; i < 60; i++) candidates.push(perturb(space, r.choice, rng, [0.02, 0.06, 0.2][i % 3] as number));
  }
  const scored = candidates.map((c) => {
    const p = model.predict(encode(space, c));
    return { c, p, ...expectedImprovement(best, p.mean, p.std) };
  });
  scored.sort((a, b) => b.ei - a.ei);
  // Skip points a run already holds (W&B re-proposes them; issue #1660).
  const pick = finite ? scored[0] : (scored.find((s) => !used.has(valuesKey(decode(space, s.c)))) ?? scored[0]);
  if (!pick) return undefined;
  const sign = metric.goal === 'maximize' ? -1 : 1;
  return {
    config: toRunConfig(config, space, pick.c),
    info: {
      predictedValue: sign * (pick.p.mean * sd + mean),
      predictedStdDev: pick.p.std * sd,
      expectedImprovement: pick.ei * sd,
      successProbability: pick.pi,
    },
  };
}
