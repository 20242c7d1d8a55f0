/**
 * Descriptive statistics and two-sample tests for grouped runs: Welch's t-test (unequal variances)
 * and the Mann-Whitney U test (no normality assumption). Undefined quantities are `null`, so the
 * results serialise to JSON as they are.
 */

import { normalCdf, studentTQuantile, studentTTwoSided } from './distributions.js';

/** Count, mean, sample standard deviation and the 95% Student-t confidence interval of the mean. */
export interface Descriptives {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n - 1 in the denominator); null for n < 2. */
  std: number | null;
  min: number | null;
  max: number | null;
  /** 95% confidence interval of the mean, mean ± t(0.975, n-1)·std/√n; null for n < 2. */
  ci95: [number, number] | null;
}

export interface WelchResult {
  t: number | null;
  df: number | null;
  /** Two-sided p-value. */
  p: number | null;
  /** mean(a) - mean(b). */
  meanDiff: number | null;
  /** Hedges' g: the mean difference over the pooled standard deviation, small-sample corrected; null when undefined. */
  hedgesG: number | null;
}

export interface MannWhitneyResult {
  /** U of the first sample (scipy's convention): pairs (x from a, y from b) with x > y, ties 1/2. */
  u: number;
  /** U of the second sample; u + u2 = n1·n2. */
  u2: number;
  /** Two-sided p-value. */
  p: number | null;
  /** `exact` (no ties, n1 + n2 <= 40) or `normal` (tie- and continuity-corrected). */
  method: 'exact' | 'normal';
  /** The z statistic of the normal approximation. */
  z: number | null;
  /** Rank-biserial correlation (u - u2) / (n1·n2), in [-1, 1]: positive when a's values tend to be larger. */
  rankBiserial: number | null;
}

const EXACT_LIMIT = 40;

function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

function sampleVariance(values: readonly number[], m: number): number {
  // A constant sample has no spread; its mean may still differ from the value in the last bit
  // (twelve runs at 0.90909... gave a std of 2e-16, then t = -3.8e14 and Hedges' g = -1.5e14).
  if (values.every((v) => v === values[0])) return 0;
  let s = 0;
  for (const v of values) s += (v - m) * (v - m);
  return s / (values.length - 1);
}

/** Descriptive statistics of a sample; non-finite values must be removed first. */
export function describe(values: readonly number[]): Descriptives {
  const n = values.length;
  if (n === 0) return { n, mean: null, std: null, min: null, max: null, ci95: null };
  const m = mean(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (n < 2) return { n, mean: m, std: null, min, max, ci95: null };
  const std = Math.sqrt(sampleVariance(values, m));
  const half = (studentTQuantile(0.975, n - 1) * std) / Math.sqrt(n);
  return { n, mean: m, std, min, max, ci95: [m - half, m + half] };
}

/**
 * Hedges' g of a against b: (mean(a) - mean(b)) / s_pooled times the small-sample correction
 * J = 1 - 3 / (4(n1 + n2) - 9) (Hedges & Olkin 1985); null for fewer than 2 values in a sample or
 * no spread at all.
 */
export function hedgesG(a: readonly number[], b: readonly number[]): number | null {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 < 2 || n2 < 2) return null;
  const m1 = mean(a);
  const m2 = mean(b);
  const pooled = ((n1 - 1) * sampleVariance(a, m1) + (n2 - 1) * sampleVariance(b, m2)) / (n1 + n2 - 2);
  if (!(pooled > 0)) return null;
  return ((m1 - m2) / Math.sqrt(pooled)) * (1 - 3 / (4 * (n1 + n2) - 9));
}

/** Welch's unequal-variance t-test, two-sided, with Hedges' g beside it. */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 < 2 || n2 < 2) {
    const meanDiff = n1 > 0 && n2 > 0 ? mean(a) - mean(b) : null;
    return { t: null, df: null, p: null, meanDiff, hedgesG: null };
  }
  const m1 = mean(a);
  const m2 = mean(b);
  const q1 = sampleVariance(a, m1) / n1;
  const q2 = sampleVariance(b, m2) / n2;
  const se2 = q1 + q2;
  const hedges = hedgesG(a, b);
  if (se2 === 0) return { t: null, df: null, p: m1 === m2 ? 1 : 0, meanDiff: m1 - m2, hedgesG: hedges };
  const t = (m1 - m2) / Math.sqrt(se2);
  // Welch–Satterthwaite degrees of freedom.
  const df = (se2 * se2) / ((q1 * q1) / (n1 - 1) + (q2 * q2) / (n2 - 1));
  return { t, df, p: studentTTwoSided(t, df), meanDiff: m1 - m2, hedgesG: hedges };
}

