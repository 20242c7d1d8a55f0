/**
 * `artifact` / `use`: `name:alias` or `name:vN` (default `latest`) becomes an input of the acting
 * run, and its files are made available in a local folder (`artifact.path`).
 */
import type { ActionContext, ActionResult } from '../context.js';
import { artifactsOf, contentStoreFor, findActingRun, registryOf, resolveRef, versionRefOf, versionResult } from './common.js';
import { materializeVersion } from './materialize.js';
import { pushInput, replicate } from '../../online/artifacts.js';

export async function useArtifact(ctx: ActionContext): Promise<ActionResult> {
  const ref = versionRefOf(ctx);
  const store = ctx.store();
  const table = artifactsOf(store);
  const nowSec = ctx.now() / 1000;
  const { version, link, run } = store.write(() => {
    const { version, link } = resolveRef(ctx, table, ref);
    const run = findActingRun(ctx, store);
    if (run !== undefined) table.addUsage(run.key, version.key, 'input', nowSec);
    return { version, link, run };
  });
  if (run === undefined)
    ctx.warn(`no run found (runId, WANDB_RUN_ID or a running runConfig.name): the use of ${version.name}:v${version.versionIndex} is not recorded in lineage`);
  const local = await materializeVersion(ctx, contentStoreFor(ctx), version);
  if (local.references > 0) ctx.warn(`${local.references} reference entries are not copied; fetch them from their URIs`);
  const online =
    ctx.settings.mode === 'online' && run !== undefined
      ? await replicate(
          ctx,
          `the use of ${version.name}:v${version.versionIndex}`,
          () => store.write(() => table.setUsageSync(run.key, version.key, 'input', 'unsent')),
          (conn) => pushInput(ctx, store, conn, version, run),
        )
      : undefined;
  const current = table.version(version.key) ?? version;
  return {
    ...versionResult(
      ctx,
      table,
      current,
      { path: local.path, reused: local.reused, ...(link !== undefined ? { registry: registryOf(table, link) } : {}) },
      online?.entity,
    ),
    ...(run !== undefined ? { runId: run.id } : {}),
    ...(online !== undefined ? { synced: online.synced } : {}),
  };
}
