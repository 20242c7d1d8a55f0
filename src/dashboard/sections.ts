/**
 * The parts of a page that come from other features' tables (alerts, artifacts, sweeps, reports).
 * Those tables are queried defensively: a table or column that is not in this store (an older
 * store, or a feature not built in) gives an empty section, never an error.
 */
import type { Database } from 'better-sqlite3';
import type { RunRecord, Store } from '../store/index.js';
import { parseExtended } from '../json/extended-json.js';
import { runPath, scopeWhere, type Scope } from './scope.js';

/** True when `table` exists with every column in `cols`. */
export function hasColumns(db: Database, table: string, cols: readonly string[]): boolean {
  const info = db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>;
  if (info.length === 0) return false;
  const names = new Set(info.map((c) => c.name));
  return cols.every((c) => names.has(c));
}

function parseJson(text: unknown, fallback: unknown): unknown {
  if (typeof text !== 'string') return fallback;
  try {
    return parseExtended(text);
  } catch {
    return fallback;
  }
}

/** The alerts a run raised, newest first (table `alerts`). */
export function alertsOfRun(store: Store, run: RunRecord): Array<Record<string, unknown>> {
  const db = store.db.db;
  if (!hasColumns(db, 'alerts', ['run_key', 'title', 'text', 'level', 'created_at'])) return [];
  const suppressed = hasColumns(db, 'alerts', ['suppressed']) ? 'suppressed' : '0';
  return (db.prepare(`SELECT title, text, level, ${suppressed} AS suppressed, created_at AS createdAt FROM alerts WHERE run_key = ? ORDER BY created_at DESC LIMIT 200`).all(run.key) as Array<Record<string, unknown>>).map((a) => ({ ...a, suppressed: a['suppressed'] === 1 }));
}

const VERSION_COLS = ['key', 'collection_key', 'version_index', 'digest', 'size', 'file_count', 'created_at'];
const COLLECTION_COLS = ['key', 'project', 'name', 'type'];

function artifactTablesExist(db: Database): boolean {
  return hasColumns(db, 'artifact_versions', VERSION_COLS) && hasColumns(db, 'artifact_collections', COLLECTION_COLS);
}

function aliasesOf(db: Database, versionKey: number): string[] {
  if (!hasColumns(db, 'artifact_aliases', ['alias', 'version_key'])) return [];
  return (db.prepare('SELECT alias FROM artifact_aliases WHERE version_key = ? ORDER BY alias').all(versionKey) as Array<{ alias: string }>).map((r) => r.alias);
}

export function artifactPathOf(entity: string | null, project: string, type: string, name: string, index: number): string {
  return `/${encodeURIComponent(entity ?? 'local')}/${encodeURIComponent(project)}/artifacts/${encodeURIComponent(type)}/${encodeURIComponent(name)}/v${index}`;
}

/** The artifact versions a run logged (outputs) and used (inputs), from `artifact_usage`. */
export function artifactsOfRun(store: Store, run: RunRecord): { logged: Array<Record<string, unknown>>; used: Array<Record<string, unknown>> } {
  const db = store.db.db;
  const out = { logged: [] as Array<Record<string, unknown>>, used: [] as Array<Record<string, unknown>> };
  if (!artifactTablesExist(db) || !hasColumns(db, 'artifact_usage', ['run_key', 'version_key', 'direction'])) return out;
  const rows = db
    .prepare(
      `SELECT u.direction, v.key AS versionKey, v.version_index AS versionIndex, v.digest, v.size, v.file_count AS fileCount,
       c.name, c.type, c.project FROM artifact_usage u JOIN artifact_versions v ON v.key = u.version_key
       JOIN artifact_collections c ON c.key = v.collection_key WHERE u.run_key = ? ORDER BY u.created_at`,
    )
    .all(run.key) as Array<{ direction: string; versionKey: number; versionIndex: number; name: string; type: string; project: string } & Record<string, unknown>>;
  for (const r of rows) {
    const item = { ...r, version: `v${r.versionIndex}`, aliases: aliasesOf(db, r.versionKey), path: artifactPathOf(run.entity, r.project, r.type, r.name, r.versionIndex) };
    (r.direction === 'output' ? out.logged : out.used).push(item);
  }
  return out;
}

