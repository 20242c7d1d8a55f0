import type { StoreDb } from './db.js';
import { lazyStatements } from './statements.js';

/**
 * Read models over the artifact tables (tables in artifacts.ts) for the dashboard's pages and the
 * report: joined rows shaped for display, lineage hops and registry links.
 */

/** One usage edge of a run with its version's facts. */
export interface RunArtifactRow {
  direction: 'output' | 'input';
  versionKey: number;
  versionIndex: number;
  digest: string;
  size: number;
  fileCount: number;
  name: string;
  type: string;
  project: string;
}

/** A version's facts with its manifest and metadata as stored (JSON text). */
export interface VersionFacts {
  key: number;
  name: string;
  type: string;
  project: string;
  versionIndex: number;
  digest: string;
  size: number;
  fileCount: number;
  createdAt: number;
  manifest: string;
  metadata: string;
  description: string | null;
}

/** A link of a registry collection with the linked version's facts. */
export interface RegistryLinkRow {
  key: number;
  portfolio: string;
  linkIndex: number;
  digest: string;
  size: number;
  fileCount: number;
  createdAt: number;
  type: string;
}

export interface ArtifactViews {
  /** The versions a run logged and used, in order of use (ties by collection name). */
  ofRun(runKey: number): RunArtifactRow[];
  /** A project's collections by type and name (at most 1,000). */
  collections(project: string): Array<{ key: number; name: string; type: string }>;
  /** A collection's versions, newest first (at most 200). */
  versions(collectionKey: number): Array<{ key: number; versionIndex: number; digest: string; size: number; fileCount: number; createdAt: number }>;
  /** The key of version `index` of collection `name` (of type `type`) in a project. */
  versionKeyAt(project: string, type: string, name: string, index: number): number | undefined;
  versionFacts(versionKey: number): VersionFacts | undefined;
  /** The runs that logged or used a version. */
  runsOfVersion(versionKey: number): Array<{ runKey: number; direction: string }>;
  /** The versions a run logged or used (at most 200). */
  versionsOfRun(runKey: number): Array<{ versionKey: number; direction: string }>;
  /** What a lineage graph labels a run with. */
  runLabel(runKey: number): { id: string; project: string; entity: string | null; name: string } | undefined;
  /** What a lineage graph labels a version with. */
  versionLabel(versionKey: number): { versionIndex: number; name: string; type: string; project: string } | undefined;
  /** The links of a registry project, by collection and newest first (at most 2,000). */
  registryLinks(registryProject: string): RegistryLinkRow[];
  /** Every registry project with links, by name, with its collection and link counts (at most 200). */
  registries(): Array<{ project: string; collections: number; links: number; lastLinkedAt: number }>;
}

export function createArtifactViews(store: StoreDb): ArtifactViews {
  const s = lazyStatements(store.db, {
    ofRun: `SELECT u.direction, v.key AS versionKey, v.version_index AS versionIndex, v.digest, v.size, v.file_count AS fileCount,
       c.name, c.type, c.project FROM artifact_usage u JOIN artifact_versions v ON v.key = u.version_key
       JOIN artifact_collections c ON c.key = v.collection_key WHERE u.run_key = ? ORDER BY u.created_at, c.name`,
    collections: 'SELECT key, name, type FROM artifact_collections WHERE project = ? ORDER BY type, name LIMIT 1000',
    versions:
      'SELECT key, version_index AS versionIndex, digest, size, file_count AS fileCount, created_at AS createdAt FROM artifact_versions WHERE collection_key = ? ORDER BY version_index DESC LIMIT 200',
    keyAt: `SELECT v.key FROM artifact_versions v JOIN artifact_collections c ON c.key = v.collection_key
     WHERE c.project = ? AND c.type = ? AND c.name = ? AND v.version_index = ?`,
    facts: `SELECT v.key, c.name, c.type, c.project, v.version_index AS versionIndex, v.digest, v.size, v.file_count AS fileCount, v.created_at AS createdAt,
       v.manifest AS manifest, v.metadata, v.description FROM artifact_versions v JOIN artifact_collections c ON c.key = v.collection_key WHERE v.key = ?`,
    runsOf: 'SELECT run_key AS runKey, direction FROM artifact_usage WHERE version_key = ?',
    versionsOf: 'SELECT version_key AS versionKey, direction FROM artifact_usage WHERE run_key = ? LIMIT 200',
    runLabel: 'SELECT id, project, entity, display_name AS name FROM runs WHERE key = ?',
    versionLabel:
      'SELECT v.version_index AS versionIndex, c.name, c.type, c.project FROM artifact_versions v JOIN artifact_collections c ON c.key = v.collection_key WHERE v.key = ?',
    registry: `SELECT l.key, l.portfolio, l.link_index AS linkIndex, v.digest, v.size, v.file_count AS fileCount, l.created_at AS createdAt, c.type
     FROM artifact_links l JOIN artifact_versions v ON v.key = l.version_key JOIN artifact_collections c ON c.key = v.collection_key
     WHERE l.registry_project = ? ORDER BY l.portfolio, l.link_index DESC LIMIT 2000`,
    registries: `SELECT registry_project AS project, count(DISTINCT portfolio) AS collections, count(*) AS links, max(created_at) AS lastLinkedAt
     FROM artifact_links GROUP BY registry_project ORDER BY registry_project LIMIT 200`,
  });
  return {
    ofRun: (runKey) => s.ofRun.all(runKey) as RunArtifactRow[],
    collections: (project) => s.collections.all(project) as Array<{ key: number; name: string; type: string }>,
    versions: (collectionKey) => s.versions.all(collectionKey) as ReturnType<ArtifactViews['versions']>,
    versionKeyAt: (project, type, name, index) => (s.keyAt.get(project, type, name, index) as { key: number } | undefined)?.key,
    versionFacts: (versionKey) => s.facts.get(versionKey) as VersionFacts | undefined,
    runsOfVersion: (versionKey) => s.runsOf.all(versionKey) as Array<{ runKey: number; direction: string }>,
    versionsOfRun: (runKey) => s.versionsOf.all(runKey) as Array<{ versionKey: number; direction: string }>,
    runLabel: (runKey) => s.runLabel.get(runKey) as ReturnType<ArtifactViews['runLabel']>,
    versionLabel: (versionKey) => s.versionLabel.get(versionKey) as ReturnType<ArtifactViews['versionLabel']>,
    registryLinks: (registryProject) => s.registry.all(registryProject) as RegistryLinkRow[],
    registries: () => s.registries.all() as ReturnType<ArtifactViews['registries']>,
  };
}
