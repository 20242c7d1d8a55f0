/**
 * The curve arithmetic behind W&B's `roc_curve` and `pr_curve` presets, which call scikit-learn:
 * one-vs-rest per class, thresholds at each distinct score (ties form one step), ROC points with
 * collinear intermediate points dropped and (0, 0) prepended (`drop_intermediate=True`), PR points
 * ending at (recall 0, precision 1), then W&B's own step-smoothing and interpolation of precision
 * at `interpSize` evenly spaced recall levels.
 */

export interface CurvePoint {
  x: number;
  y: number;
}

interface BinaryCounts {
  /** True and false positives at each distinct threshold, highest score first. */
  tps: number[];
  fps: number[];
}

/** Cumulative true/false positive counts over the distinct scores, from the highest down. */
export function binaryCounts(positive: readonly boolean[], scores: readonly number[]): BinaryCounts {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  order.forEach((idx, k) => {
    if (positive[idx] === true) tp += 1;
    else fp += 1;
    const next = order[k + 1];
    // A threshold closes only where the score changes: tied scores fall on the same side.
    if (next === undefined || scores[next] !== scores[idx]) {
      tps.push(tp);
      fps.push(fp);
    }
  });
  return { tps, fps };
}

/**
 * ROC points (x = false positive rate, y = true positive rate) of `scores` for the samples where
 * `positive` is true. With no positives (or no negatives) the undefined rate is NaN, as in
 * scikit-learn.
 */
export function rocPoints(positive: readonly boolean[], scores: readonly number[]): CurvePoint[] {
  let { tps, fps } = binaryCounts(positive, scores);
  if (tps.length > 2) {
    // Keep a point only where the curve bends (non-zero second difference) and the two ends.
    const keep = tps.map((_, i) => {
      if (i === 0 || i === tps.length - 1) return true;
      const d = (a: number[]): number => (a[i + 1] as number) - 2 * (a[i] as number) + (a[i - 1] as number);
      return d(fps) !== 0 || d(tps) !== 0;
    });
    tps = tps.filter((_, i) => keep[i]);
    fps = fps.filter((_, i) => keep[i]);
  }
  const tpAll = tps[tps.length - 1] ?? 0;
  const fpAll = fps[fps.length - 1] ?? 0;
  const points: CurvePoint[] = [{ x: 0, y: 0 }];
  tps.forEach((tp, i) => points.push({ x: fpAll > 0 ? (fps[i] as number) / fpAll : NaN, y: tpAll > 0 ? tp / tpAll : NaN }));
  if (fpAll === 0) points[0] = { x: NaN, y: points[0]?.y ?? 0 };
  if (tpAll === 0) points[0] = { x: points[0]?.x ?? 0, y: NaN };
  return points;
}

/** Precision/recall points (x = recall, y = precision), recall decreasing, ending at (0, 1). */
export function prPoints(positive: readonly boolean[], scores: readonly number[]): CurvePoint[] {
  const { tps, fps } = binaryCounts(positive, scores);
  const tpAll = tps[tps.length - 1] ?? 0;
  const points: CurvePoint[] = [];
  for (let i = tps.length - 1; i >= 0; i--) {
    const tp = tps[i] as number;
    const predicted = tp + (fps[i] as number);
    // scikit-learn: recall is 1 everywhere when there are no positives.
    points.push({ x: tpAll > 0 ? tp / tpAll : 1, y: predicted > 0 ? tp / predicted : 0 });
  }
  points.push({ x: 0, y: 1 });
  return points;
}

/**
 * W&B's PR table for one class: precision made monotone (each point takes the best precision at
 * any recall at least as high), then read at recall levels 1, ..., 0 (`interpSize` of them): the
 * first point whose recall reaches the level.
 */
export function interpolatedPrecision(points: readonly CurvePoint[], interpSize: number): CurvePoint[] {
  const smoothed: number[] = [];
  let best = -Infinity;
  for (const p of points) {
    best = Math.max(best, p.y);
    smoothed.push(best);
  }
  // Ascending recall, for the search.
  const recall = points.map((p) => p.x).reverse();
  const precision = smoothed.reverse();
  const out: CurvePoint[] = [];
  for (let k = 0; k < interpSize; k++) {
    // numpy's linspace(0, 1, n) reversed: j * (1 / (n - 1)), the top level exactly 1.
    const j = interpSize - 1 - k;
    const level = j === interpSize - 1 ? 1 : j * (1 / (interpSize - 1));
    let lo = 0;
    let hi = recall.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((recall[mid] as number) < level) lo = mid + 1;
      else hi = mid;
    }
    // Past the end (recall never reaches the level) numpy would index out of range; the last point stands in.
    out.push({ x: level, y: precision[Math.min(lo, precision.length - 1)] as number });
  }
  return out;
}

/** Trapezoidal area under points taken in order (NaN when any coordinate is NaN). */
export function areaUnder(points: readonly CurvePoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as CurvePoint;
    const b = points[i] as CurvePoint;
    area += ((b.x - a.x) * (a.y + b.y)) / 2;
  }
  return area;
}

/** W&B rounds the curve tables to 3 decimals (`DataFrame.round(3)`). */
export function round3(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v;
}

/**
 * Keeps at most `limit` points of a curve, evenly spaced and always with both ends. W&B resamples
 * at random when a table would pass 10,000 rows; evenly spaced points keep the curve's shape.
 */
export function thinPoints<T>(points: readonly T[], limit: number): T[] {
  if (points.length <= limit) return [...points];
  if (limit <= 1) return points.slice(0, Math.max(0, limit));
  const out: T[] = [];
  const last = points.length - 1;
  for (let k = 0; k < limit; k++) out.push(points[Math.round((k * last) / (limit - 1))] as T);
  return out;
}
