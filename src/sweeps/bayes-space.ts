/**
 * The search space the Bayesian search works in. A point ("choice") holds, per searchable
 * parameter, either a quantile u ∈ (0, 1) (numeric parameters, as W&B does) or a category index.
 *
 * Unlike W&B, which puts category i of n at (i+1)/n on one ordinal axis (so the list order defines
 * distances, and falsy values collapse to index 0), categories are one-hot encoded: every pair of
 * distinct categories is the same distance apart, whatever their order in `values`.
 */
import { cdf, isDiscrete, isListParam, ppf, type NumericParam } from './distributions.js';
import { buildRunConfig, canonicalKey, flattenParams, getPath, MISSING, searchable } from './params.js';
import type { Rng } from './rng.js';
import type { FlatParam, SweepConfig } from './types.js';

const ONE_HOT = Math.SQRT1_2; // two distinct categories end up at distance 1, like the ends of a numeric axis

export interface CategoricalDim {
  kind: 'cat';
  param: FlatParam;
  values: unknown[];
  keys: string[];
  /** Prior weight of each distinct value (uniform for plain categorical). */
  prior: number[];
  offset: number;
}
export interface NumericDim {
  kind: 'num';
  param: FlatParam;
  spec: NumericParam;
  discrete: boolean;
  offset: number;
}
export type Dim = CategoricalDim | NumericDim;

export interface Space {
  dims: Dim[];
  /** Width of the encoded vector. */
  width: number;
  /** Encoded column → dimension index (the GP's length-scale groups). */
  groups: number[];
}

/** A point of the space: per dimension a quantile (numeric) or a category index. */
export type Choice = number[];

export function buildSpace(config: SweepConfig): Space {
  const dims: Dim[] = [];
  const groups: number[] = [];
  let offset = 0;
  for (const param of searchable(flattenParams(config.parameters))) {
    const spec = param.spec;
    if (isListParam(spec)) {
      const keys: string[] = [];
      const values: unknown[] = [];
      const prior: number[] = [];
      spec.values.forEach((v, i) => {
        const k = canonicalKey(v);
        const w = spec.distribution === 'categorical_w_probabilities' ? (spec.probabilities[i] ?? 0) : 1;
        const at = keys.indexOf(k);
        if (at >= 0)
          prior[at] = (prior[at] as number) + w; // duplicates merge, their weights add up
        else {
          keys.push(k);
          values.push(v);
          prior.push(w);
        }
      });
      // A value with probability 0 is outside the prior's support: never propose it.
      const keep = prior.map((w, i) => (w > 0 ? i : -1)).filter((i) => i >= 0);
      const dim: CategoricalDim = {
        kind: 'cat',
        param,
        values: keep.map((i) => values[i]),
        keys: keep.map((i) => keys[i] as string),
        prior: keep.map((i) => prior[i] as number),
        offset,
      };
      dims.push(dim);
      for (let i = 0; i < dim.keys.length; i++) groups.push(dims.length - 1);
      offset += dim.keys.length;
    } else if (spec.distribution !== 'constant') {
      dims.push({ kind: 'num', param, spec, discrete: isDiscrete(spec), offset });
      groups.push(dims.length - 1);
      offset += 1;
    }
  }
  return { dims, width: offset, groups };
}

/** The choice of a run's config, or undefined if a value is missing or not in the space. */
export function choiceOfRun(space: Space, config: Record<string, unknown>): Choice | undefined {
  const out: Choice = [];
  for (const dim of space.dims) {
    const v = getPath(config, dim.param.path);
    if (v === MISSING) return undefined;
    if (dim.kind === 'cat') {
      const i = dim.keys.indexOf(canonicalKey(v));
      if (i < 0) return undefined;
      out.push(i);
    } else {
      const u = cdf(dim.spec, v);
      if (Number.isNaN(u)) return undefined;
      out.push(u);
    }
  }
  return out;
}

/** The value of each dimension at a choice. */
export function decode(space: Space, choice: Choice): unknown[] {
  return space.dims.map((dim, d) => {
    const c = choice[d] as number;
    if (dim.kind === 'cat') return dim.values[c];
    return ppf(dim.spec, Math.min(1 - 1e-12, Math.max(1e-12, c)));
  });
}

/** The GP input of a choice; discrete numeric values are snapped to the value they decode to. */
export function encode(space: Space, choice: Choice): number[] {
  const x = new Array<number>(space.width).fill(0);
  encodeInto(space, choice, x, 0);
  return x;
}

/** `encode` written into `out` from `offset` (its columns there must hold zeros), with no allocation. */
export function encodeInto(space: Space, choice: Choice, out: { [i: number]: number }, offset: number): void {
  const dims = space.dims;
  for (let d = 0; d < dims.length; d++) {
    const dim = dims[d] as Dim;
    const c = choice[d] as number;
    if (dim.kind === 'cat') out[offset + dim.offset + c] = ONE_HOT;
    else out[offset + dim.offset] = dim.discrete ? cdf(dim.spec, ppf(dim.spec, Math.min(1 - 1e-12, Math.max(1e-12, c)))) : c;
  }
}

