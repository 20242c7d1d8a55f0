/**
 * Runs as the `query` action reads them: W&B's `api.runs(path, filters, order, per_page)` over the
 * store, and one run's record (`api.run(path)`: config, summary, tags, notes, files, artifacts).
 */
import { readSummary } from '../runs/lifecycle.js';
import { stringifyExtended } from '../json/extended-json.js';
import type { RunRecord, Store } from '../store/index.js';
import type { RunCondition, RunOrder } from '../store/run-search.js';
import { parseFilters, parseOrder } from './filters.js';

export interface RunsRequest {
  projects: readonly string[];
  filters?: unknown;
  order?: string | undefined;
  limit: number;
  offset: number;
}

function readsSummary(c: RunCondition | RunOrder | undefined): boolean {
  if (c === undefined) return false;
  if ('all' in c) return c.all.some(readsSummary);
  if ('any' in c) return c.any.some(readsSummary);
  if ('not' in c) return readsSummary(c.not);
  return c.field.kind === 'json' && c.field.source === 'summary';
}

/**
 * Stores the summaries of runs whose stored copy lags their history (a running run's is folded
 * every 256 rows), so a filter or an order on summary_metrics sees W&B's summary: the last value
 * of every key. Each run is folded in its own short write.
 */
function catchUpSummaries(store: Store, projects: readonly string[]): number {
  const keys = store.runSearch.staleSummaries(projects);
  for (const key of keys) {
    store.write(() => {
      const run = store.runs.getByKey(key);
      if (run === undefined || run.summarySeq >= run.historyCount) return;
      const { value, seq } = readSummary(store, run);
      store.runSearch.saveSummary(key, stringifyExtended(value), seq);
    });
  }
  return keys.length;
}

/** One page of runs matching W&B filters, in W&B order, and how many match in all. */
export function findRuns(store: Store, req: RunsRequest): { total: number; runs: RunRecord[] } {
  const where = parseFilters(req.filters);
  const order = parseOrder(req.order);
  if (readsSummary(where) || readsSummary(order)) catchUpSummaries(store, req.projects);
  return store.runSearch.page(req.projects, where, order, req.limit, req.offset);
}

const iso = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString());

/** A run as a list shows it: W&B's run fields (name is the id, as in W&B), its config and summary. */
export function runListItem(store: Store, run: RunRecord, url: string): Record<string, unknown> {
  return {
    runId: run.id,
    project: run.project,
    ...(run.entity !== null ? { entity: run.entity } : {}),
    name: run.displayName,
    state: run.state,
    tags: run.tags,
    ...(run.group !== null ? { group: run.group } : {}),
    ...(run.jobType !== null ? { jobType: run.jobType } : {}),
    ...(run.sweepId !== null ? { sweepId: run.sweepId } : {}),
    createdAt: iso(run.createdAt),
    historyLength: run.historyCount,
    config: run.config,
    summary: readSummary(store, run).value,
    url,
  };
}

/** One run in full: the list's fields, notes, times, files and the artifacts it logged and used. */
export function runDetail(store: Store, run: RunRecord, url: string): Record<string, unknown> {
  const artifacts = store.artifactViews.ofRun(run.key).map((a) => ({
    direction: a.direction === 'output' ? 'logged' : 'used',
    name: `${a.name}:v${a.versionIndex}`,
    type: a.type,
    project: a.project,
    digest: a.digest,
    size: a.size,
    fileCount: a.fileCount,
  }));
  const runtime = run.runtimeBase + Math.max(0, (run.finishedAt ?? run.heartbeatAt) - run.segmentStart);
  return {
    ...runListItem(store, run, url),
    notes: run.notes,
    ...(run.username !== null ? { username: run.username } : {}),
    ...(run.host !== null ? { host: run.host } : {}),
    updatedAt: iso(run.updatedAt),
    heartbeatAt: iso(run.heartbeatAt),
    finishedAt: iso(run.finishedAt),
    ...(run.exitCode !== null ? { exitCode: run.exitCode } : {}),
    runtime,
    step: run.step,
    files: store.runSearch.files(run.key),
    loggedArtifacts: artifacts.filter((a) => a.direction === 'logged').map(({ direction: _d, ...a }) => a),
    usedArtifacts: artifacts.filter((a) => a.direction === 'used').map(({ direction: _d, ...a }) => a),
  };
}
