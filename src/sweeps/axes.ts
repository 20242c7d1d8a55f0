/**
 * The axes of a sweep's parallel-coordinates chart (the dashboard's sweep page and the sweep report) on the sweep's own scales: a parameter searched
 * on a log distribution (log_uniform, log_uniform_values, inv_log_uniform, log_normal and their q_
 * forms) gets a log axis, any other numeric distribution a linear one, whatever range the runs
 * happened to cover; a list of values is categorical. The search range widens the axis so that
 * where the runs fell inside it shows. A parameter without a stored spec (a sweep derived from its
 * runs) is read from the values: numbers linear, anything else categorical.
 */

export type AxisScale = 'linear' | 'log' | 'categorical';

export interface SweepAxis {
  name: string;
  scale: AxisScale;
  /** W&B's distribution name, when the sweep config says (or implies) it. */
  distribution: string | null;
  /** Numeric axes: the range drawn, the search range joined with the runs' values. */
  domain?: [number, number];
  /** Categorical axes: the values in order (the config's list first, then values seen). */
  values?: unknown[];
}

const LOG_EXP = new Set(['log_uniform', 'q_log_uniform']); // min/max are natural-log exponents
const LOG_VALUES = new Set(['log_uniform_values', 'q_log_uniform_values', 'inv_log_uniform_values']);
const LOG_OTHER = new Set(['log_normal', 'q_log_normal']);

type Spec = Record<string, unknown>;

function specAt(params: unknown, path: string[]): Spec | undefined {
  let cur: unknown = params;
  for (const [i, key] of path.entries()) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const node = (cur as Record<string, unknown>)[key];
    if (i === path.length - 1) return node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Spec) : undefined;
    cur = node !== null && typeof node === 'object' ? (node as Spec)['parameters'] : undefined;
  }
  return undefined;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** W&B's inference when no distribution is given: a list is categorical, ints uniform ints, else uniform. */
function distributionOf(spec: Spec): string | null {
  if (typeof spec['distribution'] === 'string') return spec['distribution'];
  if (Array.isArray(spec['values'])) return 'categorical';
  if ('value' in spec) return 'constant';
  const lo = num(spec['min']);
  const hi = num(spec['max']);
  if (lo !== undefined && hi !== undefined) return Number.isInteger(lo) && Number.isInteger(hi) ? 'int_uniform' : 'uniform';
  return null;
}

/** The search range of a numeric distribution in value space, when it has one. */
function searchRange(dist: string, spec: Spec): [number, number] | undefined {
  const lo = num(spec['min']);
  const hi = num(spec['max']);
  if (lo === undefined || hi === undefined) return undefined;
  if (LOG_EXP.has(dist)) return [Math.exp(lo), Math.exp(hi)];
  if (dist === 'inv_log_uniform') return [Math.exp(-hi), Math.exp(-lo)];
  if (dist === 'normal' || dist === 'q_normal' || LOG_OTHER.has(dist) || dist.includes('beta')) return undefined; // mu/sigma, not a range
  return [lo, hi];
}

function numericDomain(range: [number, number] | undefined, values: number[], log: boolean): [number, number] | undefined {
  const vs = log ? values.filter((v) => v > 0) : values;
  const all = [...vs, ...(range ?? [])].filter((v) => !log || v > 0);
  if (all.length === 0) return undefined;
  return [Math.min(...all), Math.max(...all)];
}

function categoryValues(listed: unknown[], seen: unknown[]): unknown[] {
  const out: unknown[] = [];
  const keys = new Set<string>();
  for (const v of [...listed, ...seen]) {
    const k = JSON.stringify(v) ?? 'null';
    if (!keys.has(k)) {
      keys.add(k);
      out.push(v);
    }
  }
  return out;
}

/**
 * One axis per parameter, in the given order. `values(name)` lists the runs' values of a parameter
 * (undefined where a run lacks it).
 */
export function sweepAxes(config: Record<string, unknown> | undefined, parameters: readonly string[], values: (name: string) => unknown[]): SweepAxis[] {
  return parameters.map((name) => {
    const seen = values(name).filter((v) => v !== undefined && v !== null);
    const nums = seen.filter((v): v is number => num(v) !== undefined);
    const spec = config ? specAt(config['parameters'], name.split('.')) : undefined;
    const dist = spec ? distributionOf(spec) : null;
    if (dist === null || dist === 'constant') {
      if (seen.length > 0 && nums.length === seen.length)
        return { name, scale: 'linear', distribution: dist, domain: numericDomain(undefined, nums, false) as [number, number] };
      return { name, scale: 'categorical', distribution: dist, values: categoryValues(spec && 'value' in spec ? [spec['value']] : [], seen) };
    }
    if (dist === 'categorical' || dist === 'categorical_w_probabilities') {
      return {
        name,
        scale: 'categorical',
        distribution: dist,
        values: categoryValues(Array.isArray(spec?.['values']) ? (spec['values'] as unknown[]) : [], seen),
      };
    }
    const log = LOG_EXP.has(dist) || LOG_VALUES.has(dist) || LOG_OTHER.has(dist) || dist === 'inv_log_uniform';
    const domain = numericDomain(searchRange(dist, spec as Spec), nums, log);
    if (!domain) return { name, scale: 'categorical', distribution: dist, values: categoryValues([], seen) };
    return { name, scale: log ? 'log' : 'linear', distribution: dist, domain };
  });
}
