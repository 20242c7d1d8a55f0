/**
 * Grid search as W&B runs it: the Cartesian product of each parameter's grid values, parameters in
 * sorted flattened-name order (first changes slowest), every existing run consuming its point
 * whatever its state, and `undefined` once every point is used.
 */
import { gridValues } from './distributions.js';
import { buildRunConfig, canonicalKey, flattenParams, getPath, MISSING } from './params.js';
import type { FlatParam, SweepConfig, SweepRunObservation } from './types.js';

interface Axis {
  size: number;
  at(i: number): unknown;
}

function axisOf(p: FlatParam): Axis {
  if (p.spec.distribution === 'int_uniform') {
    // Computed, not listed, so a wide integer range costs no memory.
    const { min, max } = p.spec;
    return { size: max - min + 1, at: (i) => min + i };
  }
  const values = gridValues(p.spec);
  return { size: values.length, at: (i) => values[i] };
}

/** The number of grid points (W&B's "Est. Runs"). */
export function gridSize(config: SweepConfig): number {
  return flattenParams(config.parameters).reduce((n, p) => n * axisOf(p).size, 1);
}

/**
 * The keys of points already used by runs. A run missing a parameter, or holding a value that is
 * not on the grid, matches no point (W&B logs a warning and moves on).
 */
function usedPoints(flat: readonly FlatParam[], runs: readonly SweepRunObservation[]): Set<string> {
  const used = new Set<string>();
  for (const run of runs) {
    const parts: string[] = [];
    for (const p of flat) {
      const v = getPath(run.config, p.path);
      if (v === MISSING) break;
      parts.push(canonicalKey(v));
    }
    if (parts.length === flat.length) used.add(parts.join('\u0001'));
  }
  return used;
}

/**
 * The first grid point in W&B's order that no run has used, as a nested run config; `undefined`
 * when the grid is exhausted.
 */
export function nextGridPoint(config: SweepConfig, runs: readonly SweepRunObservation[]): Record<string, unknown> | undefined {
  const flat = flattenParams(config.parameters);
  const axes = flat.map(axisOf);
  if (axes.some((a) => a.size === 0)) return undefined;
  const used = usedPoints(flat, runs);
  const idx = flat.map(() => 0);
  const keyCache = axes.map(() => new Map<number, string>());
  const keyAt = (d: number, i: number): string => {
    const cache = keyCache[d] as Map<number, string>;
    let k = cache.get(i);
    if (k === undefined) {
      k = canonicalKey((axes[d] as Axis).at(i));
      cache.set(i, k);
    }
    return k;
  };
  for (;;) {
    const key = idx.map((i, d) => keyAt(d, i)).join('\u0001');
    if (!used.has(key)) {
      const byPath = new Map(flat.map((p, d) => [p.path.join('\u0000'), (axes[d] as Axis).at(idx[d] as number)]));
      return buildRunConfig(config.parameters, (path) => byPath.get(path.join('\u0000')));
    }
    // Odometer: the last parameter in sort order changes fastest.
    let d = idx.length - 1;
    while (d >= 0) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (axes[d] as Axis).size) break;
      idx[d] = 0;
      d--;
    }
    if (d < 0) return undefined;
  }
}
