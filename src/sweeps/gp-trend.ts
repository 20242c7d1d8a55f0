/**
 * The trend of the Bayesian search's surrogate: per numeric parameter a linear and a centred square
 * term, fitted by ridge regression to the standardised (warped) objective, the GP then modelling
 * what the trend leaves. A GP with a constant mean reverts to that mean away from the samples, so
 * expected improvement is largest where nothing is known, at the box's faces and corners; on a
 * bowl (Ackley, Levy, Dixon-Price) a rugged or noisy objective kept the search there (Ackley 5d
 * seeds stuck at the plateau's value, 20, with the noise ratio fitted at its bound). The trend
 * says where values rise. Where it misleads (Styblinski-Tang's double well reads as one bowl around
 * its local maximum) the data say so: the ridge penalties of the linear and of the square terms
 * (0.3 to 100; 1 to 100 or no square term) and no trend at all are compared by generalized
 * cross-validation, and the lowest score wins. The choice is made when the GP's hyperparameters are
 * fitted and kept (in the search state) for the calls between, which refit only the coefficients.
 */
import { backward, choleskyInPlace, forward } from './gp-kernel.js';
import type { GpModel } from './gp.js';

/** The fitted trend: its value at a point (encoded, a row of a flat array). */
export interface Trend {
  at(points: Float64Array, offset: number): number;
}

/** Ridge penalties of the linear and the square terms (relative to their variance); square null: no square terms. */
export interface TrendPenalties {
  linear: number;
  square: number | null;
}

const LINEAR_PENALTIES = [0.3, 1, 3, 10, 30, 100];
const SQUARE_PENALTIES = [1, 3, 10, 30, 100, null];
// Past 20 numeric parameters the 36 penalty pairs' solves (each O(features³)) would cost more than
// the rest of a proposal; the search then runs without a trend, as before it had one.
const MAX_NUMERIC = 20;
// Each effective parameter counts 1.4 times in the cross-validation score (the modified GCV of Kim &
// Gu): plain GCV chose a trend for pure noise on 45% of 200 seeds at 40 samples (3 parameters), this
// on 26%, and it did best on the search bench (mean log ratio to the best rival over 120 seeds).
const GCV_COST = 1.4;
// A uniform quantile u - 1/2 has mean 0 and variance 1/12, so (u - 1/2)² has mean 1/12 (taken off:
// the square feature is centred) and variance 1/180. Penalties are relative to each feature's variance.
const LINEAR_VARIANCE = 1 / 12;
const SQUARE_MEAN = 1 / 12;
const SQUARE_VARIANCE = 1 / 180;

/** The regression of standardised targets on the trend's features, for any penalties. */
class TrendProblem {
  readonly nf: number;
  private readonly phi: Float64Array;
  private readonly gram: Float64Array;
  private readonly rhs: Float64Array;
  private readonly a: Float64Array;
  private readonly row: Float64Array;
  constructor(
    xs: readonly (readonly number[])[],
    private readonly ys: readonly number[],
    private readonly columns: readonly number[],
  ) {
    const n = xs.length;
    const nf = (this.nf = 2 * columns.length);
    this.row = new Float64Array(nf);
    this.a = new Float64Array(nf * nf);
    this.phi = new Float64Array(n * nf);
    xs.forEach((x, i) => {
      this.features(x, 0, this.row);
      this.phi.set(this.row, i * nf);
    });
    // ΦᵀΦ (lower triangle) and Φᵀy, once for every penalty.
    this.gram = new Float64Array(nf * nf);
    this.rhs = new Float64Array(nf);
    for (let i = 0; i < n; i++) {
      const y = ys[i] as number;
      for (let f = 0; f < nf; f++) {
        const v = this.phi[i * nf + f] as number;
        this.rhs[f] = (this.rhs[f] as number) + v * y;
        for (let g = 0; g <= f; g++) this.gram[f * nf + g] = (this.gram[f * nf + g] as number) + v * (this.phi[i * nf + g] as number);
      }
    }
  }

  features(x: ArrayLike<number>, offset: number, out: Float64Array): void {
    const d = this.columns.length;
    for (let j = 0; j < d; j++) {
      const u = (x[offset + (this.columns[j] as number)] as number) - 0.5;
      out[j] = u;
      out[d + j] = u * u - SQUARE_MEAN;
    }
  }

  /** Factors ΦᵀΦ + Λ into `a` (terms left out get a unit row); false if it is not positive definite. */
  private factor(p: TrendPenalties): boolean {
    const { nf, a } = this;
    const d = nf / 2;
    a.set(this.gram);
    for (let f = 0; f < nf; f++) {
      if (f >= d && p.square === null) {
        for (let g = 0; g < f; g++) a[f * nf + g] = 0;
        a[f * nf + f] = 1;
        for (let g = f + 1; g < nf; g++) a[g * nf + f] = 0;
      } else a[f * nf + f] = (a[f * nf + f] as number) + (f < d ? p.linear * LINEAR_VARIANCE : (p.square as number) * SQUARE_VARIANCE);
    }
    return choleskyInPlace(a, nf);
  }

