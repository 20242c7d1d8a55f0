/**
 * Grid search as W&B runs it: the Cartesian product of each parameter's grid values, parameters in
 * sorted flattened-name order (first changes slowest), every existing run consuming its point
 * whatever its state, and `undefined` once every point is used.
 */
import { gridValues } from './distributions.js';
import { buildRunConfig, canonicalKey, flattenParams, getPath, indexOfValue, MISSING } from './params.js';
import type { FlatParam, SweepConfig, SweepRunObservation } from './types.js';

interface Axis {
  size: number;
  at(i: number): unknown;
  /** The index of a run's value on this axis, or undefined when it is not a grid value. */
  indexOf(v: unknown): number | undefined;
}

function axisOf(p: FlatParam): Axis {
  if (p.spec.distribution === 'int_uniform') {
    // Computed, not listed, so a wide integer range costs no memory.
    const { min, max } = p.spec;
    return {
      size: max - min + 1,
      at: (i) => min + i,
      indexOf: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v - min : undefined),
    };
  }
  const values = gridValues(p.spec);
  let exact: Map<string, number> | undefined;
  const indexOf = (v: unknown): number | undefined => {
    if (exact === undefined) {
      exact = new Map();
      for (let i = values.length - 1; i >= 0; i--) exact.set(canonicalKey(values[i]), i);
    }
    return indexOfValue(values, exact, v);
  };
  return { size: values.length, at: (i) => values[i], indexOf };
}

/** The number of grid points (W&B's "Est. Runs"). */
export function gridSize(config: SweepConfig): number {
  return flattenParams(config.parameters).reduce((n, p) => n * axisOf(p).size, 1);
}

/**
 * The points already used by runs, as index tuples. A run missing a parameter, or holding a value
 * that is not on the grid, matches no point (W&B logs a warning and moves on); a dict value matches
 * on the grid value's own keys, so defaults the program added to it do not hide its point.
 */
function usedPoints(flat: readonly FlatParam[], axes: readonly Axis[], runs: readonly SweepRunObservation[]): Set<string> {
  const used = new Set<string>();
  for (const run of runs) {
    const parts: number[] = [];
    for (let d = 0; d < flat.length; d++) {
      const v = getPath(run.config, (flat[d] as FlatParam).path);
      const i = v === MISSING ? undefined : (axes[d] as Axis).indexOf(v);
      if (i === undefined) break;
      parts.push(i);
    }
    if (parts.length === flat.length) used.add(parts.join(','));
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
  const used = usedPoints(flat, axes, runs);
  const idx = flat.map(() => 0);
  for (;;) {
    if (!used.has(idx.join(','))) {
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
