/**
 * The dashboard's routes over decoded path segments. Page URLs match the skill's offline URLs
 * (`/:entity/:project/runs/:runId`, `/sweeps/:id`, `/artifacts/:type/:name/vN`) and all get the
 * same page shell, whose script picks the view; data comes from `/api/p/:entity/:project/...`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/index.js';
import type { PanelsTable } from '../store/index.js';
import type { Assets } from './assets.js';
import { baseHeaders, HttpError, intParam, sendJson } from './http.js';
import { listProjects, projectFacets, queryRuns } from './runs-query.js';
import { loggedCharts as loggedChartsOf } from './logged-charts.js';
import { compareRuns, compareTable, filesDirOf, findRunOr404, historyRows, runCharts, runDetail, runMedia, runStatus } from './run-api.js';
import type { RunCache } from './run-cache.js';
import { csv, runSetQuery } from './run-set.js';
import { runFilesInfo } from './run-files-api.js';
import { sendExactText, sendJsonExact, workspaceRuns, workspaceSeries } from './workspace-api.js';
import { sweepPage } from './sweep-api.js';
import { projectVersion, registryCollections, registryVersion } from './registry.js';
import { markCrashedTrials } from '../sweep-runs/index.js';
import type { Liveness } from '../liveness.js';
import { artifactsOfProject, reportPath, reportsOfProject, sweepsOfProject } from './sections.js';
import { recordedFileInside, resolveInsideRoot, safeSegments, sendFile } from './files.js';
import { deletePanel, savePanel } from './panels-route.js';
import type { Scope } from './scope.js';

export interface RouteDeps {
  store: Store;
  panels: PanelsTable;
  /** What was read of each run (summary, sampled series, metrics, media), by run and last step. */
  runs: RunCache;
  assets: Assets;
  /** W&B's root folder: run files live in `<dir>/wandb/runs/...`. */
  dir: string;
  now(): number;
  liveness: Liveness;
}

export interface Req {
  method: string;
  segments: string[];
  query: URLSearchParams;
  raw: IncomingMessage;
}

function sendAsset(res: ServerResponse, asset: { body: Buffer; type: string } | undefined, method: string, maxAge = 0): void {
  if (!asset) throw new HttpError(404, 'NOT_FOUND', 'no such file');
  baseHeaders(res);
  res.statusCode = 200;
  res.setHeader('Content-Type', asset.type);
  res.setHeader('Content-Length', String(asset.body.length));
  res.setHeader('Cache-Control', maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache');
  res.end(method === 'HEAD' ? undefined : asset.body);
}

function projectApi(deps: RouteDeps, req: Req, res: ServerResponse, scope: Scope, rest: string[]): void | Promise<void> {
  const { store } = deps;
  const q = req.query;
  const [what, id, sub, ...more] = rest;
  if (what === 'panels') {
    if (req.method === 'POST' && id === 'delete' && sub === undefined) return deletePanel(deps, req, res, scope);
    if (req.method === 'POST' && id === undefined) return savePanel(deps, req, res, scope);
    if (req.method === 'POST' || id !== undefined) throw new HttpError(404, 'NOT_FOUND', 'no such API');
    return sendJson(res, 200, { panels: deps.panels.list(scope.project) });
  }
  if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'the dashboard is read-only here');
  // A run whose agent or tracker died is crashed, as W&B shows it once heartbeats stop.
  if (what === 'runs' || what === 'sweeps' || what === 'compare' || what === 'workspace') markCrashedTrials(store, deps.liveness, deps.now() / 1000);
  if (what === 'runs' && id === undefined) {
    const page = queryRuns(store, deps.runs, scope, {
      limit: intParam(q.get('limit'), 50, 1, 500),
      offset: intParam(q.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER),
      set: runSetQuery(q),
      columns: csv(q.get('columns'))
        .filter((c) => /^(config|summary)\./.test(c))
        .slice(0, 40),
    });
    return sendJsonExact(res, page);
  }
  if (what === 'workspace') return sendJsonExact(res, workspaceRuns(deps, scope, q));
  if (what === 'series') return workspaceSeries(deps, scope, q).then((text) => sendExactText(res, text));
  if (what === 'facets') return sendJson(res, 200, { ...projectFacets(store, scope), sweeps: sweepsOfProject(store, scope) });
  if (what === 'runs' && id !== undefined) {
    const run = findRunOr404(store, scope, id);
    if (sub === undefined) {
      const detail = runDetail(store, deps.runs, scope, run);
      const loggedCharts = loggedChartsOf(run, detail['summary'] as Record<string, unknown>, filesDirOf(deps.dir, run));
      return sendJson(res, 200, { ...detail, loggedCharts, panels: deps.panels.list(scope.project) });
    }
    if (sub === 'status') return sendJson(res, 200, runStatus(run));
    if (sub === 'overview')
      return sendJson(res, 200, {
        ...runFilesInfo(filesDirOf(deps.dir, run)),
        fileBase: `/files/${[scope.entity, scope.project, 'runs', run.id].map(encodeURIComponent).join('/')}/`,
      });
    if (sub === 'charts') {
      // From the sampled history: no preview pass is needed any more (`preview` is always false).
      const maxPoints = intParam(q.get('maxPoints'), 1000, 10, 20000);
      return runCharts(deps.runs, run, maxPoints, csv(q.get('metrics'))).then((charts) => sendJson(res, 200, { ...runStatus(run), preview: false, charts }));
    }
    if (sub === 'media') return runMedia(deps.runs, run).then((media) => sendJson(res, 200, { media }));
    if (sub === 'history') return historyRows(store, run, intParam(q.get('maxRows'), 2000, 10, 20000)).then((text) => sendExactText(res, text));
  }
  if (what === 'compare') {
    const runs = compareRuns(store, scope, csv(q.get('runs')));
    return sendJsonExact(res, {
      runs: runs.map((r) => ({
        ...runStatus(r),
        path: `/${encodeURIComponent(scope.entity)}/${encodeURIComponent(scope.project)}/runs/${encodeURIComponent(r.id)}`,
      })),
      table: compareTable(deps.runs, runs),
    });
  }
  if (what === 'sweeps' && id === undefined) return sendJson(res, 200, { sweeps: sweepsOfProject(store, scope) });
  if (what === 'sweeps' && id !== undefined) {
    const goal = q.get('goal');
    return sendJson(
      res,
      200,
      sweepPage(store, scope, id, { metric: q.get('metric') || undefined, goal: goal === 'minimize' || goal === 'maximize' ? goal : undefined }),
    );
  }
  if (what === 'artifacts' && id === undefined)
    return sendJson(res, 200, { artifacts: [...artifactsOfProject(store, scope), ...registryCollections(store, scope)] });
  if (what === 'artifacts' && id !== undefined && sub !== undefined && more.length === 1) {
    const m = /^v(\d+)$/.exec(more[0] as string);
    // A registry project's collections hold links: the same page, under the registry's name.
    const version = m ? (projectVersion(store, scope, id, sub, Number(m[1])) ?? registryVersion(store, scope, id, sub, Number(m[1]))) : undefined;
    if (!version) throw new HttpError(404, 'NOT_FOUND', `no artifact ${sub}:${more[0]} of type ${id}`);
    return sendJson(res, 200, version);
  }
  if (what === 'reports')
    return sendJson(res, 200, {
      reports: reportsOfProject(store, scope).map((r) => ({
        ...r,
        href: `/files/${encodeURIComponent(scope.entity)}/${encodeURIComponent(scope.project)}/reports/${encodeURIComponent(r.id)}`,
      })),
    });
  throw new HttpError(404, 'NOT_FOUND', 'no such API');
}

