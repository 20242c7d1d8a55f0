/**
 * W&B's merge of logged values, shared by the pending row and the summary: nested metric groups are
 * merged key by key (W&B keeps them as a path tree), every other value (numbers, strings, lists,
 * media descriptors) replaces the old one whole.
 */

/**
 * A nested metric group: a plain object that is not a media descriptor (an object with `_type` is
 * one value: a new image replaces the old one, it does not inherit its caption).
 */
export function isMergeable(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && !Object.hasOwn(v, '_type');
}

/** Own-property assignment: a metric named `__proto__` (legal in JSON) is data, never the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * Lays `source` over `target` in place, nested groups key by key. A group present in both is
 * replaced by a merged copy, so objects shared with the caller (or an earlier shallow copy of
 * `target`) never change. Iterative, so a deeply nested value cannot overflow the stack.
 */
export function mergeLogged(target: Record<string, unknown>, source: Record<string, unknown>): void {
  // Groups still to merge; allocated only when a row has one (most rows are flat).
  let work: Array<[Record<string, unknown>, Record<string, unknown>]> | undefined;
  let into = target;
  let from = source;
  for (;;) {
    for (const k of Object.keys(from)) {
      const v = from[k];
      // A number, string, ... (most values) replaces the old one without looking at it.
      if (typeof v === 'object' && v !== null && isMergeable(v)) {
        const old = Object.hasOwn(into, k) ? into[k] : undefined;
        if (isMergeable(old)) {
          // Spread copies an own `__proto__` key as data, like every other key.
          const copy = { ...old };
          setOwn(into, k, copy);
          (work ??= []).push([copy, v]);
          continue;
        }
      }
      setOwn(into, k, v);
    }
    const next = work?.pop();
    if (next === undefined) return;
    [into, from] = next;
  }
}
