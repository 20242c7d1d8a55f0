import type { StoreDb } from './db.js';

/** A sweep as a resource list shows it. */
export interface SweepEntry {
  id: string;
  project: string;
  method: string;
  state: string;
  createdAt: number;
}

/** An artifact version as a resource list shows it. */
export interface ArtifactListing {
  project: string;
  name: string;
  type: string;
  versionIndex: number;
  size: number;
  createdAt: number;
}

/** Listings across a project that the typed tables do not answer (newest first, bounded): the MCP server's resource lists. */
export interface Listings {
  /** Projects that hold a run, a sweep, an artifact or a report. */
  projects(limit: number): string[];
  sweeps(project: string, limit: number): SweepEntry[];
  artifactVersions(project: string, limit: number): ArtifactListing[];
}

/** Prepared statements for the listings. */
export function createListings(store: StoreDb): Listings {
  const { db } = store;
  const projects = db
    .prepare(
      `SELECT project FROM (SELECT project FROM runs UNION SELECT project FROM sweeps
      UNION SELECT project FROM artifact_collections UNION SELECT project FROM reports) ORDER BY project LIMIT ?`,
    )
    .pluck();
  const sweeps = db.prepare(`SELECT id, project, method, state, created_at AS createdAt FROM sweeps WHERE project = ?
    ORDER BY created_at DESC, key DESC LIMIT ?`);
  const versions = db.prepare(`SELECT c.project, c.name, c.type, v.version_index AS versionIndex, v.size, v.created_at AS createdAt
    FROM artifact_versions v JOIN artifact_collections c ON c.key = v.collection_key WHERE c.project = ?
    ORDER BY v.created_at DESC, v.key DESC LIMIT ?`);
  return {
    projects: (limit) => projects.all(limit) as string[],
    sweeps: (project, limit) => sweeps.all(project, limit) as SweepEntry[],
    artifactVersions: (project, limit) => versions.all(project, limit) as ArtifactListing[],
  };
}
