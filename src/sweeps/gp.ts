/**
 * A small Gaussian-process regressor in plain TypeScript: Matérn 5/2 kernel with one length scale
 * per parameter (ARD; one-hot columns of a categorical share theirs), a fitted noise term, and the
 * signal variance profiled out analytically. Hyperparameters are MAP estimates found by a
 * derivative-free pattern search in log space (gp-fit.ts), robust and cheap at sweep sizes (n ≤ ~150).
 *
 * W&B uses one isotropic Matérn 3/2 length scale with a fixed nugget and falls back to a random
 * proposal whenever the fitted scale touches its bounds; per-dimension scales and a weak prior make
 * that fallback unnecessary here.
 */

import { backward, choleskyInPlace, flatten, forward, groupEnds, groupPoints, kernelAt, matern52, sqDistances } from './gp-kernel.js';

/** The fitted hyperparameters. */
export interface GpHyper {
  /** One length scale per column group (parameter), on the [0, 1] encoded scale. */
  lengthScales: number[];
  /** Noise variance relative to the signal variance. */
  noise: number;
}

export interface GpPrediction {
  mean: number;
  std: number;
}

/** A GP conditioned on data; `predict` gives the latent mean and standard deviation. */
export interface GpModel {
  hyper: GpHyper;
  /** At the point held by `x` from `offset` (a row of a flat array of points). */
  predict(x: Float64Array, offset?: number): GpPrediction;
  /**
   * For m points (rows of `points`): the exact means and upper bounds of the standard deviations,
   * for the cost of the means alone (no triangular solve), so points whose bound cannot win need no
   * exact variance (`stdAt`). Column by column over the training set (one typed-array pass per
   * encoded column), the form that scales to thousands of candidates: O(m·n·width) plus m·n kernel
   * evaluations, and O(n) memory (the kernel values are not kept: the few points that need an
   * exact deviation compute theirs again, which costs less than writing and collecting m·n values).
   */
  boundAll(points: Float64Array, m: number, means: Float64Array, stdBound: Float64Array): void;
  /** Training points conditioned on. */
  size: number;
  /** The posterior mean at each training point (the observed values with the fitted noise taken out). */
  fittedMeans(): Float64Array;
  /** The exact standard deviation at the point held by `points` from `offset`, with the kernel values `boundAll` uses. */
  stdAt(points: Float64Array, offset: number): number;
}

type Points = readonly (readonly number[])[];
type Vec = readonly number[];

