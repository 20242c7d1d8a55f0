/** The `query` kinds over sweeps and artifacts: sweep (state, runs, best run), artifact (a version, its versions, files and lineage), collections. */
import { invalidInput } from '../../errors.js';
import { parseArtifactRef } from '../../artifacts/index.js';
import { fitItems, fitPage, jsonBytes, shrinkToFit } from '../../query/paging.js';
import { sweepStatus } from '../sweep/status.js';
import { lineageOf } from '../artifact/lineage.js';
import { artifactIdOf, artifactUrlOf, describeVersion, registryOf, resolveRef } from '../artifact/common.js';
import { MODEL_REGISTRY_PROJECT } from '../artifact/link.js';
import type { QueryPart, QueryScope } from '../query.js';

/** Sweep runs per page when perPage is not given. */
const DEFAULT_SWEEP_PAGE = 50;
/** Manifest entries listed per version, at most (the version's fileCount says how many there are). */
const MAX_FILES = 200;

/** `kind: sweep`: W&B's sweep object with `best_run()`: state, method, metric, config and best run; its runs paged. */
export async function querySweep(s: QueryScope): Promise<QueryPart> {
  if (s.ctx.input.sweepId === undefined) throw invalidInput('sweepId', 'query kind "sweep" reads one sweep: give sweepId');
  const status = await sweepStatus(s.ctx);
  const { runs = [], ...sweep } = (status.sweep ?? {}) as { runs?: Array<Record<string, unknown>> } & Record<string, unknown>;
  const limit = s.cfg.perPage ?? DEFAULT_SWEEP_PAGE;
  const head = jsonBytes(sweep);
  const sweepShown = head <= s.room / 2 ? sweep : shrinkToFit(sweep, s.room / 2, ['config', 'earlyTerminate']).value;
  const page = runs.slice(s.offset, s.offset + limit);
  const fitted = fitPage(page, s.room - jsonBytes(sweepShown), ['config']);
  const end = s.offset + fitted.shown.length;
  return {
    fields: { sweep: sweepShown, total: runs.length, runs: fitted.shown },
    next: end < runs.length ? end : undefined,
    truncated: fitted.cut || sweepShown !== sweep,
    top: { ...(status.sweepId !== undefined ? { sweepId: status.sweepId } : {}), ...(status.sweepUrl !== undefined ? { sweepUrl: status.sweepUrl } : {}) },
  };
}

/** The manifest's entries (path, digest, size), in order, at most MAX_FILES. */
function filesOf(manifest: string): Array<{ path: string; digest?: unknown; size?: unknown; ref?: unknown }> {
  try {
    const m = JSON.parse(manifest) as { contents?: Record<string, { digest?: unknown; size?: unknown; ref?: unknown }> };
    return Object.entries(m.contents ?? {})
      .slice(0, MAX_FILES)
      .map(([path, e]) => ({ path, digest: e.digest, size: e.size, ...(e.ref !== undefined ? { ref: e.ref } : {}) }));
  } catch {
    return [];
  }
}

/** `kind: artifact`: W&B's api.artifact("name:alias"): the version, its files, the collection's versions and aliases, and its lineage. */
export function queryArtifact(s: QueryScope): QueryPart {
  const { ctx, cfg } = s;
  if (cfg.artifact === undefined) throw invalidInput('queryConfig.artifact', 'query kind "artifact" reads one version: give name:alias or name:vN');
  const store = ctx.store();
  const table = store.artifacts;
  const ref = parseArtifactRef(cfg.artifact, 'queryConfig.artifact');
  const { version, link } = resolveRef(ctx, table, { ...ref, project: ref.project ?? s.projects[0] ?? ctx.settings.project }, 'queryConfig.artifact');
  const versions = store.artifactViews.versions(version.collectionKey).map((v) => ({
    version: `v${v.versionIndex}`,
    aliases: table.aliasesOf(v.key),
    digest: v.digest,
    size: v.size,
    fileCount: v.fileCount,
    createdAt: new Date(v.createdAt * 1000).toISOString(),
  }));
  const artifact = {
    ...describeVersion(table, version),
    project: version.project,
    ...(version.description !== null ? { description: version.description } : {}),
    metadata: version.metadata,
    createdAt: new Date(version.createdAt * 1000).toISOString(),
    ...(link !== undefined ? { registry: registryOf(table, link) } : {}),
    files: filesOf(version.manifest),
    versions,
    lineage: lineageOf(store, table, version),
  };
  const fits = jsonBytes(artifact) <= s.room;
  const shown = fits ? artifact : shrinkToFit(artifact, s.room - 120, ['description', 'metadata']);
  let value: Record<string, unknown> = 'omitted' in shown ? { ...shown.value, omitted: shown.omitted } : artifact;
  // Still too big: fewer files and versions (fileCount and the version list's head say what there is).
  for (const key of ['files', 'versions'] as const) {
    if (jsonBytes(value) <= s.room) break;
    const list = value[key] as unknown[];
    const kept = fitItems(list, Math.max(2, jsonBytes(list) - (jsonBytes(value) - s.room)), false).items;
    value = { ...value, [key]: kept, [`${key}Omitted`]: list.length - kept.length };
  }
  return {
    fields: { artifact: value },
    truncated: !fits,
    top: { artifactId: artifactIdOf(version), artifactUrl: artifactUrlOf(ctx, version) },
  };
}

/** `kind: collections`: the projects' artifact collections (versions, the latest's aliases) and the registry's linked collections. */
export function queryCollections(s: QueryScope): QueryPart {
  const { ctx, cfg } = s;
  const store = ctx.store();
  const views = store.artifactViews;
  const items: Array<Record<string, unknown>> = [];
  for (const project of s.projects) {
    for (const c of views.collections(project)) {
      if (cfg.artifactType !== undefined && c.type !== cfg.artifactType) continue;
      const versions = views.versions(c.key);
      const latest = versions[0];
      items.push({
        project,
        name: c.name,
        type: c.type,
        versions: versions.length,
        ...(latest !== undefined ? { latest: `v${latest.versionIndex}`, latestAliases: store.artifacts.aliasesOf(latest.key), size: latest.size } : {}),
      });
    }
  }
  const registries = [...new Set([MODEL_REGISTRY_PROJECT, ...s.projects])];
  for (const registry of registries) {
    const byPortfolio = new Map<string, Array<(typeof links)[number]>>();
    const links = views.registryLinks(registry).filter((l) => cfg.artifactType === undefined || l.type === cfg.artifactType);
    for (const l of links) byPortfolio.set(l.portfolio, [...(byPortfolio.get(l.portfolio) ?? []), l]);
    for (const [portfolio, ls] of byPortfolio) {
      items.push({
        registry,
        name: portfolio,
        type: ls[0]?.type,
        versions: ls.length,
        links: ls.slice(0, 20).map((l) => ({ version: `v${l.linkIndex}`, digest: l.digest })),
      });
    }
  }
  const limit = cfg.perPage ?? 100;
  const fitted = fitPage(items.slice(s.offset, s.offset + limit), s.room, ['links', 'latestAliases']);
  const end = s.offset + fitted.shown.length;
  return {
    fields: { total: items.length, collections: fitted.shown },
    next: end < items.length ? end : undefined,
    truncated: fitted.cut,
  };
}
