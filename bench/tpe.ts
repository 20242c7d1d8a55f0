/**
 * A plain Tree-structured Parzen Estimator (Bergstra et al. 2011), the baseline the search-quality
 * benchmark holds bayes against. Written here from the paper's idea, not from any library:
 *
 * - the first `startup` trials are W&B random draws;
 * - then the trials are split by value into the best γ-fraction ("good", at most 25) and the rest;
 * - each parameter gets two independent densities: numeric parameters in the quantile space u of
 *   their W&B distribution (a mixture of Gaussians truncated to [0, 1], one per trial, bandwidth the
 *   wider gap to its sorted neighbours, plus a flat prior component), categoricals as smoothed counts;
 * - `candidates` points are drawn from the good densities and the one of highest l(x)/g(x) is tried.
 */
import { cdf, isListParam, valueAt, type NumericParam } from '../src/sweeps/distributions.js';
import { buildRunConfig, canonicalKey, flattenParams, getPath, searchable } from '../src/sweeps/params.js';
import type { Rng } from '../src/sweeps/rng.js';
import { normCdf, normPdf } from '../src/sweeps/special.js';
import type { FlatParam, SweepConfig } from '../src/sweeps/types.js';

export interface TpeOptions {
  startup: number;
  gamma: number;
  candidates: number;
}
export const TPE_DEFAULTS: TpeOptions = { startup: 10, gamma: 0.25, candidates: 24 };

/** A finished trial: its run config and its value (minimised). */
export interface TpeTrial {
  config: Record<string, unknown>;
  y: number;
}

/** A 1-D Parzen density on [0, 1]: Gaussians truncated to the interval, plus a flat prior. */
export interface Parzen {
  mus: number[];
  sigmas: number[];
  /** Weight of the flat prior; each Gaussian weighs 1. */
  prior: number;
}

/** The density of `points` in [0, 1]: bandwidth of a point is the wider gap to its sorted neighbours (0 and 1 at the ends). */
export function parzen(points: readonly number[]): Parzen {
  const sorted = [...points].sort((a, b) => a - b);
  const n = sorted.length;
  const minSigma = 1 / Math.min(100, n + 1);
  const sigmas = sorted.map((x, i) => {
    const left = x - (i === 0 ? 0 : (sorted[i - 1] as number));
    const right = (i === n - 1 ? 1 : (sorted[i + 1] as number)) - x;
    return Math.min(1, Math.max(minSigma, left, right));
  });
  return { mus: sorted, sigmas, prior: 1 };
}

function massOf(mu: number, sigma: number): number {
  return normCdf((1 - mu) / sigma) - normCdf(-mu / sigma);
}

export function parzenPdf(p: Parzen, u: number): number {
  let s = p.prior; // the flat density on [0, 1] is 1
  for (let i = 0; i < p.mus.length; i++) {
    const mu = p.mus[i] as number;
    const sigma = p.sigmas[i] as number;
    s += normPdf((u - mu) / sigma) / sigma / massOf(mu, sigma);
  }
  return s / (p.mus.length + p.prior);
}

export function parzenSample(p: Parzen, rng: Rng): number {
  const k = rng.int(p.mus.length + 1); // prior weight 1, as each component
  if (k === p.mus.length) return rng.open();
  const mu = p.mus[k] as number;
  const sigma = p.sigmas[k] as number;
  for (let i = 0; i < 100; i++) {
    const u = mu + sigma * rng.normal();
    if (u > 0 && u < 1) return u;
  }
  return Math.min(1 - 1e-9, Math.max(1e-9, mu));
}

/** Smoothed category probabilities: counts plus one per category. */
export function categoryWeights(indices: readonly number[], k: number): number[] {
  const w = new Array<number>(k).fill(1);
  for (const i of indices) w[i] = (w[i] as number) + 1;
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

function pick(weights: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

type Coord = { kind: 'num'; u: number } | { kind: 'cat'; i: number };

function coordOf(p: FlatParam, config: Record<string, unknown>): Coord {
  const v = getPath(config, p.path);
  const spec = p.spec;
  if (isListParam(spec)) return { kind: 'cat', i: Math.max(0, spec.values.map(canonicalKey).indexOf(canonicalKey(v))) };
  return { kind: 'num', u: Math.min(1 - 1e-9, Math.max(1e-9, cdf(spec as NumericParam, v))) };
}

/** The next TPE proposal (a nested run config) after `trials`, minimising y. */
export function tpeNext(config: SweepConfig, trials: readonly TpeTrial[], rng: Rng, opts: TpeOptions = TPE_DEFAULTS): Record<string, unknown> {
  const flat = flattenParams(config.parameters);
  const params = searchable(flat);
  const values = new Map<FlatParam, unknown>();
  if (trials.length < opts.startup) {
    for (const p of params) values.set(p, valueAt(p.spec, rng.open()));
  } else {
    const order = trials.map((_, i) => i).sort((a, b) => (trials[a] as TpeTrial).y - (trials[b] as TpeTrial).y || a - b);
    const nGood = Math.min(25, Math.max(1, Math.ceil(opts.gamma * trials.length)));
    const good = order.slice(0, nGood).map((i) => (trials[i] as TpeTrial).config);
    const bad = order.slice(nGood).map((i) => (trials[i] as TpeTrial).config);
    const draws = Array.from({ length: opts.candidates }, () => ({ score: 0, coords: new Map<FlatParam, number>() }));
    for (const p of params) {
      const spec = p.spec;
      if (isListParam(spec)) {
        const k = spec.values.length;
        const l = categoryWeights(
          good.map((c) => (coordOf(p, c) as { i: number }).i),
          k,
        );
        const g = categoryWeights(
          bad.map((c) => (coordOf(p, c) as { i: number }).i),
          k,
        );
        for (const d of draws) {
          const i = pick(l, rng);
          d.coords.set(p, i);
          d.score += Math.log(l[i] as number) - Math.log(g[i] as number);
        }
      } else {
        const l = parzen(good.map((c) => (coordOf(p, c) as { u: number }).u));
        const g = parzen(bad.map((c) => (coordOf(p, c) as { u: number }).u));
        for (const d of draws) {
          const u = parzenSample(l, rng);
          d.coords.set(p, u);
          d.score += Math.log(parzenPdf(l, u)) - Math.log(parzenPdf(g, u));
        }
      }
    }
    let best = draws[0] as (typeof draws)[number];
    for (const d of draws) if (d.score > best.score) best = d;
    for (const p of params) {
      const c = best.coords.get(p) as number;
      values.set(p, isListParam(p.spec) ? p.spec.values[c] : valueAt(p.spec, c));
    }
  }
  for (const p of flat) if (p.spec.distribution === 'constant') values.set(p, p.spec.value);
  const byPath = new Map([...values].map(([p, v]) => [p.path.join('\u0000'), v]));
  return buildRunConfig(config.parameters, (path) => byPath.get(path.join('\u0000')));
}
