/**
 * The projects list and the runs table: filtered, sorted and paginated in SQL, so a project with
 * 10,000 runs answers one page at a time. Config and summary columns are read with json_extract
 * (SQLite's JSON5 reader accepts the bare NaN/Infinity of W&B's extended JSON).
 */
import type { Store } from '../store/index.js';
import { readSummary } from '../runs/lifecycle.js';
import { getPath } from '../report/extract.js';
import { parseExtended } from '../json/extended-json.js';
import { HttpError } from './http.js';
import { scopeWhere, type Scope } from './scope.js';

export interface ProjectRow {
  entity: string;
  project: string;
  runs: number;
  running: number;
  lastCreatedAt: number;
}

export function listProjects(store: Store): ProjectRow[] {
  return store.db.db
    .prepare(
      `SELECT coalesce(entity, 'local') AS entity, project, count(*) AS runs, sum(state = 'running') AS running,
       max(created_at) AS lastCreatedAt FROM runs GROUP BY 1, 2 ORDER BY lastCreatedAt DESC`,
    )
    .all() as ProjectRow[];
}

export interface RunsQuery {
  limit: number;
  offset: number;
  /** `created`, `name`, `state`, `duration`, `config.<key>` or `summary.<key>`. */
  sort: string;
  desc: boolean;
  state?: string | undefined;
  tag?: string | undefined;
  text?: string | undefined;
  /** `config.<key>` / `summary.<key>` columns to return. */
  columns: string[];
}

const DURATION = 'runtime_base + max(0, coalesce(finished_at, heartbeat_at) - segment_start)';
const FIXED_SORTS: Record<string, string> = { created: 'created_at', name: 'display_name', state: 'state', duration: DURATION };

/** A JSON path for SQLite from a dotted key; each part quoted, so keys with spaces or brackets work. */
export function jsonPath(key: string): string {
  if (key === '' || key.includes('"')) throw new HttpError(400, 'INVALID_INPUT', `cannot sort by the key ${JSON.stringify(key)}`, [{ path: 'sort', message: 'a key must not be empty or contain a double quote' }]);
  return '$' + key.split('.').map((p) => `."${p}"`).join('');
}

function sortExpr(sort: string): { sql: string; params: unknown[] } {
  const fixed = FIXED_SORTS[sort];
  if (fixed) return { sql: fixed, params: [] };
  const m = /^(config|summary)\.(.+)$/.exec(sort);
  if (!m) throw new HttpError(400, 'INVALID_INPUT', `unknown sort ${JSON.stringify(sort)}`, [{ path: 'sort', message: 'created, name, state, duration, config.<key> or summary.<key>' }]);
  return { sql: `json_extract(${m[1]}, ?)`, params: [jsonPath(m[2] as string)] };
}

export interface RunsPage {
  total: number;
  offset: number;
  limit: number;
  runs: Array<Record<string, unknown>>;
  columns: string[];
}

/** One page of the runs table. */
export function queryRuns(store: Store, scope: Scope, q: RunsQuery): RunsPage {
  const where = scopeWhere(scope);
  const conds = [where.sql];
  const params = [...where.params];
  if (q.state) {
    conds.push('state = ?');
    params.push(q.state);
  }
  if (q.tag) {
    conds.push('EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value = ?)');
    params.push(q.tag);
  }
  if (q.text) {
    conds.push('(instr(lower(display_name), lower(?)) > 0 OR instr(lower(id), lower(?)) > 0 OR instr(lower(tags), lower(?)) > 0)');
    params.push(q.text, q.text, q.text);
  }
  const whereSql = conds.join(' AND ');
  const db = store.db.db;
  const total = (db.prepare(`SELECT count(*) AS n FROM runs WHERE ${whereSql}`).get(...params) as { n: number }).n;
  const s = sortExpr(q.sort);
  const dir = q.desc ? 'DESC' : 'ASC';
  // Runs without the sort value go last in either direction; the key keeps pages stable.
  const rows = db
    .prepare(
      `SELECT id, key, ${DURATION} AS duration FROM runs WHERE ${whereSql}
       ORDER BY (${s.sql}) IS NULL, ${s.sql} ${dir}, key ${dir} LIMIT ? OFFSET ?`,
    )
    .all(...params, ...s.params, ...s.params, q.limit, q.offset) as Array<{ id: string; duration: number }>;
  const runs = rows.map((r) => {
    const run = store.runs.get(scope.project, r.id);
    if (!run) return { id: r.id };
    const summary = readSummary(store, run).value;
    const values: Record<string, unknown> = {};
    for (const c of q.columns) {
      const [src, ...rest] = c.split('.');
      values[c] = getPath(src === 'config' ? run.config : summary, rest.join('.'));
    }
    return {
      id: run.id,
      name: run.displayName,
      state: run.state,
      tags: run.tags,
      group: run.group,
      sweepId: run.sweepId,
      createdAt: run.createdAt,
      duration: r.duration,
      values,
    };
  });
  return { total, offset: q.offset, limit: q.limit, runs, columns: q.columns };
}

function leafKeys(obj: Record<string, unknown>, prefix: string, into: Set<string>, depth = 0): void {
  for (const [k, v] of Object.entries(obj)) {
    if (prefix === '' && k.startsWith('_')) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 3 && !('_type' in v)) leafKeys(v as Record<string, unknown>, `${prefix}${k}.`, into, depth + 1);
    else if (v === null || typeof v !== 'object') into.add(prefix + k);
  }
}

export interface ProjectFacets {
  tags: string[];
  states: string[];
  /** Column keys found in the newest runs, `config.x` and `summary.y`. */
  columns: { config: string[]; summary: string[] };
}

/** Tags, states and column keys to offer as filters and columns (keys from the 200 newest runs). */
export function projectFacets(store: Store, scope: Scope): ProjectFacets {
  const where = scopeWhere(scope);
  const db = store.db.db;
  const tags = (db.prepare(`SELECT DISTINCT j.value AS tag FROM runs, json_each(runs.tags) j WHERE ${where.sql} ORDER BY 1 LIMIT 500`).all(...where.params) as Array<{ tag: string }>).map((r) => r.tag);
  const states = (db.prepare(`SELECT DISTINCT state FROM runs WHERE ${where.sql} ORDER BY 1`).all(...where.params) as Array<{ state: string }>).map((r) => r.state);
  const sample = db.prepare(`SELECT id, config, summary, summary_seq < history_count AS stale FROM runs WHERE ${where.sql} ORDER BY created_at DESC LIMIT 200`).all(...where.params) as Array<{ id: string; config: string; summary: string; stale: number }>;
  const config = new Set<string>();
  const summary = new Set<string>();
  let folded = 0;
  for (const r of sample) {
    try {
      leafKeys(parseExtended(r.config) as Record<string, unknown>, '', config);
      // A running run's stored summary lags its last rows; fold them for a few runs (bounded work).
      const run = r.stale && folded++ < 20 ? store.runs.get(scope.project, r.id) : undefined;
      leafKeys(run ? readSummary(store, run).value : (parseExtended(r.summary) as Record<string, unknown>), '', summary);
    } catch {
      // a row the JSON reader cannot parse only loses its keys from the column list
    }
  }
  return { tags, states, columns: { config: [...config].slice(0, 100), summary: [...summary].slice(0, 100) } };
}
