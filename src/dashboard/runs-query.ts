/**
 * The projects list and the runs table: filtered, sorted and paginated by the store
 * (store.runQueries), so a project with 10,000 runs answers one page at a time.
 */
import type { ProjectRow, Store } from '../store/index.js';
import { readSummary } from '../runs/lifecycle.js';
import { getPath } from '../report/extract.js';
import { parseExtended } from '../json/extended-json.js';
import { runSetPage, type RunSetQuery } from './run-set.js';
import type { RunCache } from './run-cache.js';
import type { Scope } from './scope.js';

export type { ProjectRow };

export function listProjects(store: Store): ProjectRow[] {
  return store.runQueries.projects();
}

export interface RunsQuery {
  limit: number;
  offset: number;
  set: RunSetQuery;
  /** `config.<key>` / `summary.<key>` columns to return. */
  columns: string[];
}

export interface RunsPage {
  total: number;
  offset: number;
  limit: number;
  runs: Array<Record<string, unknown>>;
  columns: string[];
}

/** One page of the runs table. */
export function queryRuns(store: Store, cache: RunCache, scope: Scope, q: RunsQuery): RunsPage {
  const { total, rows } = runSetPage(store, cache, scope, q.set, q.limit, q.offset);
  const runs = rows.map(({ run, duration }) => {
    const summary = cache.summary(run);
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
      jobType: run.jobType,
      sweepId: run.sweepId,
      createdAt: run.createdAt,
      duration,
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
