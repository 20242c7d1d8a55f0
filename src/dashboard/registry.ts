/**
 * Registry collections on the dashboard: a registry project (such as `model-registry`) holds links
 * to versions of other projects, numbered v0, v1, ... within each registry collection, as W&B shows
 * them. The link page is the linked version's page under the registry's name, with where it came from.
 */
import type { Store } from '../store/index.js';
import type { Scope } from './scope.js';
import { artifactPathOf, artifactVersionByKey } from './sections.js';

const linkAliases = (store: Store, linkKey: number): string[] => store.artifacts.linkAliases(linkKey);

const entityOf = (scope: Scope): string | null => (scope.entity === 'local' ? null : scope.entity);

/** The registry collections of a project, each with its links (newest first), for the project's artifact list. */
export function registryCollections(store: Store, scope: Scope): Array<Record<string, unknown>> {
  const rows = store.artifactViews.registryLinks(scope.project);
  const byName = new Map<string, { name: string; type: string; registry: true; versions: Array<Record<string, unknown>> }>();
  for (const { key, portfolio, linkIndex, type, ...facts } of rows) {
    const entry = byName.get(portfolio) ?? { name: portfolio, type, registry: true as const, versions: [] };
    byName.set(portfolio, entry);
    entry.versions.push({
      ...facts,
      versionIndex: linkIndex,
      version: `v${linkIndex}`,
      aliases: linkAliases(store, key),
      path: artifactPathOf(entityOf(scope), scope.project, type, portfolio, linkIndex),
    });
  }
  return [...byName.values()];
}

/** The version linked at `vIndex` of registry collection `name` (of type `type`), or undefined. */
export function registryVersion(store: Store, scope: Scope, type: string, name: string, index: number): Record<string, unknown> | undefined {
  const link = store.artifacts.linkByIndex(scope.project, name, index);
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

/** Where a version (by store key) is linked in registries: each link's collection, version, aliases and page. */
function registryLinksOf(store: Store, scope: Scope, type: string, versionKey: number): Array<Record<string, unknown>> {
  return store.artifacts.linksOfVersion(versionKey).map((l) => ({
    registry: l.registryProject,
    name: l.portfolio,
    version: `v${l.linkIndex}`,
    aliases: linkAliases(store, l.key),
    path: artifactPathOf(entityOf(scope), l.registryProject, type, l.portfolio, l.linkIndex),
  }));
}

/** Version `index` of a project's collection `name` (of type `type`) with the registry links made of it (`linkedTo`), or undefined. */
export function projectVersion(store: Store, scope: Scope, type: string, name: string, index: number): Record<string, unknown> | undefined {
  const key = store.artifactViews.versionKeyAt(scope.project, type, name, index);
  if (key === undefined) return undefined;
  const version = artifactVersionByKey(store, key);
  return version && { ...version, linkedTo: registryLinksOf(store, scope, type, key) };
}
