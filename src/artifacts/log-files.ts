/**
 * Artifacts the tracker logs on a run's behalf (W&B's `InternalArtifact`), such as the `run_table`
 * of a logged table: given files under given entry names, made a version of `name` and an output of
 * `run`, with none of the user-facing checks that keep reserved names and types for W&B itself.
 * Identical content returns the existing version, as for any artifact. Store only: replicating the
 * version online is the caller's (actions/artifact/internal.ts).
 */
import type { Services } from '../services.js';
import type { Settings } from '../settings.js';
import type { RunRecord, Store } from '../store/index.js';
import { type VersionRecord } from '../store/artifacts.js';
import { LATEST_ALIAS, assertArtifactName } from './naming.js';
import { artifactDigest, createManifest } from './digest.js';
import { assertEntryPath } from './entry-path.js';
import { contentStoreOf } from './cas.js';
import { commitVersion } from './commit-version.js';
import type { WalkEntry } from './walk.js';
import { storeFiles } from './store-contents.js';

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
  const cas = contentStoreOf(settings.dir, liveness);
  const contents = await storeFiles(cas, entries, new Map(), { logger: services.logger, liveness });
  const manifest = createManifest(contents);
  // As for a user's log: identical content gets `latest` back on its existing version.
  const { version, deduplicated } = commitVersion(store, {
    project: run.project,
    name: spec.name,
    type: spec.type,
    manifest,
    digest: artifactDigest(manifest),
    description: null,
    metadata: spec.metadata ?? {},
    aliases: [LATEST_ALIAS],
    nowSec: services.now() / 1000,
    run: () => run,
    historyStep: spec.historyStep,
  });
  return { version, deduplicated };
}
