/**
 * Artifacts the tracker logs on a run's behalf (W&B's `InternalArtifact`), such as the `run_table`
 * of a logged table: given files under given entry names, made a version of `name` and an output of
 * `run`, with none of the user-facing checks that keep reserved names and types for W&B itself.
 * Identical content returns the existing version, as for any artifact.
 */
import { SkillError } from '../../errors.js';
import { LATEST_ALIAS, artifactDigest, assertArtifactName, assertEntryPath, createManifest, serializeManifest } from '../../artifacts/index.js';
import type { WalkEntry } from '../../artifacts/index.js';
import type { RunRecord, Store } from '../../store/index.js';
import type { VersionRecord } from '../../store/artifacts.js';
import type { ActionContext } from '../context.js';
import { storeFiles } from './collect.js';
import { artifactsOf, contentStoreFor } from './common.js';
import { clientId } from './log.js';
import { type OnlineOutcome, replicateLoggedVersion } from '../../online/artifacts.js';
import { livenessOf } from '../../liveness.js';

export interface InternalArtifactFiles {
  name: string;
  type: string;
  /** `path`: the file on disk; `name`: its entry path in the artifact. */
  files: ReadonlyArray<{ path: string; name: string; size: number }>;
  metadata?: Record<string, unknown>;
  /** The history step the files belong to (default: the run's step now). */
  historyStep?: number;
}

export interface InternalArtifactResult {
  version: VersionRecord;
  deduplicated: boolean;
  online?: OnlineOutcome;
}

/** Logs `files` as a version of `name` (type `type`) made by `run`; replicated online like any artifact. */
export async function logFilesAsArtifact(ctx: ActionContext, store: Store, run: RunRecord, spec: InternalArtifactFiles): Promise<InternalArtifactResult> {
  assertArtifactName(spec.name, 'artifactConfig.name');
  const entries: WalkEntry[] = spec.files.map((f) => {
    assertEntryPath(f.name, 'artifactConfig.path');
    return { path: f.name, absPath: f.path, size: f.size };
  });
  const contents = await storeFiles(contentStoreFor(ctx), entries, new Map(), { logger: ctx.logger, liveness: livenessOf(ctx) });
  const manifest = createManifest(contents);
  const digest = artifactDigest(manifest);
  const manifestEntries = Object.values(manifest.contents);
  const table = artifactsOf(store);
  const nowSec = ctx.now() / 1000;
  const { version, deduplicated } = store.write(() => {
    let collection = table.collection(run.project, spec.name);
    if (collection === undefined) collection = table.insertCollection(run.project, spec.name, spec.type, nowSec);
    else if (collection.type !== spec.type) {
      throw new SkillError('CONFLICT', `artifact ${spec.name} already exists with type "${collection.type}", not "${spec.type}"`);
    }
    const same = table.versionByDigest(collection.key, digest);
    const version = same ?? table.insertVersion({
      collectionKey: collection.key,
      digest,
      manifest: serializeManifest(manifest),
      size: manifestEntries.reduce((n, e) => n + (e.size ?? 0), 0),
      fileCount: manifestEntries.length,
      description: null,
      metadata: spec.metadata ?? {},
      createdBy: run.key,
      clientId: clientId(),
      now: nowSec,
    });
    // As for a user's log: identical content gets `latest` back on its existing version.
    table.setAlias(collection.key, LATEST_ALIAS, version.key);
    table.addUsage(run.key, version.key, 'output', nowSec, spec.historyStep ?? run.step);
    return { version, deduplicated: same !== undefined };
  });
  if (ctx.settings.mode !== 'online') return { version, deduplicated };
  return { version, deduplicated, online: await replicateLoggedVersion(ctx, store, version, run, ctx.warn) };
}
