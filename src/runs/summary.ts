/** W&B's default summary: the last value of every key, nested objects merged leaf by leaf. */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('_type' in v);
}

/** Own-property assignment: a metric named `__proto__` (legal in JSON) must not change the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const k of Object.keys(source)) {
    const v = source[k];
    const old = Object.hasOwn(target, k) ? target[k] : undefined;
    if (isPlainObject(v) && isPlainObject(old)) {
      const copy = { ...old };
      mergeInto(copy, v);
      setOwn(target, k, copy);
    } else {
      setOwn(target, k, v);
    }
  }
}

/**
 * Lays `row`'s values over `summary` in place, plus `_wandb.runtime` in whole seconds. Nested
 * objects are replaced by merged copies, never changed, so a shallow copy of `summary` taken
 * earlier keeps its values.
 */
export function foldRowInto(summary: Record<string, unknown>, row: Record<string, unknown>): void {
  mergeInto(summary, row);
  const runtime = row['_runtime'];
  if (typeof runtime === 'number' && Number.isFinite(runtime)) {
    const wandb = isPlainObject(summary['_wandb']) ? { ...summary['_wandb'] } : {};
    wandb['runtime'] = Math.floor(runtime);
    summary['_wandb'] = wandb;
  }
}

/** Returns a new summary with `row`'s values laid over `summary`, plus `_wandb.runtime` in whole seconds. */
export function updateSummary(summary: Record<string, unknown>, row: Record<string, unknown>): Record<string, unknown> {
  const next = { ...summary };
  foldRowInto(next, row);
  return next;
}
