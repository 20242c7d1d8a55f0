/**
 * The parts of a page that come from other features' tables (alerts, artifacts, sweeps, reports),
 * read through the store's typed reads (the migrations create every table these read).
 */
import type { RecentAlert, RunRecord, Store } from '../store/index.js';
import { parseExtended } from '../json/extended-json.js';
import { runPath, type Scope } from './scope.js';

function parseJson(text: unknown, fallback: unknown): unknown {
  if (typeof text !== 'string') return fallback;
  try {
    return parseExtended(text);
  } catch {
    return fallback;
  }
}

/** The alerts a run raised, newest first (table `alerts`). */
export function alertsOfRun(store: Store, run: RunRecord): RecentAlert[] {
  return store.alerts.recent(run.key, 200);
}

export function artifactPathOf(entity: string | null, project: string, type: string, name: string, index: number): string {
  return `/${encodeURIComponent(entity ?? 'local')}/${encodeURIComponent(project)}/artifacts/${encodeURIComponent(type)}/${encodeURIComponent(name)}/v${index}`;
}

/** The artifact versions a run logged (outputs) and used (inputs), from `artifact_usage`. */
export function artifactsOfRun(store: Store, run: RunRecord): { logged: Array<Record<string, unknown>>; used: Array<Record<string, unknown>> } {
  const out = { logged: [] as Array<Record<string, unknown>>, used: [] as Array<Record<string, unknown>> };
  for (const r of store.artifactViews.ofRun(run.key)) {
    const item = {
      ...r,
      version: `v${r.versionIndex}`,
      aliases: store.artifacts.aliasesOf(r.versionKey),
      path: artifactPathOf(run.entity, r.project, r.type, r.name, r.versionIndex),
    };
    (r.direction === 'output' ? out.logged : out.used).push(item);
  }
  return out;
}

/** Every artifact collection of a project with its versions (newest first) and their aliases. */
export function artifactsOfProject(store: Store, scope: Scope): Array<Record<string, unknown>> {
  const views = store.artifactViews;
  return views.collections(scope.project).map((c) => ({
    name: c.name,
    type: c.type,
    versions: views.versions(c.key).map((v) => ({
      ...v,
      version: `v${v.versionIndex}`,
      aliases: store.artifacts.aliasesOf(v.key),
      path: artifactPathOf(scope.entity === 'local' ? null : scope.entity, scope.project, c.type, c.name, v.versionIndex),
    })),
  }));
}

interface ManifestEntry {
  path: string;
  digest?: string;
  size?: number;
  ref?: string;
}

function manifestFiles(text: unknown): ManifestEntry[] {
  const m = parseJson(text, {}) as { contents?: Record<string, { digest?: string; size?: number; ref?: string }> };
  if (m === null || typeof m !== 'object' || m.contents === null || typeof m.contents !== 'object') return [];
  return Object.entries(m.contents)
    .slice(0, 5000)
    .map(([path, e]) => {
      const f: ManifestEntry = { path };
      if (typeof e?.digest === 'string') f.digest = e.digest;
      if (typeof e?.size === 'number') f.size = e.size;
      if (typeof e?.ref === 'string') f.ref = e.ref;
      return f;
    });
}

/** One artifact version by its store key: facts, aliases, manifest files, and its lineage (runs that made and used it). */
export function artifactVersionByKey(store: Store, versionKey: number): Record<string, unknown> | undefined {
  const v = store.artifactViews.versionFacts(versionKey);
  if (!v) return undefined;
  const { manifest: mText, metadata, key, name, type, ...facts } = v;
  return {
    name,
    type,
    version: `v${v.versionIndex}`,
    ...facts,
    metadata: parseJson(metadata, {}),
    aliases: store.artifacts.aliasesOf(key),
    files: manifestFiles(mText),
    lineage: lineageOf(store, key),
  };
}

/**
 * The version's lineage one hop each way: the runs that logged it and used it, and the other
 * versions those runs used and logged. Nodes and edges, drawn as a graph on the page.
 */
export function lineageOf(store: Store, versionKey: number): { nodes: Array<Record<string, unknown>>; edges: Array<{ from: string; to: string }> } {
  const views = store.artifactViews;
  const nodes = new Map<string, Record<string, unknown>>();
  const edges: Array<{ from: string; to: string }> = [];
  const addVersion = (k: number): string => {
    const id = `a${k}`;
    if (!nodes.has(id)) {
      const i = views.versionLabel(k);
      nodes.set(id, { id, kind: 'artifact', label: i ? `${i.name}:v${i.versionIndex}` : id, type: i?.type, focus: k === versionKey });
    }
    return id;
  };
  const addRun = (k: number): string => {
    const id = `r${k}`;
    if (!nodes.has(id)) {
      const r = views.runLabel(k);
      nodes.set(id, { id, kind: 'run', label: r ? r.name : id, path: r ? runPath(r.entity, r.project, r.id) : undefined });
    }
    return id;
  };
  addVersion(versionKey);
  for (const u of views.runsOfVersion(versionKey)) {
    const run = addRun(u.runKey);
    for (const o of views.versionsOfRun(u.runKey)) {
      const a = addVersion(o.versionKey);
      edges.push(o.direction === 'output' ? { from: run, to: a } : { from: a, to: run });
    }
  }
  const unique = [...new Map(edges.map((e) => [`${e.from}>${e.to}`, e])).values()];
  return { nodes: [...nodes.values()], edges: unique };
}

/** A sweep's stored record (table `sweeps`), or undefined when there is none. */
export function sweepRecord(store: Store, scope: Scope, sweepId: string): { config: Record<string, unknown>; state?: string; method?: string } | undefined {
  const sweep = store.sweeps.get(scope.project, sweepId);
  if (!sweep) return undefined;
  const config = sweep.config as unknown;
  return { config: config !== null && typeof config === 'object' ? sweep.config : {}, state: sweep.state, method: sweep.method };
}

/** The project's sweeps: from `sweeps`, plus any sweep id runs carry. */
export function sweepsOfProject(store: Store, scope: Scope): Array<{ id: string; runs: number; state?: string; method?: string }> {
  const fromRuns = store.runQueries.sweepIds(scope);
  const byId = new Map(fromRuns.map((r) => [r.id, { ...r } as { id: string; runs: number; state?: string; method?: string }]));
  for (const s of store.sweeps.listInProject(scope.project)) {
    byId.set(s.id, { id: s.id, runs: byId.get(s.id)?.runs ?? 0, state: s.state, method: s.method });
  }
  return [...byId.values()];
}

/** Reports written for the project (table `reports`), newest first. */
export function reportsOfProject(
  store: Store,
  scope: Scope,
): Array<{ id: string; title: string; format: string; path: string; url: string | null; createdAt: number }> {
  return store.reports.list(scope.project, 500).map((r) => ({ id: r.id, title: r.title, format: r.format, path: r.path, url: r.url, createdAt: r.createdAt }));
}

/** One report's file path, for serving it (the caller checks it lies inside the store's folder). */
export function reportPath(store: Store, scope: Scope, id: string): { path: string; format: string } | undefined {
  const r = store.reports.get(id);
  return r === undefined || r.project !== scope.project ? undefined : { path: r.path, format: r.format };
}
