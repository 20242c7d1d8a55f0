/**
 * The one place a logged artifact version is committed to the store: the collection made or
 * checked, the version found by digest or inserted, aliases moved, and the producing run's usage
 * recorded, all in one write transaction. User logs (actions/artifact/log.ts) and the tracker's own
 * internal artifacts (log-files.ts) both commit through it.
 */
import { SkillError } from '../errors.js';
import type { RunRecord, Store } from '../store/index.js';
import type { VersionRecord } from '../store/artifacts.js';
import { type ManifestV1, serializeManifest } from './digest.js';
import { clientId } from './client-id.js';

export interface VersionCommit {
  project: string;
  name: string;
  type: string;
  manifest: ManifestV1;
  digest: string;
  description: string | null;
  metadata: Record<string, unknown>;
  aliases: readonly string[];
  /** Seconds since the epoch. */
  nowSec: number;
  /** The run the version is an output of, found inside the transaction (undefined: none). */
  run: () => RunRecord | undefined;
  /** The history step the output belongs to (default: the run's step now). */
  historyStep?: number | undefined;
  /** The error for a collection of another type (user logs name the input field). */
  typeClash?: (existingType: string) => SkillError;
}

export interface CommittedVersion {
  version: VersionRecord;
  deduplicated: boolean;
  run: RunRecord | undefined;
}

const defaultClash = (name: string, wanted: string) => (existing: string) =>
  new SkillError('CONFLICT', `artifact ${name} already exists with type "${existing}", not "${wanted}"`);

/**
 * Commits a version whose bytes are already safe in the content store. Version numbers are given
 * under the write lock, so two processes logging one collection get distinct versions and a crash
 * leaves no half version. Identical content (same digest) returns the existing version.
 */
export function commitVersion(store: Store, c: VersionCommit): CommittedVersion {
  const table = store.artifacts;
  const entries = Object.values(c.manifest.contents);
  return store.write(() => {
    const run = c.run();
    let collection = table.collection(c.project, c.name);
    if (collection === undefined) collection = table.insertCollection(c.project, c.name, c.type, c.nowSec);
    else if (collection.type !== c.type) throw (c.typeClash ?? defaultClash(c.name, c.type))(collection.type);
    const same = table.versionByDigest(collection.key, c.digest);
    const version =
      same ??
      table.insertVersion({
        collectionKey: collection.key,
        digest: c.digest,
        manifest: serializeManifest(c.manifest),
        size: entries.reduce((n, e) => n + (e.size ?? 0), 0),
        fileCount: entries.length,
        description: c.description,
        metadata: c.metadata,
        createdBy: run?.key ?? null,
        clientId: clientId(),
        now: c.nowSec,
      });
    for (const alias of c.aliases) table.setAlias(collection.key, alias, version.key);
    if (run !== undefined) table.addUsage(run.key, version.key, 'output', c.nowSec, c.historyStep ?? run.step);
    return { version, deduplicated: same !== undefined, run };
  });
}
