/**
 * The output warping of the Bayesian search: the GP models log(y − min + spread) instead of y
 * (minimised), with spread = median − min of the samples. Objectives with a long upper tail
 * (Rosenbrock, Dixon-Price, a diverged run's loss) otherwise standardise into a flat valley where
 * the minimum cannot be told apart; the log keeps the ordering, stretches the region near the best
 * values and squashes the tail. `spread` sets how strongly: measured on bench/search.ts, a tenth of
 * it over-sharpens multimodal objectives (Michalewicz, mixed Levy), the whole of it does not.
 * Identity when the samples have no spread (half of them at the minimum).
 */
import { normCdf } from './special.js';

export interface Warp {
  ys: number[];
  /**
   * Per sample, the variance a unit of noise on the objective's scale has on the warped scale,
   * relative to the samples' mean: (dw/dy)² normalised to mean 1 (all 1 when unwarped). The log
   * stretches the region near the minimum, so the same noise on y is larger there once warped.
   */
  noiseScale: number[];
  /**
   * Back to the objective's scale, for a point of warped mean m and deviation s: the median
   * value, the deviation and the expected improvement over the best sample (log-normal forms;
   * no improvement when unwarped: the GP's own expected improvement is already on that scale).
   */
  back(m: number, s: number): { value: number; std: number; improvement?: number };
}

export function warpOutputs(raw: readonly number[]): Warp {
  const sorted = [...raw].sort((a, b) => a - b);
  const min = sorted[0] as number;
  const spread = (sorted[sorted.length >> 1] as number) - min;
  if (!(spread > 0) || !Number.isFinite(spread)) {
    return {
      ys: [...raw],
      noiseScale: raw.map(() => 1),
      back: (m, s) => ({ value: m, std: s }),
    };
  }
  const shift = min - spread;
  const slope2 = raw.map((v) => (v - shift) ** -2);
  const meanSlope2 = slope2.reduce((a, b) => a + b, 0) / slope2.length;
  return {
    ys: raw.map((v) => Math.log(v - shift)),
    noiseScale: slope2.map((v) => v / meanSlope2),
    back(m, s) {
      // Y = exp(W) + shift, W ~ N(m, s²); improvement over min: E[max(spread − exp(W), 0)].
      const d = (Math.log(spread) - m) / Math.max(s, 1e-300);
      const improvement = spread * normCdf(d) - Math.exp(m + (s * s) / 2) * normCdf(d - s);
      return { value: Math.exp(m) + shift, std: Math.sqrt(Math.expm1(s * s)) * Math.exp(m + (s * s) / 2), improvement: Math.max(0, improvement) };
    },
  };
}
