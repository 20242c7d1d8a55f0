import type { Statement } from 'better-sqlite3';
import type { StoreDb } from './db.js';
import { toRecord, type RunRecord, type RunRow } from './runs.js';
import { liveHistoryCount, RUN_COLUMNS } from './run-live.js';

/**
 * The `query` action's read model over `runs`: W&B's MongoDB-style run filters, already parsed into
 * a condition tree (src/query/filters.ts), compiled to one SQL WHERE clause. Field names map to
 * fixed column names from a closed list; JSON paths, values and patterns are always bound
 * parameters, so nothing the caller wrote is pasted into the SQL text.
 *
 * Semantics follow MongoDB's as W&B's backend applies them: a comparison matches only values of the
 * operand's type (a string never passes `$gt: 0`), a missing key matches `$ne`/`$nin`/`$exists:
 * false`/`$eq: null` and nothing else, an array value matches `$eq`/`$in` when an element does, and
 * NaN (stored as JSON5 NaN, read by SQLite as null) passes no comparison.
 */

/** Columns a filter or an order may name. */
export type RunColumn =
  'id' | 'display_name' | 'state' | 'group_name' | 'job_type' | 'sweep_id' | 'username' | 'host' | 'notes' | 'created_at' | 'updated_at' | 'heartbeat_at';

const NUMERIC_COLUMNS: ReadonlySet<RunColumn> = new Set(['created_at', 'updated_at', 'heartbeat_at']);

/** What a condition reads: a column, the tags array, or a JSON value of config or summary at one of several paths (`$."a"."b"`). */
export type RunField = { kind: 'column'; column: RunColumn } | { kind: 'tags' } | { kind: 'json'; source: 'config' | 'summary'; paths: string[] };

export type Scalar = string | number | boolean | null;

