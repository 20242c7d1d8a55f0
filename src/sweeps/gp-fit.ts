/**
 * The hyperparameter fit of the GP (gp.ts): MAP length scales (one per column group) and noise
 * ratio under weak log-normal priors, the signal variance profiled out, by a derivative-free
 * coordinate pattern search in log space.
 */
import { choleskyInPlace, flatten, forward, matern52 } from './gp-kernel.js';
import type { GpHyper } from './gp.js';

type Points = readonly (readonly number[])[];
type Vec = readonly number[];
// Weak priors: length scales around 0.5 of the unit range, noise around 1e-3 of the signal variance.
const LOG_L_PRIOR = { mean: Math.log(0.5), sd: 1.5 };
const LOG_G_PRIOR = { mean: Math.log(1e-3), sd: 3 };
const LOG_L_BOUNDS = [Math.log(0.01), Math.log(20)] as const;
const LOG_G_BOUNDS = [Math.log(1e-8), Math.log(1)] as const;

/**
 * Fits length scales (one per group) and noise to standardised targets y by maximising the
 * log marginal likelihood plus the log priors.
 *
 * Cold (no `warm`): the best of a 3×3 grid of isotropic starts, then a coordinate pattern search
 * with steps 1, 0.5, 0.25, 0.1 in log space (about 130 likelihood evaluations at 5 parameters).
 * Warm (the previous call's fit): the search starts there with steps 0.25 and 0.1 only, about
 * 25 evaluations when the optimum moved little, which it does as one more trial comes in.
 * @param groups column index → group index; columns of one one-hot categorical share a group.
 * @param noiseScale per sample, a factor on the noise term (heteroscedastic noise of known shape,
 *   one fitted ratio); 1 for every sample when absent. `conditionGp` takes the same.
 */
export function fitGp(x: Points, y: Vec, groups: Vec, nGroups: number, warm?: GpHyper, noiseScale?: Vec): GpHyper {
  const n = x.length;
  const width = groups.length;
  const flat = flatten(x, width);
  // Per pair (i > k), per group: squared distance, computed once for every evaluation.
  const dist = new Float64Array(((n * (n - 1)) / 2) * nGroups);
  const d = new Float64Array(nGroups);
  for (let i = 0, p = 0; i < n; i++) {
    for (let k = 0; k < i; k++, p += nGroups) {
      d.fill(0);
      for (let j = 0; j < width; j++) {
        const diff = (flat[i * width + j] as number) - (flat[k * width + j] as number);
        const g = groups[j] as number;
        d[g] = (d[g] as number) + diff * diff;
      }
      dist.set(d, p);
    }
  }
  const a = new Float64Array(n * n);
  const z = new Float64Array(n);
  const invL2 = new Float64Array(nGroups);
  const seen = new Map<string, number>(); // the pattern search comes back to points it has scored
  // The kernel matrix (lower triangle) depends on the length scales only: a move of the noise alone
  // (a third of the starts, one trial in nGroups + 1 of the search) reuses the one of the last
  // evaluation or of the current best, kept by `accept`, instead of n²/2 kernel values again.
  let scratch = { k: new Float64Array(n * n), key: '' };
  let kept = { k: new Float64Array(n * n), key: '' };
  const scalesKey = (theta: Float64Array): string => theta.subarray(0, nGroups).join(',');
  const kernelOf = (theta: Float64Array): Float64Array => {
    const key = scalesKey(theta);
    if (scratch.key === key) return scratch.k;
    if (kept.key === key) return kept.k;
    for (let g = 0; g < nGroups; g++) invL2[g] = Math.exp(-2 * (theta[g] as number));
    const k0 = scratch.k;
    for (let i = 0, p = 0; i < n; i++) {
      const ri = i * n;
      for (let k = 0; k < i; k++, p += nGroups) {
        let r2 = 0;
        for (let g = 0; g < nGroups; g++) r2 += (dist[p + g] as number) * (invL2[g] as number);
        k0[ri + k] = matern52(r2);
      }
    }
    scratch.key = key;
    return k0;
  };
  /** Keeps the kernel matrix of `theta` (the new best) for the noise moves around it. */
  const accept = (theta: Float64Array): void => {
    const key = scalesKey(theta);
    if (kept.key === key || scratch.key !== key) return;
    [kept, scratch] = [scratch, kept];
  };

  const objective = (theta: Float64Array): number => {
    const key = theta.join(',');
    const known = seen.get(key);
    if (known !== undefined) return known;
    a.set(kernelOf(theta));
    const noise = Math.exp(theta[nGroups] as number);
    for (let i = 0; i < n; i++) a[i * n + i] = 1 + noise * (noiseScale ? (noiseScale[i] as number) : 1) + 1e-9;
    let lp = -Infinity;
    if (choleskyInPlace(a, n)) {
      forward(a, n, y, z);
      let quad = 0;
      let logDet = 0;
      for (let i = 0; i < n; i++) {
        quad += (z[i] as number) ** 2;
        logDet += Math.log(a[i * n + i] as number);
      }
      // Signal variance profiled out: s² = yᵀA⁻¹y / n.
      lp = -0.5 * n * Math.log(Math.max(quad / n, 1e-300)) - logDet;
      for (let g = 0; g < nGroups; g++) lp -= 0.5 * (((theta[g] as number) - LOG_L_PRIOR.mean) / LOG_L_PRIOR.sd) ** 2;
      lp -= 0.5 * (((theta[nGroups] as number) - LOG_G_PRIOR.mean) / LOG_G_PRIOR.sd) ** 2;
    }
    seen.set(key, lp);
    return lp;
  };

  const bounds = (i: number): readonly [number, number] => (i < nGroups ? LOG_L_BOUNDS : LOG_G_BOUNDS);
  let best = new Float64Array(nGroups + 1);
  let bestVal = -Infinity;
  const usable = warm !== undefined && warm.lengthScales.length === nGroups && [...warm.lengthScales, warm.noise].every((v) => v > 0 && Number.isFinite(v));
  if (usable) {
    best = Float64Array.from([...warm.lengthScales, warm.noise], (v, i) => Math.min(bounds(i)[1], Math.max(bounds(i)[0], Math.log(v))));
    bestVal = objective(best);
    accept(best);
  }
  if (!usable || bestVal === -Infinity) {
    for (const l0 of [0.15, 0.4, 1.2]) {
      for (const g0 of [1e-6, 1e-3, 1e-1]) {
        const theta = new Float64Array(nGroups + 1).fill(Math.log(l0));
        theta[nGroups] = Math.log(g0);
        const v = objective(theta);
        if (v > bestVal) {
          bestVal = v;
          best = theta;
          accept(best);
        }
      }
    }
  }
  // Coordinate pattern search with a shrinking step.
  for (const step of usable ? [0.25, 0.1] : [1, 0.5, 0.25, 0.1]) {
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
            accept(best);
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
