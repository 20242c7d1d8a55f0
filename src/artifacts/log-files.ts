/**
 * Artifacts the tracker logs on a run's behalf (W&B's `InternalArtifact`), such as the `run_table`
 * of a logged table: given files under given entry names, made a version of `name` and an output of
 * `run`, with none of the user-facing checks that keep reserved names and types for W&B itself.
 * Identical content returns the existing version, as for any artifact. Store only: replicating the
 * version online is the caller's (actions/artifact/internal.ts).
 */
import { join } from 'node:path';
import { SkillError } from '../errors.js';
import type { Services } from '../services.js';
import type { Settings } from '../settings.js';
import type { RunRecord, Store } from '../store/index.js';
import { type VersionRecord } from '../store/artifacts.js';
import { LATEST_ALIAS, assertArtifactName } from './naming.js';
import { artifactDigest, createManifest, serializeManifest } from './digest.js';
import { assertEntryPath } from './entry-path.js';
import { createContentStore } from './cas.js';
import type { WalkEntry } from './walk.js';
import { storeFiles } from './store-contents.js';
import { clientId } from './client-id.js';

export interface InternalArtifactFiles {
  name: string;
  type: string;
  /** `path`: the file on disk; `name`: its entry path in the artifact. */
  files: ReadonlyArray<{ path: string; name: string; size: number }>;
  metadata?: Record<string, unknown>;
  /** The history step the files belong to (default: the run's step now). */
  historyStep?: number;
}

export interface LoggedFiles {
  version: VersionRecord;
  deduplicated: boolean;
}

/** Stores `files` as a version of `name` (type `type`) made by `run`, in the content store of `settings.dir`. */
export async function logFilesAsVersion(
  services: Pick<Services, 'now' | 'logger' | 'liveness'>,
  settings: Pick<Settings, 'dir'>,
  store: Store,
  run: RunRecord,
  spec: InternalArtifactFiles,
): Promise<LoggedFiles> {
  assertArtifactName(spec.name, 'artifactConfig.name');
  const entries: WalkEntry[] = spec.files.map((f) => {
    assertEntryPath(f.name, 'artifactConfig.path');
    return { path: f.name, absPath: f.path, size: f.size };
  });
  const liveness = services.liveness();
  // The content store of a W&B dir: beside the SQLite store, under `<dir>/wandb/artifacts`.
  const cas = createContentStore({ root: join(settings.dir, 'wandb', 'artifacts'), owner: liveness });
  const contents = await storeFiles(cas, entries, new Map(), { logger: services.logger, liveness });
  const manifest = createManifest(contents);
  const digest = artifactDigest(manifest);
  const manifestEntries = Object.values(manifest.contents);
  const table = store.artifacts;
  const nowSec = services.now() / 1000;
  return store.write(() => {
    let collection = table.collection(run.project, spec.name);
    if (collection === undefined) collection = table.insertCollection(run.project, spec.name, spec.type, nowSec);
    else if (collection.type !== spec.type) {
      throw new SkillError('CONFLICT', `artifact ${spec.name} already exists with type "${collection.type}", not "${spec.type}"`);
    }
    const same = table.versionByDigest(collection.key, digest);
    const version =
      same ??
      table.insertVersion({
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
}
