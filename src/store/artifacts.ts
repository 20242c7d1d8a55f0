import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';
import { createArtifactLinksTable, type ArtifactLinksTable, type LinkRecord } from './artifact-links.js';

export type { ArtifactLinksTable, LinkRecord };

/**
 * The artifacts tables: collections (one per project and name, with a fixed type), versions
 * (v0, v1, ... per collection, unique by digest), aliases (one version per alias per collection),
 * usage edges (run -> version as output or input: the lineage), and registry links (a version in a
 * registry collection, W&B's "portfolio", with the registry's own aliases).
 * `sync_state` on versions, edges and links says what the W&B server has not seen yet.
 */
export const ARTIFACT_MIGRATIONS: readonly Migration[] = [
  {
    name: '001-artifacts',
    sql: `
  CREATE TABLE artifact_collections (
    key         INTEGER PRIMARY KEY,
    project     TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    created_at  REAL NOT NULL,
    UNIQUE (project, name)
  );
  CREATE TABLE artifact_versions (
    key            INTEGER PRIMARY KEY,
    collection_key INTEGER NOT NULL REFERENCES artifact_collections (key),
    version_index  INTEGER NOT NULL,
    digest         TEXT NOT NULL,
    manifest       TEXT NOT NULL,
    size           INTEGER NOT NULL,
    file_count     INTEGER NOT NULL,
    description    TEXT,
    metadata       TEXT NOT NULL DEFAULT '{}',
    created_by     INTEGER REFERENCES runs (key),
    created_at     REAL NOT NULL,
    state          TEXT NOT NULL DEFAULT 'committed',
    client_id      TEXT NOT NULL,
    server_id      TEXT,
    sync_state     TEXT NOT NULL DEFAULT 'local',
    UNIQUE (collection_key, version_index),
    UNIQUE (collection_key, digest)
  );
  CREATE INDEX artifact_versions_unsent ON artifact_versions (sync_state);
  CREATE TABLE artifact_aliases (
    collection_key INTEGER NOT NULL REFERENCES artifact_collections (key),
    alias_folded   TEXT NOT NULL,
    alias          TEXT NOT NULL,
    version_key    INTEGER NOT NULL REFERENCES artifact_versions (key),
    PRIMARY KEY (collection_key, alias_folded)
  );
  CREATE INDEX artifact_aliases_by_version ON artifact_aliases (version_key);
  CREATE TABLE artifact_usage (
    run_key     INTEGER NOT NULL REFERENCES runs (key),
    version_key INTEGER NOT NULL REFERENCES artifact_versions (key),
    direction   TEXT NOT NULL CHECK (direction IN ('output', 'input')),
    created_at  REAL NOT NULL,
    sync_state  TEXT NOT NULL DEFAULT 'local',
    PRIMARY KEY (run_key, version_key, direction)
  );
  CREATE INDEX artifact_usage_by_version ON artifact_usage (version_key);
  CREATE TABLE artifact_links (
    key              INTEGER PRIMARY KEY,
    registry_project TEXT NOT NULL,
    portfolio        TEXT NOT NULL,
    version_key      INTEGER NOT NULL REFERENCES artifact_versions (key),
    link_index       INTEGER NOT NULL,
    created_at       REAL NOT NULL,
    sync_state       TEXT NOT NULL DEFAULT 'local',
    UNIQUE (registry_project, portfolio, version_key),
    UNIQUE (registry_project, portfolio, link_index)
  );
  CREATE TABLE artifact_link_aliases (
    registry_project TEXT NOT NULL,
    portfolio        TEXT NOT NULL,
    alias_folded     TEXT NOT NULL,
    alias            TEXT NOT NULL,
    link_key         INTEGER NOT NULL REFERENCES artifact_links (key),
    PRIMARY KEY (registry_project, portfolio, alias_folded)
  );`,
  },
  {
    // The run's history step when it made a version (W&B's createArtifact `historyStep`), kept so a
    // later sync sends the step of the log, not the step the run has reached by then.
    name: '002-artifact-usage-history-step',
    sql: 'ALTER TABLE artifact_usage ADD COLUMN history_step INTEGER;',
  },
];

/** `local`: never tried (offline); `unsent`: the server failed, `sync` retries; `sent`: on the server. */
export type SyncState = 'local' | 'unsent' | 'sent';

export interface CollectionRecord {
  key: number;
  project: string;
  name: string;
  type: string;
}

