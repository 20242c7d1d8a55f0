/**
 * The projects list and the runs table: filtered, sorted and paginated by the store
 * (store.runQueries), so a project with 10,000 runs answers one page at a time.
 */
import type { ProjectRow, RunsSort, Store } from '../store/index.js';
import { readSummary } from '../runs/lifecycle.js';
import { getPath } from '../report/extract.js';
import { parseExtended } from '../json/extended-json.js';
import { HttpError } from './http.js';
import type { Scope } from './scope.js';

export type { ProjectRow };

export function listProjects(store: Store): ProjectRow[] {
  return store.runQueries.projects();
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

const FIXED_SORTS = new Set(['created', 'name', 'state', 'duration']);

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

export interface RunsPage {
  total: number;
  offset: number;
  limit: number;
  runs: Array<Record<string, unknown>>;
  columns: string[];
}

/** One page of the runs table. */
export function queryRuns(store: Store, scope: Scope, q: RunsQuery): RunsPage {
  const sort = sortOf(q.sort);
  const { total, rows } = store.runQueries.page(scope, { state: q.state, tag: q.tag, text: q.text }, sort, q.desc, q.limit, q.offset);
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
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 3 && !('_type' in v))
      leafKeys(v as Record<string, unknown>, `${prefix}${k}.`, into, depth + 1);
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
  const tags = store.runQueries.tags(scope);
  const states = store.runQueries.states(scope);
  const sample = store.runQueries.facetSample(scope);
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
