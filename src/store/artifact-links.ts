import type { StoreDb } from './db.js';
import type { SyncState } from './artifacts.js';

/**
 * The registry half of the artifacts tables: links (a version in a registry collection, W&B's
 * "portfolio", numbered v0, v1, ... on its own) and the registry's aliases over those links.
 * createArtifactsTable composes these accessors into ArtifactsTable.
 */
export interface LinkRecord {
  key: number;
  registryProject: string;
  portfolio: string;
  versionKey: number;
  linkIndex: number;
  syncState: SyncState;
}

/** Link accessors; writes must run inside `store.write` (the callers' transactions). */
export interface ArtifactLinksTable {
  link(registryProject: string, portfolio: string, versionKey: number): LinkRecord | undefined;
  /** The link at `index` of a registry collection (its own v0, v1, ...; v0 exists iff the collection does), or named by an alias. */
  linkByIndex(registryProject: string, portfolio: string, index: number): LinkRecord | undefined;
  linkByAlias(registryProject: string, portfolio: string, alias: string): LinkRecord | undefined;
  /** Links a version into a registry collection (idempotent), returning the link. */
  addLink(registryProject: string, portfolio: string, versionKey: number, now: number): LinkRecord;
  setLinkAlias(registryProject: string, portfolio: string, alias: string, linkKey: number): void;
  linkAliases(linkKey: number): string[];
  /** The registry links of one version, oldest first. */
  linksOfVersion(versionKey: number): LinkRecord[];
  setLinkSync(linkKey: number, state: SyncState): void;
  unsentLinks(): LinkRecord[];
}

interface LinkRow {
  key: number;
  registry_project: string;
  portfolio: string;
  version_key: number;
  link_index: number;
  sync_state: string;
}
const toLink = (r: LinkRow): LinkRecord => ({
  key: r.key,
  registryProject: r.registry_project,
  portfolio: r.portfolio,
  versionKey: r.version_key,
  linkIndex: r.link_index,
  syncState: r.sync_state as SyncState,
});

/** Prepared statements over artifact_links and artifact_link_aliases. */
export function createArtifactLinksTable(store: StoreDb): ArtifactLinksTable {
  const { db } = store;
  const s = {
    link: db.prepare('SELECT * FROM artifact_links WHERE registry_project = ? AND portfolio = ? AND version_key = ?'),
    linkByIndex: db.prepare('SELECT * FROM artifact_links WHERE registry_project = ? AND portfolio = ? AND link_index = ?'),
    linkByAlias: db.prepare(
      'SELECT l.* FROM artifact_links l JOIN artifact_link_aliases a ON a.link_key = l.key WHERE a.registry_project = ? AND a.portfolio = ? AND a.alias_folded = ?',
    ),
    nextLink: db.prepare('SELECT coalesce(max(link_index) + 1, 0) AS n FROM artifact_links WHERE registry_project = ? AND portfolio = ?'),
    insertLink: db.prepare(`INSERT INTO artifact_links (registry_project, portfolio, version_key, link_index, created_at) VALUES (?, ?, ?, ?, ?)`),
    setLinkAlias: db.prepare(`INSERT INTO artifact_link_aliases (registry_project, portfolio, alias_folded, alias, link_key) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (registry_project, portfolio, alias_folded) DO UPDATE SET alias = excluded.alias, link_key = excluded.link_key`),
    linkAliases: db.prepare('SELECT alias FROM artifact_link_aliases WHERE link_key = ? ORDER BY alias'),
    linksOfVersion: db.prepare('SELECT * FROM artifact_links WHERE version_key = ? ORDER BY key'),
    setLinkSync: db.prepare('UPDATE artifact_links SET sync_state = ? WHERE key = ?'),
    unsentLinks: db.prepare(`SELECT * FROM artifact_links WHERE sync_state != 'sent' ORDER BY key`),
  };
  const oneLink = (row: unknown): LinkRecord | undefined => (row === undefined ? undefined : toLink(row as LinkRow));
  return {
    link: (rp, portfolio, versionKey) => oneLink(s.link.get(rp, portfolio, versionKey)),
    linkByIndex: (rp, portfolio, index) => oneLink(s.linkByIndex.get(rp, portfolio, index)),
    linkByAlias: (rp, portfolio, alias) => oneLink(s.linkByAlias.get(rp, portfolio, alias.toLowerCase())),
    addLink(registryProject, portfolio, versionKey, now) {
      const existing = s.link.get(registryProject, portfolio, versionKey) as LinkRow | undefined;
      if (existing !== undefined) return toLink(existing);
      const index = (s.nextLink.get(registryProject, portfolio) as { n: number }).n;
      s.insertLink.run(registryProject, portfolio, versionKey, index, now);
      return toLink(s.link.get(registryProject, portfolio, versionKey) as LinkRow);
    },
    setLinkAlias: (rp, portfolio, alias, linkKey) => void s.setLinkAlias.run(rp, portfolio, alias.toLowerCase(), alias, linkKey),
    linkAliases: (linkKey) => (s.linkAliases.all(linkKey) as Array<{ alias: string }>).map((r) => r.alias),
    linksOfVersion: (versionKey) => (s.linksOfVersion.all(versionKey) as LinkRow[]).map(toLink),
    setLinkSync: (key, state) => void s.setLinkSync.run(state, key),
    unsentLinks: () => (s.unsentLinks.all() as LinkRow[]).map(toLink),
  };
}