  /** The coefficients under penalties `p` (undefined if the system is singular). */
  coefficients(p: TrendPenalties): Float64Array | undefined {
    if (!this.factor(p)) return undefined;
    const d = this.nf / 2;
    return backward(this.a, this.nf, forward(this.a, this.nf, p.square === null ? this.rhs.map((v, f) => (f >= d ? 0 : v)) : this.rhs));
  }

  /** Generalized cross-validation score n·RSS / (n − 1.4·tr H)² of the coefficients just computed under `p`. */
  score(p: TrendPenalties, beta: Float64Array): number {
    const { nf, a, gram, phi, ys } = this;
    const d = nf / 2;
    const n = ys.length;
    // tr H = tr(A⁻¹ΦᵀΦ) over the terms in use, a column of ΦᵀΦ at a time (`a` holds A's factor).
    const column = new Float64Array(nf);
    const z = new Float64Array(nf);
    let used = 0;
    for (let f = 0; f < nf; f++) {
      if (f >= d && p.square === null) continue;
      for (let g = 0; g < nf; g++) column[g] = g >= d && p.square === null ? 0 : (gram[Math.max(f, g) * nf + Math.min(f, g)] as number);
      used += backward(a, nf, forward(a, nf, column, z))[f] as number;
    }
    let rss = 0;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let f = 0; f < nf; f++) t += (beta[f] as number) * (phi[i * nf + f] as number);
      rss += ((ys[i] as number) - t) ** 2;
    }
    return (n * rss) / Math.max(n - GCV_COST * used, 1e-9) ** 2;
  }

  trend(beta: Float64Array): Trend {
    const row = new Float64Array(this.nf);
    return {
      at: (points, offset) => {
        this.features(points, offset, row);
        let t = 0;
        for (let f = 0; f < row.length; f++) t += (beta[f] as number) * (row[f] as number);
        return t;
      },
    };
  }
}

const usable = (columns: readonly number[], n: number): boolean => columns.length > 0 && columns.length <= MAX_NUMERIC && n >= 3;

/**
 * Chooses the penalties by generalized cross-validation over the grid, against no trend at all
 * (whose score is the mean square of `ys`, standardised to mean 0), and fits the trend with them.
 * `penalties` null: no trend (also when there are no numeric columns or more than MAX_NUMERIC).
 */
export function selectTrend(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  numericColumns: readonly number[],
): { trend?: Trend; penalties: TrendPenalties | null } {
  if (!usable(numericColumns, xs.length)) return { penalties: null };
  const problem = new TrendProblem(xs, ys, numericColumns);
  let bestScore = ys.reduce((s, y) => s + y * y, 0) / ys.length;
  let best: { beta: Float64Array; penalties: TrendPenalties } | undefined;
  for (const linear of LINEAR_PENALTIES) {
    for (const square of SQUARE_PENALTIES) {
      const p = { linear, square };
      const beta = problem.coefficients(p);
      if (!beta) continue;
      const score = problem.score(p, beta);
      if (score < bestScore) {
        bestScore = score;
        best = { beta, penalties: p };
      }
    }
  }
  return best ? { trend: problem.trend(best.beta), penalties: best.penalties } : { penalties: null };
}

/** The trend fitted with penalties chosen before (`selectTrend`), for the calls between two selections. */
export function fitTrend(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  numericColumns: readonly number[],
  penalties: TrendPenalties,
): Trend | undefined {
  if (!usable(numericColumns, xs.length)) return undefined;
  const problem = new TrendProblem(xs, ys, numericColumns);
  const beta = problem.coefficients(penalties);
  return beta ? problem.trend(beta) : undefined;
}

/**
 * The model of trend + GP from a GP conditioned on the residuals at `points` (its training points,
 * flat rows of `width`): means gain the trend, deviations are the GP's.
 */
export function withTrend(model: GpModel, trend: Trend, points: Float64Array, width: number): GpModel {
  return {
    hyper: model.hyper,
    size: model.size,
    predict(x, offset = 0) {
      const p = model.predict(x, offset);
      return { mean: p.mean + trend.at(x, offset), std: p.std };
    },
    boundAll(candidates, m, means, stdBound) {
      model.boundAll(candidates, m, means, stdBound);
      for (let c = 0; c < m; c++) means[c] = (means[c] as number) + trend.at(candidates, c * width);
    },
    fittedMeans() {
      const out = model.fittedMeans();
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + trend.at(points, i * width);
      return out;
    },
    stdAt: (candidates, offset) => model.stdAt(candidates, offset),
  };
}
