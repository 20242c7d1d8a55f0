import type { Statement } from 'better-sqlite3';
import type { StoreDb } from './db.js';
import { liveHistoryCount } from './run-live.js';

/**
 * Read models over `runs` for lists, filters and selections: the dashboard's projects list and runs
 * table (filtered, sorted and paginated in SQL, so a project with 10,000 runs answers one page at a
 * time) and a report's run selection. Config and summary are read with json_extract (SQLite's JSON5
 * reader accepts the bare NaN/Infinity of W&B's extended JSON).
 */

/** Which runs a dashboard URL's `/:entity/:project` names: entity `local` stands for runs without an entity. */
export interface RunScope {
  entity: string;
  project: string;
}

export interface ProjectRow {
  entity: string;
  project: string;
  runs: number;
  running: number;
  lastCreatedAt: number;
}

export interface RunsFilter {
  state?: string | undefined;
  tag?: string | undefined;
  /** Case-insensitive substring of the display name, id or tags. */
  text?: string | undefined;
}

/** A fixed column, or a JSON path (`$."a"."b"`) into config or summary. */
export type RunsSort = { column: 'created' | 'name' | 'state' | 'duration' } | { json: 'config' | 'summary'; path: string };

/** A run of the newest sample the facets are read from. */
export interface FacetSampleRow {
  id: string;
  config: string;
  summary: string;
  /** 1 when the stored summary lags the run's last rows. */
  stale: number;
}

export interface RunQueries {
  /** Every (entity, project) with run counts, most recently active first. */
  projects(): ProjectRow[];
  /** One page of a scope's runs: ids and durations, runs without the sort value last, ties by key. */
  page(
    scope: RunScope,
    filter: RunsFilter,
    sort: RunsSort,
    desc: boolean,
    limit: number,
    offset: number,
  ): { total: number; rows: Array<{ id: string; key: number; duration: number }> };
  /** Distinct tags of a scope's runs (at most 500, sorted). */
  tags(scope: RunScope): string[];
  /** Distinct states of a scope's runs, sorted. */
  states(scope: RunScope): string[];
  /** The 200 newest runs' config and summary text. */
  facetSample(scope: RunScope): FacetSampleRow[];
  /** Sweep ids the scope's runs carry, with run counts, most recently active first (at most 500). */
  sweepIds(scope: RunScope): Array<{ id: string; runs: number }>;
}

const DURATION = 'runtime_base + max(0, coalesce(finished_at, heartbeat_at) - segment_start)';
const FIXED_SORTS = { created: 'created_at', name: 'display_name', state: 'state', duration: DURATION } as const;

/** SQL condition (over `runs`) and its parameters for a scope. */
function scopeWhere(scope: RunScope): { sql: string; params: unknown[] } {
  if (scope.entity === 'local') return { sql: "project = ? AND (entity IS NULL OR entity = 'local')", params: [scope.project] };
  return { sql: 'project = ? AND entity = ?', params: [scope.project, scope.entity] };
}

export function createRunQueries(store: StoreDb): RunQueries {
  const { db } = store;
  // Statements whose text depends on the scope's shape or the sort are built per call and kept by text.
  const built = new Map<string, Statement>();
  const stmt = (sql: string): Statement => {
    let s = built.get(sql);
    if (s === undefined) built.set(sql, (s = db.prepare(sql)));
    return s;
  };
  return {
    projects: () =>
      stmt(`SELECT coalesce(entity, 'local') AS entity, project, count(*) AS runs, sum(state = 'running') AS running,
       max(created_at) AS lastCreatedAt FROM runs GROUP BY 1, 2 ORDER BY lastCreatedAt DESC`).all() as ProjectRow[],
    page(scope, filter, sort, desc, limit, offset) {
      const where = scopeWhere(scope);
      const conds = [where.sql];
      const params = [...where.params];
      if (filter.state) {
        conds.push('state = ?');
        params.push(filter.state);
      }
      if (filter.tag) {
        conds.push('EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value = ?)');
        params.push(filter.tag);
      }
      if (filter.text) {
        conds.push('(instr(lower(display_name), lower(?)) > 0 OR instr(lower(id), lower(?)) > 0 OR instr(lower(tags), lower(?)) > 0)');
        params.push(filter.text, filter.text, filter.text);
      }
      const whereSql = conds.join(' AND ');
      const total = (stmt(`SELECT count(*) AS n FROM runs WHERE ${whereSql}`).get(...params) as { n: number }).n;
      const s =
        'column' in sort
          ? { sql: FIXED_SORTS[sort.column], params: [] as unknown[] }
          : { sql: `json_extract(${sort.json}, ?)`, params: [sort.path] as unknown[] };
      const dir = desc ? 'DESC' : 'ASC';
      // Runs without the sort value go last in either direction; the key keeps pages stable.
      const rows = stmt(
        `SELECT id, key, ${DURATION} AS duration FROM runs WHERE ${whereSql}
       ORDER BY (${s.sql}) IS NULL, ${s.sql} ${dir}, key ${dir} LIMIT ? OFFSET ?`,
      ).all(...params, ...s.params, ...s.params, limit, offset) as Array<{ id: string; key: number; duration: number }>;
      return { total, rows };
    },
    tags(scope) {
      const where = scopeWhere(scope);
      return (
        stmt(`SELECT DISTINCT j.value AS tag FROM runs, json_each(runs.tags) j WHERE ${where.sql} ORDER BY 1 LIMIT 500`).all(...where.params) as Array<{
          tag: string;
        }>
      ).map((r) => r.tag);
    },
    states(scope) {
      const where = scopeWhere(scope);
      return (stmt(`SELECT DISTINCT state FROM runs WHERE ${where.sql} ORDER BY 1`).all(...where.params) as Array<{ state: string }>).map((r) => r.state);
    },
    facetSample(scope) {
      const where = scopeWhere(scope);
      return stmt(
        `SELECT id, config, summary, summary_seq < ${liveHistoryCount('runs')} AS stale FROM runs WHERE ${where.sql} ORDER BY created_at DESC LIMIT 200`,
      ).all(...where.params) as FacetSampleRow[];
    },
    sweepIds(scope) {
      const where = scopeWhere(scope);
      return stmt(
        `SELECT sweep_id AS id, count(*) AS runs FROM runs WHERE ${where.sql} AND sweep_id IS NOT NULL GROUP BY sweep_id ORDER BY max(created_at) DESC LIMIT 500`,
      ).all(...where.params) as Array<{ id: string; runs: number }>;
    },
  };
}
