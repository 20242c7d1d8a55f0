/**
 * A small Gaussian-process regressor in plain TypeScript: Matérn 5/2 kernel with one length scale
 * per parameter (ARD; one-hot columns of a categorical share theirs), a fitted noise term, and the
 * signal variance profiled out analytically. Hyperparameters are MAP estimates found by a
 * derivative-free pattern search in log space, which is robust and cheap at sweep sizes (n ≤ ~150).
 *
 * W&B uses one isotropic Matérn 3/2 length scale with a fixed nugget and falls back to a random
 * proposal whenever the fitted scale touches its bounds; per-dimension scales and a weak prior make
 * that fallback unnecessary here.
 */

const SQRT5 = Math.sqrt(5);

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
  predict(x: readonly number[]): GpPrediction;
}

function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** Lower Cholesky factor of a symmetric n×n matrix (row-major), or undefined if not positive definite. */
function cholesky(a: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / (l[j * n + j] as number);
    }
  }
  return l;
}

/** Solves L z = b (forward substitution). */
function forward(l: Float64Array, n: number, b: readonly number[] | Float64Array): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (z[k] as number);
    z[i] = s / (l[i * n + i] as number);
  }
  return z;
}

/** Solves Lᵀ z = b (back substitution). */
function backward(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const z = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (z[k] as number);
    z[i] = s / (l[i * n + i] as number);
  }
  return z;
}

/** Per-group squared distances between two points. */
function groupDistances(a: readonly number[], b: readonly number[], groups: readonly number[], nGroups: number): Float64Array {
  const d = new Float64Array(nGroups);
  for (let j = 0; j < a.length; j++) {
    const diff = (a[j] as number) - (b[j] as number);
    const g = groups[j] as number;
    d[g] = (d[g] as number) + diff * diff;
  }
  return d;
}

function kernelFromDistances(d: Float64Array, invL2: Float64Array): number {
  let r2 = 0;
  for (let g = 0; g < d.length; g++) r2 += (d[g] as number) * (invL2[g] as number);
  return matern52(r2);
}

// Weak priors: length scales around 0.5 of the unit range, noise around 1e-3 of the signal variance.
const LOG_L_PRIOR = { mean: Math.log(0.5), sd: 1.5 };
const LOG_G_PRIOR = { mean: Math.log(1e-3), sd: 3 };
const LOG_L_BOUNDS = [Math.log(0.01), Math.log(20)] as const;
const LOG_G_BOUNDS = [Math.log(1e-8), Math.log(1)] as const;

/**
 * Fits length scales (one per group) and noise to standardised targets y by maximising the
 * log marginal likelihood plus the log priors.
 * @param groups column index → group index; columns of one one-hot categorical share a group.
 */
export function fitGp(x: readonly (readonly number[])[], y: readonly number[], groups: readonly number[], nGroups: number): GpHyper {
  const n = x.length;
  const dist: Float64Array[] = [];
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) dist.push(groupDistances(x[i] as number[], x[k] as number[], groups, nGroups));

  const objective = (theta: Float64Array): number => {
    const invL2 = new Float64Array(nGroups);
    for (let g = 0; g < nGroups; g++) invL2[g] = Math.exp(-2 * (theta[g] as number));
    const noise = Math.exp(theta[nGroups] as number);
    const a = new Float64Array(n * n);
    let p = 0;
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 1 + noise + 1e-9;
      for (let k = 0; k < i; k++) {
        const v = kernelFromDistances(dist[p++] as Float64Array, invL2);
        a[i * n + k] = v;
        a[k * n + i] = v;
      }
    }
    const l = cholesky(a, n);
    if (!l) return -Infinity;
    const z = forward(l, n, y);
    let quad = 0;
    let logDet = 0;
    for (let i = 0; i < n; i++) {
      quad += (z[i] as number) ** 2;
      logDet += Math.log(l[i * n + i] as number);
    }
    // Signal variance profiled out: s² = yᵀA⁻¹y / n.
    let lp = -0.5 * n * Math.log(Math.max(quad / n, 1e-300)) - logDet;
    for (let g = 0; g < nGroups; g++) lp -= 0.5 * (((theta[g] as number) - LOG_L_PRIOR.mean) / LOG_L_PRIOR.sd) ** 2;
    lp -= 0.5 * (((theta[nGroups] as number) - LOG_G_PRIOR.mean) / LOG_G_PRIOR.sd) ** 2;
    return lp;
  };

  const bounds = (i: number): readonly [number, number] => (i < nGroups ? LOG_L_BOUNDS : LOG_G_BOUNDS);
  let best = new Float64Array(nGroups + 1);
  let bestVal = -Infinity;
  for (const l0 of [0.15, 0.4, 1.2]) {
    for (const g0 of [1e-6, 1e-3, 1e-1]) {
      const theta = new Float64Array(nGroups + 1).fill(Math.log(l0));
      theta[nGroups] = Math.log(g0);
      const v = objective(theta);
      if (v > bestVal) {
        bestVal = v;
        best = theta;
      }
    }
  }
  // Coordinate pattern search with a shrinking step.
  for (const step of [1, 0.5, 0.25, 0.1]) {
    let improved = true;
    for (let round = 0; round < 4 && improved; round++) {
      improved = false;
      for (let i = 0; i <= nGroups; i++) {
        for (const dir of [1, -1]) {
          const trial = Float64Array.from(best);
          const [lo, hi] = bounds(i);
          trial[i] = Math.min(hi, Math.max(lo, (trial[i] as number) + dir * step));
          if (trial[i] === best[i]) continue;
          const v = objective(trial);
          if (v > bestVal + 1e-9) {
            bestVal = v;
            best = trial;
            improved = true;
            break;
          }
        }
      }
    }
  }
  return {
    lengthScales: Array.from(best.subarray(0, nGroups), (t) => Math.exp(t)),
    noise: Math.exp(best[nGroups] as number),
  };
}

/** Conditions the GP with the given hyperparameters on (x, y). */
export function conditionGp(x: readonly (readonly number[])[], y: readonly number[], groups: readonly number[], hyper: GpHyper): GpModel {
  const n = x.length;
  const nGroups = hyper.lengthScales.length;
  const invL2 = Float64Array.from(hyper.lengthScales, (l) => 1 / (l * l));
  let jitter = 1e-9;
  let l: Float64Array | undefined;
  while (!l) {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 1 + hyper.noise + jitter;
      for (let k = 0; k < i; k++) {
        const v = kernelFromDistances(groupDistances(x[i] as number[], x[k] as number[], groups, nGroups), invL2);
        a[i * n + k] = v;
        a[k * n + i] = v;
      }
    }
    l = cholesky(a, n);
    jitter *= 10;
  }
  const factor = l;
  const alpha = backward(factor, n, forward(factor, n, y));
  let quad = 0;
  for (let i = 0; i < n; i++) quad += (y[i] as number) * (alpha[i] as number);
  const signal = Math.max(quad / n, 1e-12);
  return {
    hyper,
    predict(point) {
      const kStar = new Float64Array(n);
      let mean = 0;
      for (let i = 0; i < n; i++) {
        const v = kernelFromDistances(groupDistances(point, x[i] as number[], groups, nGroups), invL2);
        kStar[i] = v;
        mean += v * (alpha[i] as number);
      }
      const v = forward(factor, n, kStar);
      let explained = 0;
      for (let i = 0; i < n; i++) explained += (v[i] as number) ** 2;
      return { mean, std: Math.sqrt(Math.max(signal * (1 - explained), 1e-12)) };
    },
  };
}
