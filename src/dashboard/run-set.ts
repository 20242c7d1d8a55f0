/**
 * The runs a workspace shows: the runs table's filter (state, tag, text search, config/summary/fact
 * filters) and sort, or an explicit selection (`runs=a,b,c`). One reader for the table, the
 * workspace charts and compare, so what the table lists is what the charts draw.
 */
import type { RunRecord, RunsSort, Store } from '../store/index.js';
import { HttpError, intParam } from './http.js';
import { matchesAll, parseFilter, type RunFilter } from './run-filter.js';
import type { Scope } from './scope.js';
import type { RunCache } from './run-cache.js';

export interface RunSetQuery {
  sort: string;
  desc: boolean;
  state?: string | undefined;
  tag?: string | undefined;
  text?: string | undefined;
  filters: RunFilter[];
  /** Explicit run ids (a selection); when set, the filters above are not applied. */
  ids?: string[] | undefined;
}

const FIXED_SORTS = new Set(['created', 'name', 'state', 'duration']);
/** Runs read to apply config/summary filters in memory (the SQL filters narrow first). */
const FILTER_SCAN = 20_000;

/** A JSON path for SQLite from a dotted key; each part quoted, so keys with spaces or brackets work. */
export function jsonPath(key: string): string {
  if (key === '' || key.includes('"'))
    throw new HttpError(400, 'INVALID_INPUT', `cannot sort by the key ${JSON.stringify(key)}`, [
      { path: 'sort', message: 'a key must not be empty or contain a double quote' },
    ]);
  return (
    '$' +
    key
      .split('.')
      .map((p) => `."${p}"`)
      .join('')
  );
}

function sortOf(sort: string): RunsSort {
  if (FIXED_SORTS.has(sort)) return { column: sort as 'created' | 'name' | 'state' | 'duration' };
  const m = /^(config|summary)\.(.+)$/.exec(sort);
  if (!m)
    throw new HttpError(400, 'INVALID_INPUT', `unknown sort ${JSON.stringify(sort)}`, [
      { path: 'sort', message: 'created, name, state, duration, config.<key> or summary.<key>' },
    ]);
  return { json: m[1] as 'config' | 'summary', path: jsonPath(m[2] as string) };
}

/** A comma-separated query parameter as its non-empty, trimmed items. */
export function csv(v: string | null): string[] {
  return v === null
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

/** The run-set part of a query string (`sort order state tag q f* runs`). */
export function runSetQuery(q: URLSearchParams): RunSetQuery {
  const ids = csv(q.get('runs'));
  return {
    sort: q.get('sort') ?? 'created',
    desc: q.get('order') !== 'asc',
    state: q.get('state') || undefined,
    tag: q.get('tag') || undefined,
    text: q.get('q') || undefined,
    filters: q
      .getAll('f')
      .filter((f) => f.trim() !== '')
      .slice(0, 20)
      .map(parseFilter),
    ids: ids.length > 0 ? ids.slice(0, 1000) : undefined,
  };
}

export interface RunSetPage {
  total: number;
  rows: Array<{ run: RunRecord; duration: number }>;
}

/** One page (`offset`, `limit`) of the run set, in the table's order. */
export function runSetPage(store: Store, cache: RunCache, scope: Scope, q: RunSetQuery, limit: number, offset: number): RunSetPage {
  const get = (id: string): RunRecord | undefined => {
    const run = store.runs.get(scope.project, id);
    const entityOk = run !== undefined && (scope.entity === 'local' ? run.entity === null || run.entity === 'local' : run.entity === scope.entity);
    return entityOk ? run : undefined;
  };
  if (q.ids !== undefined) {
    const runs = q.ids.map(get).filter((r): r is RunRecord => r !== undefined);
    return { total: runs.length, rows: runs.slice(offset, offset + limit).map((run) => ({ run, duration: durationOf(run) })) };
  }
  const sort = sortOf(q.sort);
  const sql = { state: q.state, tag: q.tag, text: q.text };
  if (q.filters.length === 0) {
    const { total, rows } = store.runQueries.page(scope, sql, sort, q.desc, limit, offset);
    return {
      total,
      rows: rows.flatMap((r) => {
        const run = get(r.id);
        return run ? [{ run, duration: r.duration }] : [];
      }),
    };
  }
  const { rows } = store.runQueries.page(scope, sql, sort, q.desc, FILTER_SCAN, 0);
  const kept: Array<{ run: RunRecord; duration: number }> = [];
  for (const r of rows) {
    const run = get(r.id);
    if (run && matchesAll(run, cache.summary(run), q.filters)) kept.push({ run, duration: r.duration });
  }
  return { total: kept.length, rows: kept.slice(offset, offset + limit) };
}

function durationOf(run: RunRecord): number {
  return run.runtimeBase + Math.max(0, (run.finishedAt ?? run.heartbeatAt) - run.segmentStart);
}

/** The query's page size, for endpoints that read a whole run set (charts: at most `cap` runs). */
export function setSize(q: URLSearchParams, def: number, cap: number): number {
  return intParam(q.get('max'), def, 1, cap);
}
