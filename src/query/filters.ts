/**
 * W&B's run filters and order (the public API's `api.runs(path, filters=..., order=...)`): MongoDB
 * query documents over a run's fields, parsed here into the store's condition tree. Every refusal is
 * INVALID_INPUT naming the path inside `queryConfig.filters` that is wrong.
 */
import { invalidInput } from '../errors.js';
import type { RunColumn, RunCondition, RunField, RunOrder, Scalar } from '../store/run-search.js';

/** Run fields by the names W&B's filters and orders use (camelCase and the backend's snake_case alike). */
const COLUMNS: Record<string, RunColumn> = {
  name: 'id',
  id: 'id',
  displayName: 'display_name',
  display_name: 'display_name',
  state: 'state',
  group: 'group_name',
  jobType: 'job_type',
  job_type: 'job_type',
  sweep: 'sweep_id',
  sweepName: 'sweep_id',
  username: 'username',
  host: 'host',
  notes: 'notes',
  createdAt: 'created_at',
  created_at: 'created_at',
  updatedAt: 'updated_at',
  updated_at: 'updated_at',
  heartbeatAt: 'heartbeat_at',
  heartbeat_at: 'heartbeat_at',
};

const TIME_COLUMNS: ReadonlySet<RunColumn> = new Set(['created_at', 'updated_at', 'heartbeat_at']);
const JSON_SOURCES: Record<string, 'config' | 'summary'> = { config: 'config', summary_metrics: 'summary', summaryMetrics: 'summary', summary: 'summary' };
const COMPARISONS = { $eq: 'eq', $lt: 'lt', $lte: 'lte', $gt: 'gt', $gte: 'gte' } as const;
const OPERATORS = ['$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$in', '$nin', '$regex', '$options', '$exists', '$not'];
/** Bounds that keep one filter's SQL well under SQLite's expression depth and parameter limits. */
const MAX_CONDITIONS = 200;
const MAX_DEPTH = 12;
const MAX_IN = 1000;

/** The JSON paths a dotted key may mean: the key itself (a top-level key with dots, as W&B's flattened `a.b`) and, when dotted, the nested path. */
function jsonPaths(source: 'config' | 'summary', key: string, at: string): string[] {
  if (key === '' || key.includes('"')) throw invalidInput(at, `"${key}" is not a key SQLite's JSON paths can name (empty, or holds a double quote)`);
  const parts = key.split('.');
  const paths = [`$."${key}"`];
  if (parts.length > 1 && parts.every((p) => p !== '')) paths.push(`$.${parts.map((p) => `"${p}"`).join('.')}`);
  // W&B's server keeps config values as {value, desc}; a filter written for it (`config.lr.value`) reads our plain value.
  if (source === 'config' && parts.length > 1 && parts[parts.length - 1] === 'value') {
    const inner = parts.slice(0, -1);
    paths.push(`$.${inner.map((p) => `"${p}"`).join('.')}`);
  }
  return paths;
}

/** A field name of a filter or an order: `config.KEY`, `summary_metrics.KEY`, `tags` or a run column. */
export function parseField(name: string, at: string): RunField {
  const column = COLUMNS[name];
  if (column !== undefined) return { kind: 'column', column };
  if (name === 'tags') return { kind: 'tags' };
  const dot = name.indexOf('.');
  const source = dot > 0 ? JSON_SOURCES[name.slice(0, dot)] : undefined;
  if (source !== undefined) return { kind: 'json', source, paths: jsonPaths(source, name.slice(dot + 1), at) };
  throw invalidInput(
    at,
    `unknown field "${name}": use config.KEY, summary_metrics.KEY, tags, or one of ${Object.keys(COLUMNS)
      .filter((k) => !k.includes('_'))
      .join(', ')}`,
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Budget {
  left: number;
}

/** A comparison operand: a scalar, with ISO times turned into epoch seconds for the time columns. */
function operand(field: RunField, v: unknown, at: string): Scalar {
  if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
    throw invalidInput(at, 'expected a string, number, boolean or null (objects and arrays are not compared)');
  }
  if (field.kind === 'column' && TIME_COLUMNS.has(field.column) && typeof v === 'string') {
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || !v.includes('T') ? v : `${v}Z`);
    if (Number.isNaN(ms)) throw invalidInput(at, `"${v}" is not an ISO 8601 time`);
    return ms / 1000;
  }
  return v;
}

