/**
 * Walking the parameter tree: flattening nested groups in W&B's order, reading a run's value along a
 * path, building the nested run config, and a canonical key for value identity.
 */
import type { FlatParam, LeafParam, NestedParam, ParamSpec } from './types.js';

/** W&B's internal separator for nested names; it only matters because it fixes the sort order. */
const NEST = '.wbnest[599c28ca25da].';

/** Code-point comparison, as Python sorts strings. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isNested(spec: ParamSpec): spec is NestedParam {
  return !('distribution' in spec) && 'parameters' in spec;
}

/** Every leaf parameter, sorted by W&B's flattened name (the grid's and bayes' dimension order). */
export function flattenParams(params: Record<string, ParamSpec>): FlatParam[] {
  const out: FlatParam[] = [];
  const walk = (group: Record<string, ParamSpec>, path: string[], prefix: string): void => {
    for (const name of Object.keys(group).sort(compareNames)) {
      const spec = group[name] as ParamSpec;
      const flatName = prefix === '' ? name : `${prefix}${NEST}${name}`;
      if (isNested(spec)) walk(spec.parameters, [...path, name], flatName);
      else out.push({ path: [...path, name], flatName, spec: spec as LeafParam });
    }
  };
  walk(params, [], '');
  return out.sort((x, y) => compareNames(x.flatName, y.flatName));
}

/** Parameters that are searched (everything but constants). */
export function searchable(flat: readonly FlatParam[]): FlatParam[] {
  return flat.filter((p) => p.spec.distribution !== 'constant');
}

const MISSING: unique symbol = Symbol('missing');
export type Missing = typeof MISSING;
export { MISSING };

/** The value at `path` in a run config, or MISSING. Extra keys a run added are ignored. */
export function getPath(config: Record<string, unknown>, path: readonly string[]): unknown {
  let cur: unknown = config;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return MISSING;
    if (!Object.prototype.hasOwnProperty.call(cur, key)) return MISSING;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Builds the nested run config from leaf values, in W&B's key order: at each level plain keys in
 * sorted order, then nested groups (W&B emits `z` before `opt` when `opt` is a group).
 */
export function buildRunConfig(params: Record<string, ParamSpec>, valueOf: (path: string[]) => unknown): Record<string, unknown> {
  const build = (group: Record<string, ParamSpec>, path: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const names = Object.keys(group).sort(compareNames);
    for (const name of names) {
      const spec = group[name] as ParamSpec;
      if (!isNested(spec)) out[name] = valueOf([...path, name]);
    }
    for (const name of names) {
      const spec = group[name] as ParamSpec;
      if (isNested(spec)) out[name] = build(spec.parameters, [...path, name]);
    }
    return out;
  };
  return build(params, []);
}

/** A canonical string for a JSON-like value: object keys sorted, so equal values give equal keys. */
export function canonicalKey(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Object.is(value, -0) ? '0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort(compareNames);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(obj[k])}`).join(',')}}`;
  }
  return String(value);
}

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a run's value holds a parameter's value: equal, except that a dict matches a run's dict
 * holding at least its keys, recursively (programs add defaults to dict-valued parameters; W&B
 * matches on the grid value's own keys).
 */
export function coversValue(value: unknown, runValue: unknown): boolean {
  if (!isDict(value)) return canonicalKey(value) === canonicalKey(runValue);
  if (!isDict(runValue)) return false;
  return Object.keys(value).every((k) => Object.prototype.hasOwnProperty.call(runValue, k) && coversValue(value[k], runValue[k]));
}

/**
 * The index of a run's value among `values` (distinct): an exact match first, else the first dict
 * the run's dict covers; undefined when none matches. `exact` maps canonical keys to indices.
 */
export function indexOfValue(values: readonly unknown[], exact: ReadonlyMap<string, number>, runValue: unknown): number | undefined {
  const hit = exact.get(canonicalKey(runValue));
  if (hit !== undefined || !isDict(runValue)) return hit;
  const i = values.findIndex((v) => isDict(v) && coversValue(v, runValue));
  return i < 0 ? undefined : i;
}

/** One key for a whole point: the canonical keys of its leaf values in dimension order. */
export function pointKey(flat: readonly FlatParam[], config: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  for (const p of flat) {
    const v = getPath(config, p.path);
    if (v === MISSING) return undefined;
    parts.push(canonicalKey(v));
  }
  return parts.join('\u0001');
}

/** Distinct values of a list, first occurrence kept (W&B collapses duplicates in `values`). */
export function distinctValues(values: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const k = canonicalKey(v);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}

/**
 * The parameter names of a raw sweep config's `parameters` (as stored, unparsed), nested
 * `parameters` blocks as dotted paths (W&B's nesting), in the config's order. Anything but an
 * object names none.
 * @example parameterNames({lr: {values: [1]}, opt: {parameters: {beta: {value: 0.9}}}}) // ['lr', 'opt.beta']
 */
export function parameterNames(params: unknown, prefix = ''): string[] {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return [];
  const names: string[] = [];
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    const nested = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)['parameters'] : undefined;
    if (nested !== undefined) names.push(...parameterNames(nested, `${prefix}${k}.`));
    else names.push(prefix + k);
  }
  return names;
}