/** Mid-ranks (1-based) of the pooled sample and the tie groups' sizes. */
function rank(pooled: readonly number[]): { ranks: number[]; ties: number[] } {
  const order = pooled.map((_, i) => i).sort((i, j) => (pooled[i] as number) - (pooled[j] as number));
  const ranks = new Array<number>(pooled.length).fill(0);
  const ties: number[] = [];
  for (let i = 0; i < order.length;) {
    let j = i + 1;
    while (j < order.length && pooled[order[j] as number] === pooled[order[i] as number]) j++;
    const mid = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k] as number] = mid;
    if (j - i > 1) ties.push(j - i);
    i = j;
  }
  return { ranks, ties };
}

/**
 * P(U <= u) under H0 without ties, by counting: c(m, n, u) = c(m-1, n, u-n) + c(m, n-1, u)
 * (the largest value is in the first sample or not), divided by C(m+n, m).
 */
function exactUCdf(u: number, n1: number, n2: number): number {
  const maxU = n1 * n2;
  // counts[j][k]: arrangements of i first-sample and j second-sample values with U = k.
  let prev: Float64Array[] = [];
  for (let j = 0; j <= n2; j++) {
    const row = new Float64Array(maxU + 1);
    row[0] = 1;
    prev.push(row);
  }
  for (let i = 1; i <= n1; i++) {
    const cur: Float64Array[] = [];
    for (let j = 0; j <= n2; j++) {
      const row = new Float64Array(maxU + 1);
      const fromFirst = prev[j] as Float64Array;
      const fromSecond = j > 0 ? (cur[j - 1] as Float64Array) : null;
      for (let k = 0; k <= i * j; k++) {
        row[k] = (k >= j ? (fromFirst[k - j] as number) : 0) + (fromSecond ? (fromSecond[k] as number) : 0);
      }
      cur.push(row);
    }
    prev = cur;
  }
  const counts = prev[n2] as Float64Array;
  let total = 0;
  let below = 0;
  for (let k = 0; k <= maxU; k++) {
    const c = counts[k] as number;
    total += c;
    if (k <= u) below += c;
  }
  return below / total;
}

/** Two-sided Mann-Whitney U test, with the rank-biserial correlation beside it. */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: 0, u2: 0, p: null, method: 'normal', z: null, rankBiserial: null };
  const { ranks, ties } = rank([...a, ...b]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i] as number;
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u;
  const rankBiserial = (u - u2) / (n1 * n2);
  if (ties.length === 0 && n1 + n2 <= EXACT_LIMIT) {
    const p = Math.min(1, 2 * exactUCdf(Math.min(u, u2), n1, n2));
    return { u, u2, p, method: 'exact', z: null, rankBiserial };
  }
  const n = n1 + n2;
  const tieTerm = ties.reduce((s, t) => s + (t * t * t - t), 0) / (n * (n - 1));
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm);
  if (!(variance > 0)) return { u, u2, p: 1, method: 'normal', z: null, rankBiserial };
  const centred = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5);
  const z = centred / Math.sqrt(variance);
  return { u, u2, p: Math.min(1, 2 * (1 - normalCdf(z))), method: 'normal', z, rankBiserial };
}

/** Holm–Bonferroni adjusted p-values (same order as given; nulls stay null). */
export function holmAdjust(ps: ReadonlyArray<number | null>): Array<number | null> {
  const idx = ps.map((p, i) => ({ p, i })).filter((e): e is { p: number; i: number } => e.p !== null);
  idx.sort((x, y) => x.p - y.p);
  const out: Array<number | null> = ps.map(() => null);
  let running = 0;
  idx.forEach((e, rankIndex) => {
    running = Math.max(running, Math.min(1, (idx.length - rankIndex) * e.p));
    out[e.i] = running;
  });
  return out;
}

/** One pairwise comparison between groups `a` and `b`. */
export interface PairwiseComparison {
  a: string;
  b: string;
  welch: WelchResult & { pHolm: number | null };
  mannWhitney: MannWhitneyResult & { pHolm: number | null };
}

/** Descriptives per group and every pairwise comparison (Holm-adjusted across the pairs). */
export function compareGroups(groups: ReadonlyMap<string, readonly number[]>): {
  groups: Array<{ group: string } & Descriptives>;
  comparisons: PairwiseComparison[];
} {
  const names = [...groups.keys()];
  const described = names.map((group) => ({ group, ...describe(groups.get(group) ?? []) }));
  const raw: Array<{ a: string; b: string; welch: WelchResult; mannWhitney: MannWhitneyResult }> = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = names[i] as string;
      const b = names[j] as string;
      const va = groups.get(a) ?? [];
      const vb = groups.get(b) ?? [];
      raw.push({ a, b, welch: welchTTest(va, vb), mannWhitney: mannWhitneyU(va, vb) });
    }
  }
  const holmWelch = holmAdjust(raw.map((r) => r.welch.p));
  const holmMw = holmAdjust(raw.map((r) => r.mannWhitney.p));
  const comparisons = raw.map((r, i) => ({
    a: r.a,
    b: r.b,
    welch: { ...r.welch, pHolm: holmWelch[i] ?? null },
    mannWhitney: { ...r.mannWhitney, pHolm: holmMw[i] ?? null },
  }));
  return { groups: described, comparisons };
}