/** Every artifact collection of a project with its versions (newest first) and their aliases. */
export function artifactsOfProject(store: Store, scope: Scope): Array<Record<string, unknown>> {
  const db = store.db.db;
  if (!artifactTablesExist(db)) return [];
  const cols = db.prepare('SELECT key, name, type FROM artifact_collections WHERE project = ? ORDER BY type, name LIMIT 1000').all(scope.project) as Array<{ key: number; name: string; type: string }>;
  const versions = db.prepare('SELECT key, version_index AS versionIndex, digest, size, file_count AS fileCount, created_at AS createdAt FROM artifact_versions WHERE collection_key = ? ORDER BY version_index DESC LIMIT 200');
  return cols.map((c) => ({
    name: c.name,
    type: c.type,
    versions: (versions.all(c.key) as Array<{ key: number; versionIndex: number } & Record<string, unknown>>).map((v) => ({
      ...v,
      version: `v${v.versionIndex}`,
      aliases: aliasesOf(db, v.key),
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
  return Object.entries(m.contents).slice(0, 5000).map(([path, e]) => {
    const f: ManifestEntry = { path };
    if (typeof e?.digest === 'string') f.digest = e.digest;
    if (typeof e?.size === 'number') f.size = e.size;
    if (typeof e?.ref === 'string') f.ref = e.ref;
    return f;
  });
}

/** One artifact version: facts, aliases, manifest files, and its lineage (runs that made and used it). */
export function artifactVersion(store: Store, scope: Scope, type: string, name: string, index: number): Record<string, unknown> | undefined {
  const db = store.db.db;
  if (!artifactTablesExist(db)) return undefined;
  const row = db.prepare(`SELECT v.key FROM artifact_versions v JOIN artifact_collections c ON c.key = v.collection_key
     WHERE c.project = ? AND c.type = ? AND c.name = ? AND v.version_index = ?`).get(scope.project, type, name, index) as { key: number } | undefined;
  return row === undefined ? undefined : artifactVersionByKey(store, row.key);
}

/** One artifact version by its store key (see artifactVersion). */
export function artifactVersionByKey(store: Store, versionKey: number): Record<string, unknown> | undefined {
  const db = store.db.db;
  if (!artifactTablesExist(db)) return undefined;
  const manifest = hasColumns(db, 'artifact_versions', ['manifest']) ? 'v.manifest' : "'{}'";
  const meta = hasColumns(db, 'artifact_versions', ['metadata', 'description']) ? 'v.metadata, v.description' : "'{}' AS metadata, NULL AS description";
  const v = db
    .prepare(
      `SELECT v.key, c.name, c.type, c.project, v.version_index AS versionIndex, v.digest, v.size, v.file_count AS fileCount, v.created_at AS createdAt,
       ${manifest} AS manifest, ${meta} FROM artifact_versions v JOIN artifact_collections c ON c.key = v.collection_key WHERE v.key = ?`,
    )
    .get(versionKey) as ({ key: number; name: string; type: string; versionIndex: number; manifest: string; metadata: string } & Record<string, unknown>) | undefined;
  if (!v) return undefined;
  const { manifest: mText, metadata, key, name, type, ...facts } = v;
  return {
    name,
    type,
    version: `v${v.versionIndex}`,
    ...facts,
    metadata: parseJson(metadata, {}),
    aliases: aliasesOf(db, key),
    files: manifestFiles(mText),
    lineage: lineageOf(store, key),
  };
}

/**
 * The version's lineage one hop each way: the runs that logged it and used it, and the other
 * versions those runs used and logged. Nodes and edges, drawn as a graph on the page.
 */
export function lineageOf(store: Store, versionKey: number): { nodes: Array<Record<string, unknown>>; edges: Array<{ from: string; to: string }> } {
  const db = store.db.db;
  const nodes = new Map<string, Record<string, unknown>>();
  const edges: Array<{ from: string; to: string }> = [];
  if (!hasColumns(db, 'artifact_usage', ['run_key', 'version_key', 'direction'])) return { nodes: [], edges };
  const usage = db.prepare('SELECT run_key AS runKey, direction FROM artifact_usage WHERE version_key = ?');
  const ofRun = db.prepare('SELECT version_key AS versionKey, direction FROM artifact_usage WHERE run_key = ? LIMIT 200');
  const runInfo = db.prepare('SELECT id, project, entity, display_name AS name FROM runs WHERE key = ?');
  const verInfo = db.prepare('SELECT v.version_index AS versionIndex, c.name, c.type, c.project FROM artifact_versions v JOIN artifact_collections c ON c.key = v.collection_key WHERE v.key = ?');
  const addVersion = (k: number): string => {
    const id = `a${k}`;
    if (!nodes.has(id)) {
      const i = verInfo.get(k) as { versionIndex: number; name: string; type: string; project: string } | undefined;
      nodes.set(id, { id, kind: 'artifact', label: i ? `${i.name}:v${i.versionIndex}` : id, type: i?.type, focus: k === versionKey });
    }
    return id;
  };
  const addRun = (k: number): string => {
    const id = `r${k}`;
    if (!nodes.has(id)) {
      const r = runInfo.get(k) as { id: string; project: string; entity: string | null; name: string } | undefined;
      nodes.set(id, { id, kind: 'run', label: r ? r.name : id, path: r ? runPath(r.entity, r.project, r.id) : undefined });
    }
    return id;
  };
  addVersion(versionKey);
  for (const u of usage.all(versionKey) as Array<{ runKey: number; direction: string }>) {
    const run = addRun(u.runKey);
    for (const o of ofRun.all(u.runKey) as Array<{ versionKey: number; direction: string }>) {
      const a = addVersion(o.versionKey);
      edges.push(o.direction === 'output' ? { from: run, to: a } : { from: a, to: run });
    }
  }
  const unique = [...new Map(edges.map((e) => [`${e.from}>${e.to}`, e])).values()];
  return { nodes: [...nodes.values()], edges: unique };
}

/** A sweep's stored record (table `sweeps`), or undefined when there is none. */
export function sweepRecord(store: Store, scope: Scope, sweepId: string): { config: Record<string, unknown>; state?: string; method?: string } | undefined {
  const db = store.db.db;
  if (!hasColumns(db, 'sweeps', ['id', 'project', 'config'])) return undefined;
  const extra = hasColumns(db, 'sweeps', ['state', 'method']) ? ', state, method' : '';
  const row = db.prepare(`SELECT config${extra} FROM sweeps WHERE project = ? AND id = ?`).get(scope.project, sweepId) as { config: string; state?: string; method?: string } | undefined;
  if (!row) return undefined;
  const config = parseJson(row.config, {});
  const out: { config: Record<string, unknown>; state?: string; method?: string } = { config: config !== null && typeof config === 'object' ? (config as Record<string, unknown>) : {} };
  if (row.state !== undefined) out.state = row.state;
  if (row.method !== undefined) out.method = row.method;
  return out;
}

/** The project's sweeps: from `sweeps` when present, plus any sweep id runs carry. */
export function sweepsOfProject(store: Store, scope: Scope): Array<{ id: string; runs: number; state?: string; method?: string }> {
  const db = store.db.db;
  const where = scopeWhere(scope);
  const fromRuns = db.prepare(`SELECT sweep_id AS id, count(*) AS runs FROM runs WHERE ${where.sql} AND sweep_id IS NOT NULL GROUP BY sweep_id ORDER BY max(created_at) DESC LIMIT 500`).all(...where.params) as Array<{ id: string; runs: number }>;
  const byId = new Map(fromRuns.map((r) => [r.id, { ...r } as { id: string; runs: number; state?: string; method?: string }]));
  if (hasColumns(db, 'sweeps', ['id', 'project', 'state', 'method'])) {
    for (const s of db.prepare('SELECT id, state, method FROM sweeps WHERE project = ? ORDER BY created_at DESC LIMIT 500').all(scope.project) as Array<{ id: string; state: string; method: string }>) {
      byId.set(s.id, { id: s.id, runs: byId.get(s.id)?.runs ?? 0, state: s.state, method: s.method });
    }
  }
  return [...byId.values()];
}

/** Reports written for the project (table `reports`), newest first. */
export function reportsOfProject(store: Store, scope: Scope): Array<{ id: string; title: string; format: string; path: string; url: string | null; createdAt: number }> {
  const db = store.db.db;
  if (!hasColumns(db, 'reports', ['id', 'project', 'title', 'format', 'path', 'created_at'])) return [];
  const url = hasColumns(db, 'reports', ['url']) ? 'url' : 'NULL AS url';
  return db.prepare(`SELECT id, title, format, path, ${url}, created_at AS createdAt FROM reports WHERE project = ? ORDER BY created_at DESC LIMIT 500`).all(scope.project) as Array<{ id: string; title: string; format: string; path: string; url: string | null; createdAt: number }>;
}

/** One report's file path, for serving it (the caller checks it lies inside the store's folder). */
export function reportPath(store: Store, scope: Scope, id: string): { path: string; format: string } | undefined {
  const db = store.db.db;
  if (!hasColumns(db, 'reports', ['id', 'project', 'format', 'path'])) return undefined;
  return db.prepare('SELECT path, format FROM reports WHERE project = ? AND id = ?').get(scope.project, id) as { path: string; format: string } | undefined;
}