/** Identity of a point by its values (the same key for a run and for a decoded choice). */
export function valuesKey(values: readonly unknown[]): string {
  return values.map(canonicalKey).join('\u0001');
}

/** The identity key of a run's searchable values, or undefined if one is missing. */
export function runKey(space: Space, config: Record<string, unknown>): string | undefined {
  const values: unknown[] = [];
  for (const dim of space.dims) {
    const v = getPath(config, dim.param.path);
    if (v === MISSING) return undefined;
    values.push(v);
  }
  return valuesKey(values);
}

function pickWeighted(weights: readonly number[], rng: Rng): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** A random choice: from the prior (`categorical_w_probabilities` weights) or uniform over categories. */
export function randomChoice(space: Space, rng: Rng, fromPrior: boolean): Choice {
  return space.dims.map((dim) => (dim.kind === 'cat' ? (fromPrior ? pickWeighted(dim.prior, rng) : rng.int(dim.values.length)) : rng.open()));
}

/**
 * A local move around a choice: Gaussian steps on quantiles, occasional category switches. With
 * `subset`, only some dimensions move (each numeric one with probability 2/d, at least one): in
 * many dimensions a step in every coordinate at once leaves the incumbent's basin.
 */
export function perturb(space: Space, choice: Choice, rng: Rng, scale: number, subset = false): Choice {
  const d = space.dims.length;
  const switchP = 1 / Math.max(1, d);
  const moveP = subset ? Math.min(1, 2 / Math.max(1, d)) : 1;
  const forced = subset ? rng.int(d) : -1;
  return space.dims.map((dim, i) => {
    const c = choice[i] as number;
    if (dim.kind === 'cat') return rng.next() < switchP ? rng.int(dim.values.length) : c;
    if (subset && i !== forced && rng.next() >= moveP) return c;
    return Math.min(1 - 1e-9, Math.max(1e-9, c + scale * rng.normal()));
  });
}

/**
 * The point with one categorical changed, the rest kept: every other value of each categorical. A
 * random local move switches a category and moves the numbers at once, so EI never sees the plain
 * question "is another value better here?", and a sweep could stay on its first category.
 */
export function categoricalNeighbours(space: Space, choice: Choice): Choice[] {
  const out: Choice[] = [];
  space.dims.forEach((dim, d) => {
    if (dim.kind === 'cat') for (let v = 0; v < dim.values.length; v++) if (v !== choice[d]) out.push(choice.map((c, k) => (k === d ? v : c)));
  });
  return out;
}

/**
 * The point with one numeric coordinate redrawn from the prior, the rest kept: `perDim` points per
 * numeric dimension. A local move changes a coordinate by a step, so a coordinate whose better
 * value lies in another basin (a separable double well, as Styblinski-Tang's) is never asked
 * about while the others stay where the best sample has them; random candidates ask about it only
 * with every other coordinate moved too.
 */
export function coordinateRedraws(space: Space, choice: Choice, rng: Rng, perDim: number): Choice[] {
  const out: Choice[] = [];
  space.dims.forEach((dim, d) => {
    if (dim.kind !== 'num') return;
    for (let i = 0; i < perDim; i++) out.push(choice.map((c, k) => (k === d ? rng.open() : c)));
  });
  return out;
}

/**
 * Every point of a finite space (categorical and int_uniform only), or undefined when the space
 * has another kind of dimension or more than `limit` points.
 */
export function enumerate(space: Space, limit: number): Choice[] | undefined {
  const sizes: number[] = [];
  for (const dim of space.dims) {
    if (dim.kind === 'cat') sizes.push(dim.values.length);
    else if (dim.spec.distribution === 'int_uniform') sizes.push(dim.spec.max - dim.spec.min + 1);
    else return undefined;
  }
  if (sizes.reduce((a, b) => a * b, 1) > limit) return undefined;
  const toChoice = (dim: Dim, i: number): number =>
    dim.kind === 'cat' ? i : (i + 0.5) / ((dim.spec as { max: number; min: number }).max - (dim.spec as { min: number }).min + 1);
  let out: Choice[] = [[]];
  space.dims.forEach((dim, d) => {
    const next: Choice[] = [];
    for (const prefix of out) for (let i = 0; i < (sizes[d] as number); i++) next.push([...prefix, toChoice(dim, i)]);
    out = next;
  });
  return out;
}

/** The nested run config of a choice, constants included. */
export function toRunConfig(config: SweepConfig, space: Space, choice: Choice): Record<string, unknown> {
  const values = decode(space, choice);
  const byPath = new Map<string, unknown>(space.dims.map((dim, d) => [dim.param.path.join('\u0000'), values[d]]));
  for (const p of flattenParams(config.parameters)) {
    if (p.spec.distribution === 'constant') byPath.set(p.path.join('\u0000'), p.spec.value);
  }
  return buildRunConfig(config.parameters, (path) => byPath.get(path.join('\u0000')));
}
