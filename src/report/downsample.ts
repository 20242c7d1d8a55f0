/**
 * Downsampling of long series for line charts.
 *
 * Choice: bucketed min/max (the M4 family, as W&B's sampled history keeps extremes). The first and
 * last points are always kept; the points between are cut into equal index buckets and each bucket
 * keeps its minimum and its maximum, in x order. So every spike survives (the global min and max
 * are each the extreme of their bucket), the line ends where the run ends, and the work is one
 * linear pass. LTTB keeps shape well but can drop a lone spike; min/max cannot.
 */

/** Indices (ascending) of the points to keep from `ys`: at most `maxPoints`, always first and last. */
export function downsampleIndices(ys: ArrayLike<number>, maxPoints: number): number[] {
  const n = ys.length;
  const limit = Math.max(2, Math.floor(maxPoints));
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const inner = n - 2;
  const buckets = Math.floor((limit - 2) / 2);
  const out: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      const y = ys[i] as number;
      if (y < (ys[lo] as number)) lo = i;
      if (y > (ys[hi] as number)) hi = i;
    }
    if (lo === hi) out.push(lo);
    else if (lo < hi) out.push(lo, hi);
    else out.push(hi, lo);
  }
  out.push(n - 1);
  return out;
}

/** A point of a series. */
export interface XY {
  x: number;
  y: number;
}

/** Downsamples parallel x/y arrays; see {@link downsampleIndices}. */
export function downsampleXY(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints: number): XY[] {
  return downsampleIndices(ys, maxPoints).map((i) => ({ x: xs[i] as number, y: ys[i] as number }));
}
