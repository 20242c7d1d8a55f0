/**
 * `artifact` / `log`: a file, a folder and/or references become a new version of a collection
 * (v0, v1, ...), an output of the acting run, with `latest` moved to it. Identical content (same
 * artifact digest) returns the existing version and stores nothing new.
 */
import { SkillError, invalidInput } from '../../errors.js';
import {
  type ManifestV1,
  LATEST_ALIAS,
  artifactDigest,
  assertArtifactName,
  assertArtifactType,
  commitVersion,
  createManifest,
  normalizeAliases,
} from '../../artifacts/index.js';
import type { ArtifactsTable, CollectionRecord } from '../../store/artifacts.js';
import type { ActionContext, ActionResult } from '../context.js';
import { type LogProgress, planEntries, storeFiles } from './collect.js';
import { artifactsOf, configOf, contentStoreFor, findActingRun, versionResult } from './common.js';
import { replicateLoggedVersion } from '../../online/artifacts.js';
import { toolPaths } from '../../protected-paths.js';

export type { LogProgress } from './collect.js';

export interface LogArtifactOptions {
  /** Called as bytes are hashed and stored (a CLI draws its progress bar on a terminal from it). */
  onProgress?: (p: LogProgress) => void;
}

/** Logs the version described by `ctx.input.artifactConfig`. */
export async function logArtifact(ctx: ActionContext, options: LogArtifactOptions = {}): Promise<ActionResult> {
  const cfg = configOf(ctx);
  if (cfg.name === undefined) throw invalidInput('artifactConfig.name', 'required: the collection to log into');
  if (cfg.name.includes(':')) throw invalidInput('artifactConfig.name', 'log takes a collection name; the version is assigned (v0, v1, ...)');
  assertArtifactName(cfg.name, 'artifactConfig.name');
  if (cfg.type === undefined) throw invalidInput('artifactConfig.type', 'required to log an artifact (e.g. "dataset", "model")');
  assertArtifactType(cfg.type, cfg.name, 'artifactConfig.type');
  if (cfg.path === undefined && (cfg.references ?? []).length === 0) {
    throw invalidInput('artifactConfig.path', 'log needs a path (a file or folder) or references');
  }
  const { aliases, warnings } = normalizeAliases(cfg.aliases ?? [], 'artifactConfig.aliases');
  for (const w of warnings) ctx.warn(w);
  const name = cfg.name;
  const type = cfg.type;
  const { settings } = ctx;
  if (settings.mode === 'disabled') {
    return { artifact: { name, type, version: 'v0', digest: '', aliases, size: 0, fileCount: 0 } };
  }
  const store = ctx.store();
  const table = artifactsOf(store);
  const project = settings.project;
  // Refuse a type clash before copying anything (checked again under the write lock).
  const existing = table.collection(project, name);
  if (existing !== undefined && existing.type !== type) throw typeClash(name, existing.type);
  // And a run named by id that this store does not hold (NOT_FOUND), before any bytes are copied.
  findActingRun(ctx, store);

  const plan = await planEntries(settings.cwd, cfg.path, cfg.references, { tool: toolPaths(settings), warn: (m) => ctx.warn(m) });
  const cas = contentStoreFor(ctx);
  const onProgress =
    options.onProgress ??
    (ctx.progress === undefined
      ? undefined
      : (p: LogProgress) => ctx.progress?.({ label: `artifact ${name}`, done: p.bytesDone, total: p.bytesTotal, unit: 'bytes' }));
  const contents = {
    ...(await storeFiles(cas, plan.files, previousSizes(table, existing), {
      ...(onProgress === undefined ? {} : { onProgress }),
      logger: ctx.logger,
      liveness: ctx.liveness(),
    })),
    ...plan.references,
  };
  const manifest = createManifest(contents);
  const { version, deduplicated, run } = commitVersion(store, {
    project,
    name,
    type,
    manifest,
    digest: artifactDigest(manifest),
    description: cfg.description ?? null,
    metadata: cfg.metadata ?? {},
    aliases,
    nowSec: ctx.now() / 1000,
    run: () => findActingRun(ctx, store),
    typeClash: (t) => typeClash(name, t),
  });
  if (run === undefined)
    ctx.warn(`no run found (runId, WANDB_RUN_ID or a running runConfig.name): ${name}:v${version.versionIndex} was logged without a producing run`);
  if (deduplicated) ctx.warn(`content identical to ${name}:v${version.versionIndex}; no new version was made`);
  const online = settings.mode === 'online' ? await replicateLoggedVersion(ctx, store, version, run) : undefined;
  const current = table.version(version.key) ?? version;
  return {
    ...versionResult(ctx, table, current, { deduplicated, ...(cfg.description !== undefined ? { description: cfg.description } : {}) }, online?.entity),
    ...(run !== undefined ? { runId: run.id } : {}),
    ...(online !== undefined ? { synced: online.synced } : {}),
  };
}

/** Entry path → size in the collection's latest version: the files a re-log probably has unchanged. */
function previousSizes(table: ArtifactsTable, collection: CollectionRecord | undefined): Map<string, number> {
  const sizes = new Map<string, number>();
  const latest = collection === undefined ? undefined : table.versionByAlias(collection.key, LATEST_ALIAS);
  if (latest === undefined) return sizes;
  const manifest = JSON.parse(latest.manifest) as ManifestV1;
  for (const [path, entry] of Object.entries(manifest.contents)) if (entry.ref === undefined && entry.size !== undefined) sizes.set(path, entry.size);
  return sizes;
}

function typeClash(name: string, type: string): SkillError {
  return new SkillError('CONFLICT', `artifact ${name} already exists with type "${type}"`, {
    details: { issues: [{ path: 'artifactConfig.type', message: `the collection's type is "${type}"` }] },
  });
}