export interface VersionRecord {
  key: number;
  collectionKey: number;
  project: string;
  name: string;
  type: string;
  versionIndex: number;
  digest: string;
  /** The manifest JSON as stored (W&B's version-1 manifest). */
  manifest: string;
  size: number;
  fileCount: number;
  description: string | null;
  metadata: Record<string, unknown>;
  createdBy: number | null;
  createdAt: number;
  clientId: string;
  serverId: string | null;
  syncState: SyncState;
}

export type NewVersion = Pick<
  VersionRecord,
  'collectionKey' | 'digest' | 'manifest' | 'size' | 'fileCount' | 'description' | 'metadata' | 'createdBy' | 'clientId'
> & { now: number };

export interface UsageEdge {
  runKey: number;
  versionKey: number;
  direction: 'output' | 'input';
  syncState: SyncState;
  /** For an output: the run's history step when it made the version (null for older edges). */
  historyStep: number | null;
}

interface VersionRow {
  key: number;
  collection_key: number;
  project: string;
  name: string;
  type: string;
  version_index: number;
  digest: string;
  manifest: string;
  size: number;
  file_count: number;
  description: string | null;
  metadata: string;
  created_by: number | null;
  created_at: number;
  client_id: string;
  server_id: string | null;
  sync_state: string;
}

function toVersion(r: VersionRow): VersionRecord {
  return {
    key: r.key,
    collectionKey: r.collection_key,
    project: r.project,
    name: r.name,
    type: r.type,
    versionIndex: r.version_index,
    digest: r.digest,
    manifest: r.manifest,
    size: r.size,
    fileCount: r.file_count,
    description: r.description,
    metadata: JSON.parse(r.metadata) as Record<string, unknown>,
    createdBy: r.created_by,
    createdAt: r.created_at,
    clientId: r.client_id,
    serverId: r.server_id,
    syncState: r.sync_state as SyncState,
  };
}

/** Table accessors; writes must run inside `store.write` (the callers' transactions). */
export interface ArtifactsTable extends ArtifactLinksTable {
  collection(project: string, name: string): CollectionRecord | undefined;
  insertCollection(project: string, name: string, type: string, now: number): CollectionRecord;
  version(key: number): VersionRecord | undefined;
  versionByIndex(collectionKey: number, index: number): VersionRecord | undefined;
  versionByDigest(collectionKey: number, digest: string): VersionRecord | undefined;
  versionByAlias(collectionKey: number, alias: string): VersionRecord | undefined;
  /** The next version index of a collection (call inside the write lock). */
  nextIndex(collectionKey: number): number;
  insertVersion(v: NewVersion): VersionRecord;
  /** Points `alias` at `versionKey`, taking it from any other version of the collection. */
  setAlias(collectionKey: number, alias: string, versionKey: number): void;
  aliasesOf(versionKey: number): string[];
  /** Records a usage edge (idempotent: an existing edge keeps its sync state and step). */
  addUsage(runKey: number, versionKey: number, direction: 'output' | 'input', now: number, historyStep?: number): void;
  usageOfVersion(versionKey: number): UsageEdge[];
  usageOfRun(runKey: number): UsageEdge[];
  setVersionSync(versionKey: number, state: SyncState, serverId: string | null): void;
  setUsageSync(runKey: number, versionKey: number, direction: 'output' | 'input', state: SyncState): void;
  unsentVersions(): VersionRecord[];
  unsentInputs(): UsageEdge[];
  /** Output edges not yet sent (a run that logged content identical to an existing version). */
  unsentOutputs(): UsageEdge[];
}

const VERSION_SELECT = `SELECT v.*, c.project, c.name, c.type FROM artifact_versions v JOIN artifact_collections c ON c.key = v.collection_key`;

interface UsageRow {
  run_key: number;
  version_key: number;
  direction: 'output' | 'input';
  sync_state: string;
  history_step: number | null;
}
const toUsage = (r: UsageRow): UsageEdge => ({
  runKey: r.run_key,
  versionKey: r.version_key,
  direction: r.direction,
  syncState: r.sync_state as SyncState,
  historyStep: r.history_step,
});

