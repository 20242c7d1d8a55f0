/**
 * W&B's parameter distributions: the inverse CDF (`ppf`) that turns a uniform draw into a value,
 * the CDF the Bayesian search uses to put observed values back on [0, 1], and grid expansion.
 * The formulas follow SWEEPS.md section 2, including W&B's quirks (q_uniform gives multiples of q
 * counted from 0, which may fall outside [min, max]; inv_log_uniform_values equals log_uniform_values).
 */
import { distinctValues } from './params.js';
import { betaCdf, betaPpf, normCdf, normPpf, roundHalfEven } from './special.js';
import type { LeafParam } from './types.js';

/** Distributions whose values are picked from a list. */
export type ListParam = Extract<LeafParam, { distribution: 'categorical' | 'categorical_w_probabilities' }>;
/** Distributions with a numeric inverse CDF. */
export type NumericParam = Exclude<LeafParam, ListParam | { distribution: 'constant' }>;

export function isListParam(spec: LeafParam): spec is ListParam {
  return spec.distribution === 'categorical' || spec.distribution === 'categorical_w_probabilities';
}

/** Whether every value of the distribution lies on a countable set (ints, quantised, lists). */
export function isDiscrete(spec: LeafParam): boolean {
  return spec.distribution === 'constant' || spec.distribution === 'int_uniform' || isListParam(spec) || 'q' in spec;
}

const quantize = (x: number, q: number): number => roundHalfEven(x / q) * q;

/** Beta quantile with W&B's allowed a = 0 or b = 0 read as a point mass at the end they favour. */
function betaQuantile(u: number, a: number, b: number): number {
  if (a === 0 && b === 0) return u < 0.5 ? 0 : 1;
  if (a === 0) return 0;
  if (b === 0) return 1;
  return betaPpf(u, a, b);
}

/** The value of a numeric distribution at quantile u ∈ (0, 1). */
export function ppf(spec: NumericParam, u: number): number {
  switch (spec.distribution) {
    case 'int_uniform': {
      const n = spec.max - spec.min + 1;
      return Math.min(spec.max, spec.min + Math.floor(u * n));
    }
    case 'uniform':
      return spec.min + u * (spec.max - spec.min);
    case 'q_uniform':
      return quantize(spec.min + u * (spec.max - spec.min), spec.q);
    case 'log_uniform':
      return Math.exp(spec.min + u * (spec.max - spec.min));
    case 'q_log_uniform':
      return quantize(Math.exp(spec.min + u * (spec.max - spec.min)), spec.q);
    case 'log_uniform_values':
    case 'inv_log_uniform_values': {
      const lo = Math.log(spec.min);
      return Math.exp(lo + u * (Math.log(spec.max) - lo));
    }
    case 'q_log_uniform_values': {
      const lo = Math.log(spec.min);
      return quantize(Math.exp(lo + u * (Math.log(spec.max) - lo)), spec.q);
    }
    case 'inv_log_uniform':
      return Math.exp(-(spec.min + (1 - u) * (spec.max - spec.min)));
    case 'normal':
      return spec.mu + spec.sigma * normPpf(u);
    case 'q_normal':
      return quantize(spec.mu + spec.sigma * normPpf(u), spec.q);
    case 'log_normal':
      return Math.exp(spec.mu + spec.sigma * normPpf(u));
    case 'q_log_normal':
      return quantize(Math.exp(spec.mu + spec.sigma * normPpf(u)), spec.q);
    case 'beta':
      return betaQuantile(u, spec.a, spec.b);
    case 'q_beta':
      return quantize(betaQuantile(u, spec.a, spec.b), spec.q);
  }
}

const clip01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * The quantile of an observed value, clipped to [0, 1]; NaN when the value is not a finite number.
 * int_uniform maps to the centre of its bucket, so `ppf(cdf(x)) === x` for every integer in range.
 */
export function cdf(spec: NumericParam, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) return NaN;
  switch (spec.distribution) {
    case 'int_uniform':
      return clip01((x - spec.min + 0.5) / (spec.max - spec.min + 1));
    case 'uniform':
    case 'q_uniform':
      return clip01((x - spec.min) / (spec.max - spec.min));
    case 'log_uniform':
    case 'q_log_uniform':
      return x <= 0 ? 0 : clip01((Math.log(x) - spec.min) / (spec.max - spec.min));
    case 'log_uniform_values':
    case 'inv_log_uniform_values':
    case 'q_log_uniform_values': {
      if (x <= 0) return 0;
      const lo = Math.log(spec.min);
      return clip01((Math.log(x) - lo) / (Math.log(spec.max) - lo));
    }
    case 'inv_log_uniform':
      return x <= 0 ? 0 : clip01(1 - (-Math.log(x) - spec.min) / (spec.max - spec.min));
    case 'normal':
    case 'q_normal':
      return spec.sigma === 0 ? 0.5 : normCdf((x - spec.mu) / spec.sigma);
    case 'log_normal':
    case 'q_log_normal':
      if (x <= 0) return 0;
      return spec.sigma === 0 ? 0.5 : normCdf((Math.log(x) - spec.mu) / spec.sigma);
    case 'beta':
    case 'q_beta':
      if (spec.a === 0 || spec.b === 0) return 0.5;
      return betaCdf(x, spec.a, spec.b);
  }
}

/** W&B's categorical draw: the index whose bucket (k/n, (k+1)/n] holds u; u = 0 gives the last. */
export function categoricalIndex(n: number, u: number): number {
  const k = Math.ceil(u * n) - 1;
  return k < 0 ? n - 1 : Math.min(k, n - 1);
}

/** W&B's weighted draw: the first index whose cumulative probability exceeds u. */
export function weightedIndex(probabilities: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < probabilities.length; i++) {
    acc += probabilities[i] as number;
    if (acc > u) return i;
  }
  return probabilities.length - 1;
}

/** A value of the parameter for the uniform draw u, as W&B's random search computes it. */
export function valueAt(spec: LeafParam, u: number): unknown {
  switch (spec.distribution) {
    case 'constant':
      return spec.value;
    case 'categorical':
      return spec.values[categoricalIndex(spec.values.length, u)];
    case 'categorical_w_probabilities':
      return spec.values[weightedIndex(spec.probabilities, u)];
    default:
      return ppf(spec, u);
  }
}

/**
 * numpy.arange(min, max, q): start at min, step q, stop before max; values are min + i·δ with
 * δ = (min + q) − min, which reproduces numpy's floating-point values (0.30000000000000004).
 */
export function arange(min: number, max: number, q: number): number[] {
  const n = Math.max(0, Math.ceil((max - min) / q));
  const delta = min + q - min;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i === 0 ? min : min + i * delta);
  return out;
}

/** Distributions W&B's grid accepts. */
export const GRID_DISTRIBUTIONS: ReadonlySet<string> = new Set(['constant', 'categorical', 'int_uniform', 'q_uniform']);

/** The grid points of one parameter, in W&B's order; throws for a type grid does not allow. */
export function gridValues(spec: LeafParam): unknown[] {
  switch (spec.distribution) {
    case 'constant':
      return [spec.value];
    case 'categorical':
      return distinctValues(spec.values);
    case 'int_uniform': {
      const out: number[] = [];
      for (let v = spec.min; v <= spec.max; v++) out.push(v);
      return out;
    }
    case 'q_uniform':
      return arange(spec.min, spec.max, spec.q);
    default:
      throw new Error(`grid search does not allow distribution ${spec.distribution}`);
  }
}
