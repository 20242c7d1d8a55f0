/**
 * `artifact` / `link`: puts a version into a registry collection (W&B's model registry "portfolio")
 * with registry aliases such as `staging` or `production`. Each alias names one link at a time in
 * its registry collection and moves in the same transaction that makes the link.
 */
import { invalidInput } from '../../errors.js';
import { normalizeAliases } from '../../artifacts/index.js';
import { encodePathSegment } from '../../wandb/urls.js';
import type { ActionContext, ActionResult } from '../context.js';
import { appUrlOf, artifactIdOf, artifactsOf, configOf, describeVersion, registryOf, resolveVersion, versionRefOf } from './common.js';
import { pushLink, replicate } from '../../online/artifacts.js';

/** W&B's legacy model registry: project `model-registry` of the entity (PROTOCOL.md §6.5). */
export const MODEL_REGISTRY_PROJECT = 'model-registry';

/** `model-registry/my-model` or `my-model` (the model registry) → project and collection name. */
export function parseRegistry(registry: string | undefined): { project: string; portfolio: string } {
  const field = 'artifactConfig.registry';
  if (registry === undefined) throw invalidInput(field, 'required: the registry collection to link into, e.g. "model-registry/my-model"');
  const parts = registry.split('/');
  if (parts.length > 2) throw invalidInput(field, 'use "<registry project>/<collection>" or "<collection>"');
  const portfolio = (parts.length === 2 ? parts[1] : parts[0]) ?? '';
  const project = parts.length === 2 ? (parts[0] ?? '') : MODEL_REGISTRY_PROJECT;
  if (project.length === 0 || project.length > 128 || /[\\#?%:\s]/.test(project) || project === '.' || project === '..') {
    throw invalidInput(field, `invalid registry project "${project}"`);
  }
  if (portfolio.trim().length === 0 || portfolio.length > 128 || /[:\\\0]/.test(portfolio)) {
    throw invalidInput(field, 'the collection name must be 1-128 characters without ":" or "\\"');
  }
  return { project, portfolio };
}

export async function linkArtifactVersion(ctx: ActionContext): Promise<ActionResult> {
  const cfg = configOf(ctx);
  const ref = versionRefOf(ctx);
  const { project: registryProject, portfolio } = parseRegistry(cfg.registry);
  const { aliases, warnings } = normalizeAliases(cfg.aliases ?? [], 'artifactConfig.aliases');
  for (const w of warnings) ctx.warn(w);
  const store = ctx.store();
  const table = artifactsOf(store);
  const nowSec = ctx.now() / 1000;
  const { version, link } = store.write(() => {
    const version = resolveVersion(ctx, table, ref);
    const link = table.addLink(registryProject, portfolio, version.key, nowSec);
    for (const alias of aliases) table.setLinkAlias(registryProject, portfolio, alias, link.key);
    // A re-link must reach the server again, with the aliases it now carries.
    if (link.syncState === 'sent') table.setLinkSync(link.key, 'local');
    return { version, link };
  });
  const online =
    ctx.settings.mode === 'online'
      ? await replicate(
          ctx,
          `the link of ${version.name}:v${version.versionIndex} to ${registryProject}/${portfolio}`,
          () => store.write(() => table.setLinkSync(link.key, 'unsent')),
          async (conn) => void (await pushLink(ctx, store, conn, link)),
        )
      : undefined;
  const entity = online?.entity;
  const registryUrl =
    entity !== undefined && registryProject === MODEL_REGISTRY_PROJECT
      ? `${appUrlOf(ctx)}/${encodePathSegment(entity)}/registry/model?selectionPath=${encodeURIComponent(`${entity}/${registryProject}/${portfolio}`)}&view=membership&version=v${link.linkIndex}`
      : `${entity !== undefined ? appUrlOf(ctx) : ctx.settings.dashboardUrl}/${encodePathSegment(entity ?? ctx.settings.entity ?? 'local')}/${encodePathSegment(registryProject)}/artifacts/${encodePathSegment(version.type)}/${encodePathSegment(portfolio)}/v${link.linkIndex}`;
  const current = table.version(version.key) ?? version;
  return {
    artifactId: artifactIdOf(current),
    artifactUrl: registryUrl,
    project: version.project,
    artifact: describeVersion(table, current, {
      registry: registryOf(table, link),
    }),
    ...(online !== undefined ? { synced: online.synced } : {}),
  };
}