/** Prepared statements over the artifacts tables. */
export function createArtifactsTable(store: StoreDb): ArtifactsTable {
  const { db } = store;
  const s = {
    collection: db.prepare('SELECT key, project, name, type FROM artifact_collections WHERE project = ? AND name = ?'),
    insertCollection: db.prepare('INSERT INTO artifact_collections (project, name, type, created_at) VALUES (?, ?, ?, ?)'),
    version: db.prepare(`${VERSION_SELECT} WHERE v.key = ?`),
    byIndex: db.prepare(`${VERSION_SELECT} WHERE v.collection_key = ? AND v.version_index = ?`),
    byDigest: db.prepare(`${VERSION_SELECT} WHERE v.collection_key = ? AND v.digest = ?`),
    byAlias: db.prepare(`${VERSION_SELECT} JOIN artifact_aliases a ON a.version_key = v.key WHERE a.collection_key = ? AND a.alias_folded = ?`),
    nextIndex: db.prepare('SELECT coalesce(max(version_index) + 1, 0) AS n FROM artifact_versions WHERE collection_key = ?'),
    insertVersion: db.prepare(`INSERT INTO artifact_versions (collection_key, version_index, digest, manifest, size, file_count,
      description, metadata, created_by, created_at, client_id) VALUES (@collectionKey, @versionIndex, @digest, @manifest, @size,
      @fileCount, @description, @metadata, @createdBy, @now, @clientId)`),
    setAlias: db.prepare(`INSERT INTO artifact_aliases (collection_key, alias_folded, alias, version_key) VALUES (?, ?, ?, ?)
      ON CONFLICT (collection_key, alias_folded) DO UPDATE SET alias = excluded.alias, version_key = excluded.version_key`),
    aliasesOf: db.prepare('SELECT alias FROM artifact_aliases WHERE version_key = ? ORDER BY alias'),
    addUsage: db.prepare(`INSERT INTO artifact_usage (run_key, version_key, direction, created_at, history_step) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING`),
    usageOfVersion: db.prepare('SELECT * FROM artifact_usage WHERE version_key = ? ORDER BY created_at, run_key'),
    usageOfRun: db.prepare('SELECT * FROM artifact_usage WHERE run_key = ? ORDER BY created_at, version_key'),
    setVersionSync: db.prepare('UPDATE artifact_versions SET sync_state = ?, server_id = coalesce(?, server_id) WHERE key = ?'),
    setUsageSync: db.prepare('UPDATE artifact_usage SET sync_state = ? WHERE run_key = ? AND version_key = ? AND direction = ?'),
    unsentVersions: db.prepare(`${VERSION_SELECT} WHERE v.sync_state != 'sent' ORDER BY v.key`),
    unsentUsage: db.prepare(`SELECT * FROM artifact_usage WHERE direction = ? AND sync_state != 'sent' ORDER BY created_at`),
  };
  const one = (row: unknown): VersionRecord | undefined => (row === undefined ? undefined : toVersion(row as VersionRow));
  return {
    ...createArtifactLinksTable(store),
    collection: (project, name) => s.collection.get(project, name) as CollectionRecord | undefined,
    insertCollection: (project, name, type, now) => ({ key: Number(s.insertCollection.run(project, name, type, now).lastInsertRowid), project, name, type }),
    version: (key) => one(s.version.get(key)),
    versionByIndex: (c, i) => one(s.byIndex.get(c, i)),
    versionByDigest: (c, d) => one(s.byDigest.get(c, d)),
    versionByAlias: (c, alias) => one(s.byAlias.get(c, alias.toLowerCase())),
    nextIndex: (c) => (s.nextIndex.get(c) as { n: number }).n,
    insertVersion(v) {
      const versionIndex = (s.nextIndex.get(v.collectionKey) as { n: number }).n;
      const key = Number(s.insertVersion.run({ ...v, versionIndex, metadata: JSON.stringify(v.metadata) }).lastInsertRowid);
      return toVersion(s.version.get(key) as VersionRow);
    },
    setAlias: (c, alias, versionKey) => void s.setAlias.run(c, alias.toLowerCase(), alias, versionKey),
    aliasesOf: (versionKey) => (s.aliasesOf.all(versionKey) as Array<{ alias: string }>).map((r) => r.alias),
    addUsage: (runKey, versionKey, direction, now, historyStep) => void s.addUsage.run(runKey, versionKey, direction, now, historyStep ?? null),
    usageOfVersion: (versionKey) => (s.usageOfVersion.all(versionKey) as UsageRow[]).map(toUsage),
    usageOfRun: (runKey) => (s.usageOfRun.all(runKey) as UsageRow[]).map(toUsage),
    setVersionSync: (key, state, serverId) => void s.setVersionSync.run(state, serverId, key),
    setUsageSync: (runKey, versionKey, direction, state) => void s.setUsageSync.run(state, runKey, versionKey, direction),
    unsentVersions: () => (s.unsentVersions.all() as VersionRow[]).map(toVersion),
    unsentInputs: () => (s.unsentUsage.all('input') as UsageRow[]).map(toUsage),
    unsentOutputs: () => (s.unsentUsage.all('output') as UsageRow[]).map(toUsage),
  };
}
