/**
 * Registry collections on the dashboard: a registry project (such as `model-registry`) holds links
 * to versions of other projects, numbered v0, v1, ... within each registry collection, as W&B shows
 * them. The link page is the linked version's page under the registry's name, with where it came from.
 */
import type { Store } from '../store/index.js';
import type { Scope } from './scope.js';
import { artifactPathOf, artifactVersionByKey, hasColumns } from './sections.js';

const LINK_COLS = ['key', 'registry_project', 'portfolio', 'version_key', 'link_index'];

function linkAliases(store: Store, linkKey: number): string[] {
  const db = store.db.db;
  if (!hasColumns(db, 'artifact_link_aliases', ['alias', 'link_key'])) return [];
  return (db.prepare('SELECT alias FROM artifact_link_aliases WHERE link_key = ? ORDER BY alias').all(linkKey) as Array<{ alias: string }>).map((r) => r.alias);
}

const entityOf = (scope: Scope): string | null => (scope.entity === 'local' ? null : scope.entity);

/** The registry collections of a project, each with its links (newest first), for the project's artifact list. */
export function registryCollections(store: Store, scope: Scope): Array<Record<string, unknown>> {
  const db = store.db.db;
  if (!hasColumns(db, 'artifact_links', LINK_COLS)) return [];
  const rows = db.prepare(
    `SELECT l.key, l.portfolio, l.link_index AS linkIndex, v.digest, v.size, v.file_count AS fileCount, l.created_at AS createdAt, c.type
     FROM artifact_links l JOIN artifact_versions v ON v.key = l.version_key JOIN artifact_collections c ON c.key = v.collection_key
     WHERE l.registry_project = ? ORDER BY l.portfolio, l.link_index DESC LIMIT 2000`,
  ).all(scope.project) as Array<{ key: number; portfolio: string; linkIndex: number; type: string } & Record<string, unknown>>;
  const byName = new Map<string, { name: string; type: string; registry: true; versions: Array<Record<string, unknown>> }>();
  for (const { key, portfolio, linkIndex, type, ...facts } of rows) {
    const entry = byName.get(portfolio) ?? { name: portfolio, type, registry: true as const, versions: [] };
    byName.set(portfolio, entry);
    entry.versions.push({ ...facts, versionIndex: linkIndex, version: `v${linkIndex}`, aliases: linkAliases(store, key), path: artifactPathOf(entityOf(scope), scope.project, type, portfolio, linkIndex) });
  }
  return [...byName.values()];
}

/** The version linked at `vIndex` of registry collection `name` (of type `type`), or undefined. */
export function registryVersion(store: Store, scope: Scope, type: string, name: string, index: number): Record<string, unknown> | undefined {
  const db = store.db.db;
  if (!hasColumns(db, 'artifact_links', LINK_COLS)) return undefined;
  const link = db.prepare('SELECT key, version_key AS versionKey FROM artifact_links WHERE registry_project = ? AND portfolio = ? AND link_index = ?')
    .get(scope.project, name, index) as { key: number; versionKey: number } | undefined;
  if (link === undefined) return undefined;
  const source = artifactVersionByKey(store, link.versionKey);
  if (source === undefined || source['type'] !== type) return undefined;
  return {
    ...source,
    name,
    version: `v${index}`,
    aliases: linkAliases(store, link.key),
    linkedFrom: {
      project: source['project'],
      name: source['name'],
      version: source['version'],
      path: artifactPathOf(entityOf(scope), String(source['project']), type, String(source['name']), Number(source['versionIndex'])),
    },
  };
}