/** A parsed filter: `ne`, `nin` and `$exists: false` are `not` around `eq`, `in` and `exists`. */
export type RunCondition =
  | { all: RunCondition[] }
  | { any: RunCondition[] }
  | { not: RunCondition }
  | { field: RunField; op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte'; value: Scalar }
  | { field: RunField; op: 'in'; values: Scalar[] }
  | { field: RunField; op: 'regex'; pattern: string; flags: string }
  | { field: RunField; op: 'exists' };

export interface RunOrder {
  field: Exclude<RunField, { kind: 'tags' }>;
  desc: boolean;
}

export interface RunSearch {
  /**
   * The runs of `projects` matching `where`, in `order` (runs without the value last, ties by
   * creation), `limit` from `offset`, and how many match in all (counted in the same scan; a page
   * past the end counts again).
   */
  page(projects: readonly string[], where: RunCondition | undefined, order: RunOrder, limit: number, offset: number): { total: number; runs: RunRecord[] };
  /** How many runs of `projects` match `where`. */
  count(projects: readonly string[], where: RunCondition | undefined): number;
  /** Keys of runs of `projects` whose stored summary lags their history (a running run folds it every 256 rows). */
  staleSummaries(projects: readonly string[]): number[];
  /** Stores a run's summary folded up to `seq`, unless a newer one is stored. */
  saveSummary(runKey: number, summaryText: string, seq: number): void;
  /** A run's files (media and others), by name (at most 1,000), with whether they reached the server. */
  files(runKey: number): Array<{ name: string; uploaded: boolean }>;
}

const SQL_OPS = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
/** SQLite's json_type names per JavaScript type of an operand. */
const JSON_TYPES = { number: "('integer','real')", string: "('text')" } as const;
/** Built statements are kept by text; a long-lived server seeing many filter shapes starts over past this. */
const MAX_STATEMENTS = 256;

/** Compiles a condition to SQL over `runs`, pushing its parameters in order. Every leaf is 0 or 1 (never NULL), so NOT is exact. */
function compile(c: RunCondition, params: unknown[]): string {
  if ('all' in c) return c.all.length === 0 ? '1' : `(${c.all.map((x) => compile(x, params)).join(' AND ')})`;
  if ('any' in c) return c.any.length === 0 ? '0' : `(${c.any.map((x) => compile(x, params)).join(' OR ')})`;
  if ('not' in c) return `NOT ${compile(c.not, params)}`;
  const f = c.field;
  if (f.kind === 'column') return `coalesce(${columnLeaf(f.column, c, params)}, 0)`;
  if (f.kind === 'tags') return tagsLeaf(c, params);
  // Several paths (a dotted key is a top-level key with dots or a nested path): either may match.
  const parts = f.paths.map((p) => `coalesce(${jsonLeaf(f.source, p, c, params)}, 0)`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
}

type Leaf = Exclude<RunCondition, { all: unknown } | { any: unknown } | { not: unknown }>;

function columnLeaf(column: RunColumn, c: Leaf, params: unknown[]): string {
  const numeric = NUMERIC_COLUMNS.has(column);
  const fits = (v: Scalar): boolean => (numeric ? typeof v === 'number' : typeof v === 'string');
  const eq = (v: Scalar): string => {
    if (v === null) return `${column} IS NULL`;
    if (!fits(v)) return '0';
    params.push(v);
    return `${column} = ?`;
  };
  switch (c.op) {
    case 'eq':
      return eq(c.value);
    case 'in':
      return c.values.length === 0 ? '0' : `(${c.values.map(eq).join(' OR ')})`;
    case 'regex':
      params.push(c.pattern, c.flags);
      return `query_regexp(?, ?, ${column})`;
    case 'exists':
      return `${column} IS NOT NULL`;
    default:
      if (c.value === null || !fits(c.value)) return '0';
      params.push(c.value);
      return `${column} ${SQL_OPS[c.op]} ?`;
  }
}

function tagsLeaf(c: Leaf, params: unknown[]): string {
  const any = (cond: string): string => `EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE ${cond})`;
  switch (c.op) {
    case 'eq':
      if (typeof c.value !== 'string') return '0';
      params.push(c.value);
      return any('value = ?');
    case 'in': {
      const tags = c.values.filter((v): v is string => typeof v === 'string');
      if (tags.length === 0) return '0';
      params.push(...tags);
      return any(`value IN (${tags.map(() => '?').join(', ')})`);
    }
    case 'regex':
      params.push(c.pattern, c.flags);
      return any('query_regexp(?, ?, value)');
    case 'exists':
      return '1';
    default:
      return '0';
  }
}

function jsonLeaf(source: 'config' | 'summary', path: string, c: Leaf, params: unknown[]): string {
  const type = (): string => {
    params.push(path);
    return `json_type(${source}, ?)`;
  };
  const value = (): string => {
    params.push(path);
    return `json_extract(${source}, ?)`;
  };
  const scalarEq = (v: Scalar): string => {
    if (v === null) return `coalesce(${type()} = 'null', 1)`;
    if (typeof v === 'boolean') return `${type()} = '${v ? 'true' : 'false'}'`;
    // The value test first: AND stops there for most rows, so the type is read (a second parse) only for candidates.
    const x = value();
    params.push(v);
    const t = type();
    return `(${x} = ? AND ${t} IN ${JSON_TYPES[typeof v as 'number' | 'string']})`;
  };
  // MongoDB: an array matches $eq/$in when one of its elements does.
  const elementEq = (v: Scalar): string => {
    const t = type();
    params.push(path);
    const cond =
      v === null
        ? "j.type = 'null'"
        : typeof v === 'boolean'
          ? `j.type = '${v ? 'true' : 'false'}'`
          : `j.type IN ${JSON_TYPES[typeof v as 'number' | 'string']} AND j.value = ?`;
    if (v !== null && typeof v !== 'boolean') params.push(v);
    return `(${t} = 'array' AND EXISTS (SELECT 1 FROM json_each(${source}, ?) j WHERE ${cond}))`;
  };
  const eq = (v: Scalar): string => `(${scalarEq(v)} OR ${elementEq(v)})`;
  switch (c.op) {
    case 'eq':
      return eq(c.value);
    case 'in':
      return c.values.length === 0 ? '0' : `(${c.values.map((v) => `coalesce(${eq(v)}, 0)`).join(' OR ')})`;
    case 'regex': {
      params.push(c.pattern, c.flags);
      const x = value();
      const t = type();
      return `(query_regexp(?, ?, ${x}) AND ${t} = 'text')`;
    }
    case 'exists':
      return `${type()} IS NOT NULL`;
    default: {
      const v = c.value;
      if (typeof v !== 'number' && typeof v !== 'string') return '0';
      const x = value();
      params.push(v);
      const t = type();
      return `(${x} ${SQL_OPS[c.op]} ? AND ${t} IN ${JSON_TYPES[typeof v as 'number' | 'string']})`;
    }
  }
}

function orderSql(order: RunOrder, params: unknown[]): string {
  const f = order.field;
  let expr: string;
  if (f.kind === 'column') expr = f.column;
  else {
    params.push(...f.paths);
    const parts = f.paths.map(() => `json_extract(${f.source}, ?)`);
    expr = parts.length === 1 ? (parts[0] as string) : `coalesce(${parts.join(', ')})`;
  }
  return expr;
}

function scopeSql(projects: readonly string[], params: unknown[]): string {
  params.push(...projects);
  return projects.length === 1 ? 'project = ?' : `project IN (${projects.map(() => '?').join(', ')})`;
}

/** Runs a regular expression from a filter; the patterns were checked when the filter was parsed. */
function regexpFunction(): (pattern: unknown, flags: unknown, value: unknown) => number {
  const compiled = new Map<string, RegExp>();
  return (pattern, flags, value) => {
    if (typeof value !== 'string' || typeof pattern !== 'string') return 0;
    const key = `${String(flags)}/${pattern}`;
    let re = compiled.get(key);
    if (re === undefined) {
      if (compiled.size > 256) compiled.clear();
      compiled.set(key, (re = new RegExp(pattern, typeof flags === 'string' ? flags : '')));
    }
    return re.test(value) ? 1 : 0;
  };
}

export function createRunSearch(store: StoreDb): RunSearch {
  const { db } = store;
  db.function('query_regexp', { deterministic: true }, regexpFunction());
  const built = new Map<string, Statement>();
  const stmt = (sql: string): Statement => {
    let s = built.get(sql);
    if (s === undefined) {
      if (built.size >= MAX_STATEMENTS) built.clear();
      built.set(sql, (s = db.prepare(sql)));
    }
    return s;
  };
  const where = (projects: readonly string[], cond: RunCondition | undefined, params: unknown[]): string => {
    const scope = scopeSql(projects, params);
    return cond === undefined ? scope : `${scope} AND ${compile(cond, params)}`;
  };
  const count = (projects: readonly string[], cond: RunCondition | undefined): number => {
    const params: unknown[] = [];
    const w = where(projects, cond, params);
    return (stmt(`SELECT count(*) AS n FROM runs WHERE ${w}`).get(...params) as { n: number }).n;
  };
  const saveSummary = db.prepare('UPDATE runs SET summary = ?, summary_seq = ? WHERE key = ? AND summary_seq < ?');
  const files = db.prepare('SELECT name, uploaded FROM run_files WHERE run_key = ? ORDER BY name LIMIT 1000');
  return {
    page(projects, cond, order, limit, offset) {
      const params: unknown[] = [];
      const expr = orderSql(order, params);
      const w = where(projects, cond, params);
      params.push(limit, offset);
      const dir = order.desc ? 'DESC' : 'ASC';
      // Ties go by creation (key order), in the order's own direction when it is the creation time.
      const tie = order.desc && order.field.kind === 'column' && order.field.column === 'created_at' ? 'DESC' : 'ASC';
      // One scan filters and extracts the sort value; the matches (keys and values) are counted and
      // sorted from a materialised list, then the page's rows are read by key. JSON parsing is most of the cost.
      const hits = stmt(
        `WITH m AS MATERIALIZED (SELECT key, ${expr} AS v FROM runs WHERE ${w})
        SELECT key, (SELECT count(*) FROM m) AS total FROM m ORDER BY v IS NULL, v ${dir}, key ${tie} LIMIT ? OFFSET ?`,
      ).all(...params) as Array<{ key: number; total: number }>;
      const first = hits[0];
      if (first === undefined) return { total: offset === 0 ? 0 : count(projects, cond), runs: [] };
      const byKey = new Map(
        (stmt(`SELECT ${RUN_COLUMNS} FROM runs WHERE key IN (SELECT value FROM json_each(?))`).all(JSON.stringify(hits.map((h) => h.key))) as RunRow[]).map(
          (r) => [r.key, r],
        ),
      );
      return {
        total: first.total,
        runs: hits.flatMap((h) => {
          const r = byKey.get(h.key);
          return r === undefined ? [] : [toRecord(r)];
        }),
      };
    },
    count,
    staleSummaries(projects) {
      const params: unknown[] = [];
      const scope = scopeSql(projects, params);
      return (stmt(`SELECT key FROM runs WHERE ${scope} AND summary_seq < ${liveHistoryCount('runs')}`).all(...params) as Array<{ key: number }>).map(
        (r) => r.key,
      );
    },
    saveSummary(runKey, summaryText, seq) {
      saveSummary.run(summaryText, seq, runKey, seq);
    },
    files: (runKey) => (files.all(runKey) as Array<{ name: string; uploaded: number }>).map((f) => ({ name: f.name, uploaded: f.uploaded === 1 })),
  };
}
