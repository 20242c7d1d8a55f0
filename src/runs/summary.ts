/** W&B's default summary: the last value of every key, nested objects merged leaf by leaf. */
import { isMergeable, mergeLogged } from './merge.js';

/**
 * Lays `row`'s values over `summary` in place, plus `_wandb.runtime` in whole seconds. Nested
 * objects are replaced by merged copies, never changed, so a shallow copy of `summary` taken
 * earlier keeps its values.
 */
export function foldRowInto(summary: Record<string, unknown>, row: Record<string, unknown>): void {
  mergeLogged(summary, row);
  const runtime = row['_runtime'];
  if (typeof runtime === 'number' && Number.isFinite(runtime)) {
    const wandb = isMergeable(summary['_wandb']) ? { ...summary['_wandb'] } : {};
    wandb['runtime'] = Math.floor(runtime);
    summary['_wandb'] = wandb;
  }
}

/**
 * foldRowInto for a row whose values are all numbers, strings, booleans or null and which has no
 * `__proto__` key: every value replaces the old one, no merge to look for. Returns false at the
 * first other value (the row's flatness is found in the same walk as the fold): the values before it
 * are laid already, and the caller folds the row's line with foldRowInto, which lays every value
 * again as the line holds it (a flat value there is replaced too), so the summary ends as that alone.
 */
export function foldFlatRowInto(summary: Record<string, unknown>, row: Record<string, unknown>): boolean {
  for (const k in row) {
    if (k === '__proto__') return false;
    const v = row[k];
    const t = typeof v;
    if (t !== 'number' && t !== 'string' && t !== 'boolean' && v !== null) return false;
    summary[k] = v;
  }
  const runtime = row['_runtime'];
  if (typeof runtime === 'number' && Number.isFinite(runtime)) {
    const wandb = isMergeable(summary['_wandb']) ? { ...summary['_wandb'] } : {};
    wandb['runtime'] = Math.floor(runtime);
    summary['_wandb'] = wandb;
  }
  return true;
}

/** Returns a new summary with `row`'s values laid over `summary`, plus `_wandb.runtime` in whole seconds. */
export function updateSummary(summary: Record<string, unknown>, row: Record<string, unknown>): Record<string, unknown> {
  const next = { ...summary };
  foldRowInto(next, row);
  return next;
}