function serveFiles(deps: RouteDeps, req: Req, res: ServerResponse, segs: string[]): void {
  const [entity, project, kind, id, ...rest] = segs;
  if (entity === undefined || project === undefined || id === undefined) throw new HttpError(404, 'NOT_FOUND', 'no such file');
  const scope = { entity, project };
  if (kind === 'runs') {
    const run = findRunOr404(deps.store, scope, id);
    return sendFile(res, resolveInsideRoot(filesDirOf(deps.dir, run), safeSegments(rest)), req.method);
  }
  if (kind === 'reports' && rest.length === 0) {
    const rep = reportPath(deps.store, scope, id);
    if (!rep) throw new HttpError(404, 'NOT_FOUND', `no report ${id}`);
    // A report is served only when it was written inside the W&B root folder.
    return sendFile(res, recordedFileInside(deps.dir, rep.path), req.method);
  }
  throw new HttpError(404, 'NOT_FOUND', 'no such file');
}

/** Dispatches one request; throws HttpError for caller mistakes. */
export function route(deps: RouteDeps, req: Req, res: ServerResponse): void | Promise<void> {
  const [first, ...rest] = req.segments;
  if (req.method === 'POST' && first !== 'api') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'read-only');
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not supported`);
  if (first === 'static' && rest.length === 1) return sendAsset(res, deps.assets.page(rest[0] as string), req.method);
  if (first === 'vendor' && rest.length === 1) return sendAsset(res, deps.assets.vendor(rest[0] as string), req.method, 3600); // Vega changes only with the package
  if (first === 'favicon.ico') {
    baseHeaders(res);
    res.statusCode = 204;
    return void res.end();
  }
  if (first === 'files') return serveFiles(deps, req, res, rest);
  if (first === 'api') {
    if (rest[0] === 'projects' && rest.length === 1) {
      if (req.method === 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'read-only');
      return sendJson(res, 200, { projects: listProjects(deps.store), registries: deps.store.artifactViews.registries() });
    }
    if (rest[0] === 'p' && rest[1] !== undefined && rest[2] !== undefined)
      return projectApi(deps, req, res, { entity: rest[1], project: rest[2] }, rest.slice(3));
    throw new HttpError(404, 'NOT_FOUND', 'no such API');
  }
  if (req.method === 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'read-only');
  // Every other GET is a page: the shell loads app.js, which renders the view for the path.
  return sendAsset(res, deps.assets.page('index.html'), req.method);
}
