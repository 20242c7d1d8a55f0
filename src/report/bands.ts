/**
 * Many runs as one line and a band, as W&B draws grouped runs: x is cut into equal bins; each run
 * gives one value per bin from the first to the last bin it reached (its mean in the bin, or its
 * last value carried forward through bins it logged nothing in, so sparse logging is not mistaken
 * for an ended run). Per bin the line is the mean (or the median) of those values, the band their
 * min and max, and `n` says how many runs reached the bin: a band that rests on 2 of a group's 10
 * runs at late steps is marked as such instead of passing for all ten.
 */

/** One bin of a band: its centre, the runs that reached it, and the statistics over those runs. */
export interface BandPoint {
  x: number;
  /** Runs that reached this bin. */
  n: number;
  mean: number;
  median: number;
  lo: number;
  hi: number;
}

/** A band over a set of runs: `size` runs in the set, `points` in x order (bins no run reached left out). */
export interface BandSeries {
  group: string;
  size: number;
  points: BandPoint[];
}

export interface BandAccumulator {
  /** Adds one run's full series (x ascending) to its group. */
  add(group: string, xs: ArrayLike<number>, ys: ArrayLike<number>): void;
  /** Line and band per group, in the order groups were first added. */
  series(): BandSeries[];
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Bins [lo, hi] into `bins` equal parts. */
export function createBandAccumulator(lo: number, hi: number, bins: number): BandAccumulator {
  const count = Math.max(1, Math.floor(bins));
  const width = (hi - lo) / count || 1;
  const groups = new Map<string, Float64Array[]>();
  return {
    add(group, xs, ys) {
      if (xs.length === 0) return;
      const sums = new Float64Array(count);
      const counts = new Uint32Array(count);
      let first = count;
      let last = -1;
      for (let i = 0; i < xs.length; i++) {
        const b = Math.min(count - 1, Math.max(0, Math.floor(((xs[i] as number) - lo) / width)));
        sums[b] = (sums[b] as number) + (ys[i] as number);
        counts[b] = (counts[b] as number) + 1;
        if (b < first) first = b;
        if (b > last) last = b;
      }
      const values = new Float64Array(count).fill(NaN);
      let carried = NaN;
      for (let b = first; b <= last; b++) {
        const c = counts[b] as number;
        if (c > 0) carried = (sums[b] as number) / c;
        values[b] = carried;
      }
      const list = groups.get(group) ?? [];
      list.push(values);
      groups.set(group, list);
    },
    series() {
      return [...groups].map(([group, runs]) => {
        const points: BandPoint[] = [];
        const at = new Float64Array(runs.length);
        for (let b = 0; b < count; b++) {
          let n = 0;
          for (const v of runs) {
            const y = v[b] as number;
            if (!Number.isNaN(y)) at[n++] = y;
          }
          if (n === 0) continue;
          const vals = at.slice(0, n).sort();
          let sum = 0;
          for (const y of vals) sum += y;
          points.push({ x: lo + (b + 0.5) * width, n, mean: sum / n, median: median(vals), lo: vals[0] as number, hi: vals[n - 1] as number });
        }
        return { group, size: runs.length, points };
      });
    },
  };
}

/**
 * Where a band rests on fewer runs than its set holds: the first x from which on fewer reached (the
 * band is full before it), and how many reached the last bin. Undefined when every bin has them all.
 */
export function thinning(band: BandSeries): { from: number; atEnd: number } | undefined {
  const pts = band.points;
  let lastFull = -1;
  for (let i = 0; i < pts.length; i++) if ((pts[i] as BandPoint).n === band.size) lastFull = i;
  const from = pts[lastFull + 1];
  if (from === undefined) return undefined;
  return { from: from.x, atEnd: (pts[pts.length - 1] as BandPoint).n };
}

/**
 * The group bands' bins: up to 200 over the x range; on `_step` never finer than one step (a bin
 * per step, centred on it), else a run of 20 steps was cut into 100 bins and drawn as stairs.
 */
export function groupBandAccumulator(range: [number, number], xAxis: string, maxPoints: number): BandAccumulator {
  const bins = Math.min(200, Math.floor(maxPoints / 2));
  const steps = Math.floor(range[1] - range[0]) + 1;
  if (xAxis === '_step' && steps <= bins) return createBandAccumulator(range[0] - 0.5, range[0] + steps - 0.5, steps);
  return createBandAccumulator(range[0], range[1], bins);
}
