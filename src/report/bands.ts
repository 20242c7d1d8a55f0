/**
 * Grouped line charts as W&B draws them: for each group, the mean over its runs and a min–max band.
 * Runs log at different x values, so x is cut into equal bins; each run contributes its mean in a
 * bin, and the group's line is the mean of those, the band their min and max.
 */

import type { BandSeries } from './specs.js';

export interface BandAccumulator {
  /** Adds one run's full series to its group. */
  add(group: string, xs: ArrayLike<number>, ys: ArrayLike<number>): void;
  /** Mean line and band per group, in the order groups were first added. */
  series(): BandSeries[];
}

interface Cell {
  sum: number;
  min: number;
  max: number;
  n: number;
}

/** Bins [lo, hi] into `bins` equal parts. */
export function createBandAccumulator(lo: number, hi: number, bins: number): BandAccumulator {
  const count = Math.max(1, Math.floor(bins));
  const width = (hi - lo) / count || 1;
  const groups = new Map<string, Map<number, Cell>>();
  return {
    add(group, xs, ys) {
      const sums = new Float64Array(count);
      const counts = new Uint32Array(count);
      for (let i = 0; i < xs.length; i++) {
        const b = Math.min(count - 1, Math.max(0, Math.floor(((xs[i] as number) - lo) / width)));
        sums[b] = (sums[b] as number) + (ys[i] as number);
        counts[b] = (counts[b] as number) + 1;
      }
      const cells = groups.get(group) ?? new Map<number, Cell>();
      groups.set(group, cells);
      for (let b = 0; b < count; b++) {
        const c = counts[b] as number;
        if (c === 0) continue;
        const m = (sums[b] as number) / c;
        const cell = cells.get(b);
        if (!cell) cells.set(b, { sum: m, min: m, max: m, n: 1 });
        else {
          cell.sum += m;
          cell.min = Math.min(cell.min, m);
          cell.max = Math.max(cell.max, m);
          cell.n++;
        }
      }
    },
    series() {
      return [...groups].map(([group, cells]) => ({
        group,
        points: [...cells].sort((a, b) => a[0] - b[0]).map(([b, c]) => ({ x: lo + (b + 0.5) * width, mean: c.sum / c.n, lo: c.min, hi: c.max })),
      }));
    },
  };
}
