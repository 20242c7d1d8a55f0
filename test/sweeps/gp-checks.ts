import assert from 'node:assert/strict';
import type { GpModel } from '../../src/sweeps/gp.js';

/**
 * A model's batch scoring against its one-point answers, for `m` points (rows of `width` in
 * `points`): each batch mean equals `predict`'s within `tol`, `stdAt` equals `predict`'s deviation
 * within `tol`, and the batch deviation bound is not below the exact deviation. Returns the batch's
 * means and bounds for further checks.
 */
export function checkBoundAll(model: GpModel, points: Float64Array, m: number, width: number, tol: number): { means: Float64Array; bounds: Float64Array } {
  const means = new Float64Array(m);
  const bounds = new Float64Array(m);
  model.boundAll(points, m, means, bounds);
  for (let c = 0; c < m; c++) {
    const one = model.predict(points, c * width);
    assert.ok(Math.abs(one.mean - (means[c] as number)) < tol, `point ${c}: batch mean ${means[c]}, one by one ${one.mean}`);
    assert.ok(Math.abs(one.std - model.stdAt(points, c * width)) < tol, `point ${c}: stdAt differs from predict`);
    assert.ok((bounds[c] as number) >= one.std * (1 - 1e-12), `point ${c}: bound ${bounds[c]} < exact ${one.std}`);
  }
  return { means, bounds };
}
