/**
 * Random search as W&B runs it: every parameter drawn independently from its distribution through
 * its inverse CDF; earlier runs are ignored (no deduplication, never exhausted). The draws come from
 * the seeded `Rng`, one uniform per parameter in sorted flattened-name order.
 */
import { valueAt } from './distributions.js';
import { buildRunConfig, flattenParams } from './params.js';
import type { Rng } from './rng.js';
import type { SweepConfig } from './types.js';

/** One random draw of every parameter, as a nested run config. */
export function randomPoint(config: SweepConfig, rng: Rng): Record<string, unknown> {
  const values = new Map<string, unknown>();
  for (const p of flattenParams(config.parameters)) {
    const u = p.spec.distribution === 'constant' ? 0.5 : rng.open();
    values.set(p.path.join('\u0000'), valueAt(p.spec, u));
  }
  return buildRunConfig(config.parameters, (path) => values.get(path.join('\u0000')));
}
