/** The `query` kinds over runs: runs (filtered, ordered, paged), run, history and compare. */
import { SkillError, invalidInput } from '../../errors.js';
import { findRun, runUrl } from '../../runs/lifecycle.js';
import type { RunRecord } from '../../store/index.js';
import { findRuns, runDetail, runListItem } from '../../query/runs.js';
import { DEFAULT_HISTORY_PAGE, defaultKeys, exactPage, sampledPage } from '../../query/history.js';
import { compareRuns, type Goal } from '../../query/compare.js';
import { fitPage, jsonBytes, shrinkToFit } from '../../query/paging.js';
import type { QueryPart, QueryScope } from '../query.js';

/** Runs per page when perPage is not given (W&B's api.runs default). */
const DEFAULT_PER_PAGE = 50;
/** Fields of a run item cut first when one run alone exceeds the budget. */
const SHRINK_ORDER = ['notes', 'files', 'summary', 'config', 'loggedArtifacts', 'usedArtifacts', 'tags'];

/** `kind: runs`: W&B's api.runs(path, filters, order, per_page), one page. */
export function queryRuns(s: QueryScope): QueryPart {
  const { ctx, cfg } = s;
  const store = ctx.store();
  const limit = cfg.perPage ?? DEFAULT_PER_PAGE;
  const { total, runs } = findRuns(store, { projects: s.projects, filters: cfg.filters, order: cfg.order, limit, offset: s.offset });
  const items = runs.map((r) => runListItem(store, r, runUrl(ctx, r)));
  const { shown, cut } = fitPage(items, s.room, SHRINK_ORDER);
  const end = s.offset + shown.length;
  return { fields: { total, runs: shown }, next: end < total ? end : undefined, truncated: cut };
}

/** The run a query names (top-level runId, else WANDB_RUN_ID), or NOT_FOUND. */
function namedRun(s: QueryScope): RunRecord {
  const { ctx } = s;
  const id = ctx.input.runId ?? ctx.settings.runDefaults.id;
  if (id === undefined) throw invalidInput('runId', `query kind "${s.kind}" reads one run: give runId`);
  const run = findRun(ctx, ctx.store(), id);
  if (run === undefined) {
    throw new SkillError('NOT_FOUND', `run ${id} does not exist in project ${ctx.settings.project} of the store ${ctx.store().path}`, {
      details: { issues: [{ path: 'runId', message: 'no such run in this store (online, queryConfig.refresh: true reads the server first)' }] },
    });
  }
  return run;
}

/** `kind: run`: one run in full. */
export function queryRun(s: QueryScope): QueryPart {
  const run = namedRun(s);
  const store = s.ctx.store();
  const url = runUrl(s.ctx, run);
  const { shown, cut } = fitPage([runDetail(store, run, url)], s.room, SHRINK_ORDER);
  return { fields: { run: shown[0] }, truncated: cut, top: { runId: run.id, runUrl: url, runName: run.displayName, state: run.state } };
}

/** `kind: history`: sampled (samples, or no step range) or exact (a step range without samples), paged. */
export function queryHistory(s: QueryScope): QueryPart {
  const { cfg } = s;
  const run = namedRun(s);
  const store = s.ctx.store();
  if (cfg.minStep !== undefined && cfg.maxStep !== undefined && cfg.minStep > cfg.maxStep) throw invalidInput('queryConfig.minStep', 'is past maxStep');
  const req = { keys: cfg.keys, samples: cfg.samples, minStep: cfg.minStep, maxStep: cfg.maxStep };
  const exact = cfg.samples === undefined && (cfg.minStep !== undefined || cfg.maxStep !== undefined);
  const page = exact
    ? exactPage(store, run, req, s.offset, cfg.perPage ?? DEFAULT_HISTORY_PAGE, s.room)
    : sampledPage(store, run, { ...req, keys: cfg.keys ?? defaultKeys(store, run) }, s.offset, s.room);
  return {
    fields: { total: page.total, history: page.history },
    next: page.next,
    truncated: page.truncated,
    top: { runId: run.id, runUrl: runUrl(s.ctx, run), historyLength: run.historyCount },
  };
}

/** Goals of the metrics the runs' sweeps optimise (a sweep's metric goal beats the name's hint). */
function sweepGoals(s: QueryScope, runs: readonly RunRecord[]): Map<string, Goal> {
  const goals = new Map<string, Goal>();
  const store = s.ctx.store();
  for (const id of new Set(runs.map((r) => r.sweepId).filter((x): x is string => x !== null))) {
    const project = runs.find((r) => r.sweepId === id)?.project ?? s.ctx.settings.project;
    const metric = (store.sweeps.get(project, id)?.config as { metric?: { name?: unknown; goal?: unknown } } | undefined)?.metric;
    if (typeof metric?.name === 'string' && (metric.goal === 'minimize' || metric.goal === 'maximize')) goals.set(metric.name, metric.goal);
  }
  return goals;
}

/** `kind: compare`: the runs named by runIds (or selected by filters and order), side by side. */
export function queryCompare(s: QueryScope): QueryPart {
  const { ctx, cfg } = s;
  const store = ctx.store();
  let runs: RunRecord[];
  if (cfg.runIds !== undefined) {
    runs = cfg.runIds.map((id, i) => {
      const run = s.projects.map((p) => store.runs.get(p, id)).find((r) => r !== undefined) ?? findRun(ctx, store, id);
      if (run === undefined)
        throw new SkillError('NOT_FOUND', `run ${id} does not exist`, { details: { issues: [{ path: `queryConfig.runIds[${i}]`, message: 'no such run' }] } });
      return run;
    });
  } else {
    runs = findRuns(store, { projects: s.projects, filters: cfg.filters, order: cfg.order, limit: cfg.perPage ?? 10, offset: 0 }).runs;
  }
  const comparison = compareRuns(store, runs, { metrics: cfg.keys, sweepGoals: sweepGoals(s, runs) });
  if (jsonBytes(comparison) <= s.room) return { fields: { comparison }, truncated: false };
  // Too big: keep the metrics, cut the differing config keys to what fits.
  const { value, omitted } = shrinkToFit(comparison, s.room - 80, ['configDiff', 'metrics']);
  return { fields: { comparison: { ...value, omitted } }, truncated: true };
}