function checkRegex(pattern: unknown, options: unknown, at: string): { pattern: string; flags: string } {
  if (typeof pattern !== 'string') throw invalidInput(at, '$regex takes a string');
  const flags = options === undefined ? '' : options;
  if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) throw invalidInput(`${at.replace(/\.\$regex$/, '')}.$options`, 'flags are some of i, m, s, u');
  try {
    new RegExp(pattern, flags);
  } catch (err) {
    throw invalidInput(at, `not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { pattern, flags };
}

/** The conditions of one field's operator document (`{"$gt": 1, "$lt": 5}`), or its `$eq` shorthand. */
function fieldConditions(field: RunField, spec: unknown, at: string, budget: Budget): RunCondition[] {
  if (!isPlainObject(spec) || !Object.keys(spec).some((k) => k.startsWith('$'))) {
    if (isPlainObject(spec) || Array.isArray(spec)) throw invalidInput(at, 'compare with a scalar, or use an operator document such as {"$in": [...]}');
    return [{ field, op: 'eq', value: operand(field, spec, at) }];
  }
  const out: RunCondition[] = [];
  for (const [op, arg] of Object.entries(spec)) {
    const here = `${at}.${op}`;
    if ((budget.left -= 1) < 0) throw invalidInput(here, `a filter holds at most ${MAX_CONDITIONS} conditions`);
    if (!OPERATORS.includes(op)) throw invalidInput(here, `unknown operator "${op}" (known: ${OPERATORS.join(', ')}, and $and, $or, $nor at the top)`);
    const isTime = field.kind === 'column' && TIME_COLUMNS.has(field.column);
    if (op === '$ne') out.push({ not: { field, op: 'eq', value: operand(field, arg, here) } });
    else if (op in COMPARISONS) {
      const value = operand(field, arg, here);
      const ordered = op !== '$eq';
      if (ordered && typeof value !== 'number' && typeof value !== 'string') throw invalidInput(here, `${op} compares numbers or strings`);
      if (ordered && field.kind === 'tags') throw invalidInput(here, `tags are compared with $eq, $ne, $in, $nin or $regex`);
      if (isTime && typeof value !== 'number') throw invalidInput(here, 'a time is an ISO 8601 string or epoch seconds');
      out.push({ field, op: COMPARISONS[op as keyof typeof COMPARISONS], value });
    } else if (op === '$in' || op === '$nin') {
      if (!Array.isArray(arg)) throw invalidInput(here, `${op} takes an array`);
      if (arg.length > MAX_IN) throw invalidInput(here, `${op} takes at most ${MAX_IN} values`);
      const values = arg.map((v, i) => operand(field, v, `${here}[${i}]`));
      out.push(op === '$in' ? { field, op: 'in', values } : { not: { field, op: 'in', values } });
    } else if (op === '$regex') {
      out.push({ field, op: 'regex', ...checkRegex(arg, spec['$options'], here) });
    } else if (op === '$options') {
      if (!('$regex' in spec)) throw invalidInput(here, '$options goes with $regex');
    } else if (op === '$exists') {
      if (typeof arg !== 'boolean') throw invalidInput(here, '$exists takes true or false');
      out.push(arg ? { field, op: 'exists' } : { not: { field, op: 'exists' } });
    } else {
      // $not: the negation of an operator document on the same field.
      if (!isPlainObject(arg)) throw invalidInput(here, '$not takes an operator document');
      out.push({ not: { all: fieldConditions(field, arg, here, budget) } });
    }
  }
  return out;
}

function parseDocument(doc: unknown, at: string, depth: number, budget: Budget): RunCondition {
  if (!isPlainObject(doc)) throw invalidInput(at, 'a filter is an object such as {"config.lr": {"$lt": 0.01}}');
  if (depth > MAX_DEPTH) throw invalidInput(at, `filters nest at most ${MAX_DEPTH} levels`);
  const all: RunCondition[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const here = `${at}.${key}`;
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(value) || value.length === 0) throw invalidInput(here, `${key} takes a non-empty array of filters`);
      const parts = value.map((d, i) => parseDocument(d, `${here}[${i}]`, depth + 1, budget));
      all.push(key === '$and' ? { all: parts } : key === '$or' ? { any: parts } : { not: { any: parts } });
    } else if (key.startsWith('$')) {
      throw invalidInput(here, `unknown operator "${key}" at this level (use $and, $or or $nor, or a field name)`);
    } else {
      all.push(...fieldConditions(parseField(key, here), value, here, budget));
    }
  }
  return all.length === 1 ? (all[0] as RunCondition) : { all };
}

/** Parses `queryConfig.filters`; an empty document matches every run. */
export function parseFilters(filters: unknown, at = 'queryConfig.filters'): RunCondition | undefined {
  if (filters === undefined) return undefined;
  const c = parseDocument(filters, at, 0, { left: MAX_CONDITIONS });
  return 'all' in c && c.all.length === 0 ? undefined : c;
}

/** Parses W&B's order string: `+created_at`, `-summary_metrics.val/acc`, `config.lr` (ascending). */
export function parseOrder(order: string | undefined, at = 'queryConfig.order'): RunOrder {
  const text = order ?? '+created_at';
  const desc = text.startsWith('-');
  const name = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  const field = parseField(name, at);
  if (field.kind === 'tags') throw invalidInput(at, 'runs are not ordered by tags');
  return { field, desc };
}
