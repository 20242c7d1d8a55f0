/**
 * `artifact` / `download`: a version's files into `artifactConfig.downloadPath`. Every entry path is
 * checked before anything is written, and no write leaves the folder (not even through a symbolic
 * link already inside it), nor onto the tool's store or data folders. A download records no
 * lineage, as W&B's `Artifact.download()`.
 */
import { SkillError, invalidInput } from '../../errors.js';
import type { ManifestV1 } from '../../artifacts/index.js';
import type { ActionContext, ActionResult } from '../context.js';
import { artifactsOf, configOf, contentStoreFor, registryOf, resolveRef, versionRefOf, versionResult } from './common.js';
import { callerFolder } from './materialize.js';
import { protectedReason, toolPaths } from '../../protected-paths.js';

export async function downloadArtifact(ctx: ActionContext): Promise<ActionResult> {
  const cfg = configOf(ctx);
  const ref = versionRefOf(ctx);
  if (cfg.downloadPath === undefined) throw invalidInput('artifactConfig.downloadPath', 'required: the folder to write the files into');
  const target = callerFolder(ctx, cfg.downloadPath, 'artifactConfig.downloadPath');
  const store = ctx.store();
  const table = artifactsOf(store);
  const { version, link } = resolveRef(ctx, table, ref);
  const manifest = JSON.parse(version.manifest) as ManifestV1;
  const tp = toolPaths(ctx.settings);
  // No entry may land on the store or the tool's folders (an artifact of "." holds them when it was
  // logged before collecting skipped them); checked for every entry before anything is written.
  const refuse = (abs: string): string | undefined => protectedReason(tp, abs);
  const result = await contentStoreFor(ctx)
    .materialize(manifest, target, { refuse, field: 'artifactConfig.downloadPath' })
    .catch((err: unknown) => {
      // The store names the manifest entry; the caller's field is the folder that would be left.
      if (err instanceof SkillError && err.code === 'INVALID_INPUT')
        throw invalidInput('artifactConfig.downloadPath', err.details?.issues?.[0]?.message ?? err.message);
      throw err;
    });
  if (result.references.length > 0) ctx.warn(`${result.references.length} reference entries are not copied; fetch them from their URIs`);
  return versionResult(ctx, table, version, {
    path: target,
    written: result.written.length,
    ...(link !== undefined ? { registry: registryOf(table, link) } : {}),
  });
}