/** Conditions the GP with the given hyperparameters on (x, y). */
export function conditionGp(x: Points, y: Vec, groups: Vec, hyper: GpHyper, noiseScale?: Vec): GpModel {
  const n = x.length;
  const width = groups.length;
  const nGroups = hyper.lengthScales.length;
  const flat = flatten(x, width);
  const invL2 = Float64Array.from(hyper.lengthScales, (l) => 1 / (l * l));
  const ends = groupEnds(groups, nGroups);
  // The kernel matrix does not depend on the jitter: computed once, copied per attempt.
  const k0 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) k0[i * n + k] = kernelAt(flat, i * width, flat, k * width, ends, invL2);
  let jitter = 1e-9;
  // Per sample: the signal's 1, its noise (the fitted ratio times the sample's scale) and the jitter.
  const diag = new Float64Array(n);
  let factor: Float64Array | undefined;
  while (!factor) {
    const a = Float64Array.from(k0);
    for (let i = 0; i < n; i++) a[i * n + i] = diag[i] = 1 + hyper.noise * (noiseScale ? (noiseScale[i] as number) : 1) + jitter;
    if (choleskyInPlace(a, n)) factor = a;
    jitter *= 10;
  }
  const l = factor;
  const alpha = backward(l, n, forward(l, n, y));
  let quad = 0;
  for (let i = 0; i < n; i++) quad += (y[i] as number) * (alpha[i] as number);
  const signal = Math.max(quad / n, 1e-12);
  const kStar = new Float64Array(n);
  const v = new Float64Array(n);
  // The mean at a point; leaves k(point, xᵢ) in kStar.
  const meanAt = (point: Float64Array, offset: number): number => {
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const k = kernelAt(point, offset, flat, i * width, ends, invL2);
      kStar[i] = k;
      mean += k * (alpha[i] as number);
    }
    return mean;
  };
  const grouped = groupPoints(flat, n, width, ends);
  const std = (explained: number) => Math.sqrt(Math.max(signal * (1 - explained), 1e-12));
  // kᵀK⁻¹k is at least the variance the NEAR training points of highest kernel value explain on
  // their own (the projection onto their span, a NEAR×NEAR solve); shaved so rounding in the exact
  // solve can never put the exact value above this bound.
  const NEAR = Math.min(5, n);
  const near = new Int32Array(NEAR);
  const nearK = new Float64Array(NEAR);
  // An empty slot holds index -1 and kernel value -1 (below any kernel value), so one comparison
  // tells whether a value enters the list.
  const insertNear = (i: number, k: number): void => {
    let at = NEAR - 1;
    while (at > 0 && k > (nearK[at - 1] as number)) {
      near[at] = near[at - 1] as number;
      nearK[at] = nearK[at - 1] as number;
      at--;
    }
    near[at] = i;
    nearK[at] = k;
  };
  const sub = new Float64Array(NEAR * NEAR);
  const subZ = new Float64Array(NEAR);
  const projectedVariance = (k: Float64Array, ko: number): number => {
    let q = 0;
    while (q < NEAR && near[q] !== -1) q++;
    for (let a = 0; a < q; a++) {
      const ia = near[a] as number;
      for (let b = 0; b < a; b++) {
        const ib = near[b] as number;
        sub[a * q + b] = k0[Math.max(ia, ib) * n + Math.min(ia, ib)] as number;
      }
      sub[a * q + a] = diag[near[a] as number] as number;
    }
    const single = q === 0 ? 0 : (nearK[0] as number) ** 2 / (diag[near[0] as number] as number);
    if (q < 2 || !choleskyInPlace(sub, q)) return Math.min(1, single) * (1 - 1e-9);
    let explained = 0;
    for (let a = 0; a < q; a++) {
      let v = k[ko + (near[a] as number)] as number;
      for (let b = 0; b < a; b++) v -= (sub[a * q + b] as number) * (subZ[b] as number);
      subZ[a] = v / (sub[a * q + a] as number);
      explained += (subZ[a] as number) ** 2;
    }
    return Math.min(1, Math.max(single, explained)) * (1 - 1e-6);
  };
  // The exact deviation from a point's kernel values (n of them): a triangular solve, O(n²).
  const stdFrom = (k: Float64Array): number => {
    forward(l, n, k, v);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += (v[i] as number) ** 2;
    return std(explained);
  };
  const r2 = new Float64Array(n);
  const kRow = new Float64Array(n);
  return {
    hyper,
    size: n,
    fittedMeans() {
      // (K + G)α = y, so Kα = y − Gα with G the diagonal's excess over the signal's 1.
      return Float64Array.from(y, (v, i) => v - ((diag[i] as number) - 1) * (alpha[i] as number));
    },
    predict(point, offset = 0) {
      const mean = meanAt(point, offset);
      return { mean, std: stdFrom(kStar) };
    },
    stdAt(points, offset) {
      sqDistances(grouped, points, offset, invL2, r2);
      for (let i = 0; i < n; i++) kRow[i] = matern52(r2[i] as number);
      return stdFrom(kRow);
    },
    boundAll(points, m, means, stdBound) {
      for (let c = 0; c < m; c++) {
        sqDistances(grouped, points, c * width, invL2, r2);
        let mean = 0;
        near.fill(-1);
        nearK.fill(-1);
        let last = -1; // nearK[NEAR - 1]
        for (let i = 0; i < n; i++) {
          const k = matern52(r2[i] as number);
          kRow[i] = k;
          mean += k * (alpha[i] as number);
          if (k > last) {
            insertNear(i, k);
            last = nearK[NEAR - 1] as number;
          }
        }
        means[c] = mean;
        const explained = projectedVariance(kRow, 0);
        stdBound[c] = std(explained) * (1 + 1e-9);
      }
    },
  };
}
