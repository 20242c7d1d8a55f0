/**
 * Replicating artifacts to W&B (PROTOCOL.md §§6.2-6.5), always after the local commit: a version
 * with its files and manifest, the output edge of each producing run (createArtifact's `runName`),
 * input edges (useArtifact) and registry links (linkArtifact). A failure leaves the rows `unsent`
 * for `wandb-skill sync` (see src/sync/artifacts.ts) and turns into a warning; the local data is already safe.
 */
import { SkillError, normalizeError } from '../errors.js';
import {
  type ManifestEntry,
  type ManifestV1,
  LATEST_ALIAS,
  contentStoreOf,
  createManifest,
  manifestFileDigest,
  serializeManifest,
} from '../artifacts/index.js';
import { type ArtifactsTable, type LinkRecord, type VersionRecord } from '../store/artifacts.js';
import type { RunRecord, Store } from '../store/index.js';
import { putSignedUrl } from '../wandb/uploads.js';
import { forEachLimit } from '../concurrency.js';
import { commitArtifact, createArtifact, createArtifactFiles, createArtifactManifest, linkArtifact, useArtifact } from '../wandb/operations-artifacts.js';
import { connect, type Connection } from './connection.js';
import { ensureRunOnServer } from './runs.js';
import type { OnlineScope } from './scope.js';

const artifactsOf = (store: Store): ArtifactsTable => store.artifacts;

/** The run of a store key (a version's producing run), if it still exists. */
export function runByKey(store: Store, key: number | null): RunRecord | undefined {
  return key === null ? undefined : store.runs.getByKey(key);
}

/** createArtifactFiles batch size (W&B's client sends its files in batches too). */
const FILES_BATCH = 1000;
/** Signed-URL uploads in flight at once for one artifact. */
const UPLOAD_CONCURRENCY = 8;

/**
 * Pushes a version (and the output edge of `run`, if given) to the server; returns W&B's artifact id.
 * A version already on the server is sent again only as createArtifact, which the server answers
 * with the committed version (digest dedup) while recording the new run's output edge.
 */
export async function pushVersion(scope: OnlineScope, store: Store, conn: Connection, version: VersionRecord, run: RunRecord | undefined): Promise<string> {
  const table = artifactsOf(store);
  if (run !== undefined) await ensureRunOnServer(scope, store, run, conn);
  if (version.syncState === 'sent' && version.serverId !== null && run === undefined) return version.serverId;
  const created = await createArtifact(conn.client, {
    entityName: conn.entity,
    projectName: version.project,
    artifactTypeName: version.type,
    artifactCollectionName: version.name,
    digest: version.digest,
    ...(run !== undefined ? { runName: run.id, historyStep: outputStep(table, run, version) } : {}),
    ...(version.description !== null ? { description: version.description } : {}),
    aliases: table.aliasesOf(version.key).map((alias) => ({ artifactCollectionName: version.name, alias })),
    metadata: JSON.stringify(version.metadata),
    clientID: version.clientId,
  });
  if (created.state !== 'COMMITTED') await uploadAndCommit(scope, conn, version, created.id, created.latestArtifactId, run);
  store.write(() => {
    table.setVersionSync(version.key, 'sent', created.id);
    if (run !== undefined) table.setUsageSync(run.key, version.key, 'output', 'sent');
  });
  return created.id;
}

/** The step recorded when `run` made `version` (W&B's historyStep), else the run's step now. */
function outputStep(table: ArtifactsTable, run: RunRecord, version: VersionRecord): number {
  const edge = table.usageOfVersion(version.key).find((u) => u.runKey === run.key && u.direction === 'output');
  return edge?.historyStep ?? run.step;
}

async function uploadAndCommit(
  scope: OnlineScope,
  conn: Connection,
  version: VersionRecord,
  artifactId: string,
  baseId: string | null,
  run: RunRecord | undefined,
): Promise<void> {
  const manifest = JSON.parse(version.manifest) as ManifestV1;
  const common = { entityName: conn.entity, projectName: version.project, runName: run?.id ?? '' };
  const placeholder = await createArtifactManifest(conn.client, {
    ...common,
    artifactID: artifactId,
    baseArtifactID: baseId,
    digest: '',
    includeUpload: false,
  });
  const cas = contentStoreOf(scope.settings.dir, scope.liveness());
  const contents: Record<string, ManifestEntry> = { ...manifest.contents };
  const local = Object.entries(manifest.contents).filter(([, e]) => e.ref === undefined);
  for (let i = 0; i < local.length; i += FILES_BATCH) {
    const batch = local.slice(i, i + FILES_BATCH);
    const answers = await createArtifactFiles(conn.client, {
      artifactFiles: batch.map(([name, e]) => ({ artifactID: artifactId, name, md5: e.digest, artifactManifestID: placeholder.id })),
    });
    for (const [j, answer] of answers.entries()) {
      const [name, entry] = batch[j] as [string, ManifestEntry];
      if (answer.birthArtifactId !== null) contents[name] = { ...entry, birthArtifactID: answer.birthArtifactId };
    }
    // Files the server already holds come back without an upload URL.
    await forEachLimit(answers, UPLOAD_CONCURRENCY, async (answer, j) => {
      if (answer.uploadUrl === null) return;
      const [name, entry] = batch[j] as [string, ManifestEntry];
      await putSignedUrl({ ...conn.transport, url: answer.uploadUrl, uploadHeaders: answer.uploadHeaders, source: { path: cas.pathOf(entry.digest) }, name });
    });
  }
  const json = serializeManifest(createManifest(contents, manifest.storagePolicyConfig));
  const real = await createArtifactManifest(conn.client, {
    ...common,
    artifactID: artifactId,
    baseArtifactID: baseId,
    digest: manifestFileDigest(json),
    includeUpload: true,
  });
  if (real.uploadUrl === null) throw new SkillError('BACKEND_UNAVAILABLE', 'CreateArtifactManifest returned no upload URL for the manifest');
  await putSignedUrl({ ...conn.transport, url: real.uploadUrl, uploadHeaders: real.uploadHeaders, source: { data: json }, name: 'wandb_manifest.json' });
  await commitArtifact(conn.client, { artifactID: artifactId });
}

/** Records on the server that `run` used `version` (pushing the version first if needed). */
export async function pushInput(scope: OnlineScope, store: Store, conn: Connection, version: VersionRecord, run: RunRecord): Promise<void> {
  const table = artifactsOf(store);
  const id =
    version.syncState === 'sent' && version.serverId !== null
      ? version.serverId
      : await pushVersion(scope, store, conn, version, runByKey(store, version.createdBy));
  await ensureRunOnServer(scope, store, run, conn);
  await useArtifact(conn.client, { entityName: conn.entity, projectName: run.project, runName: run.id, artifactID: id });
  store.write(() => table.setUsageSync(run.key, version.key, 'input', 'sent'));
}

/** Links `version` into its registry collection on the server, with the link's aliases. */
export async function pushLink(scope: OnlineScope, store: Store, conn: Connection, link: LinkRecord): Promise<number | null> {
  const table = artifactsOf(store);
  const version = table.version(link.versionKey);
  if (version === undefined) throw new SkillError('INTERNAL', `link ${link.key} names a missing version`);
  const id =
    version.syncState === 'sent' && version.serverId !== null
      ? version.serverId
      : await pushVersion(scope, store, conn, version, runByKey(store, version.createdBy));
  const aliases = table
    .linkAliases(link.key)
    .filter((a) => a !== LATEST_ALIAS)
    .map((alias) => ({ artifactCollectionName: link.portfolio, alias }));
  const answer = await linkArtifact(conn.client, {
    artifactPortfolioName: link.portfolio,
    entityName: conn.entity,
    projectName: link.registryProject,
    aliases,
    artifactId: id,
  });
  store.write(() => table.setLinkSync(link.key, 'sent'));
  return answer.versionIndex;
}

export interface OnlineOutcome {
  synced: boolean;
  entity?: string;
}

/** Runs `push` with a connection bounded by the call's sync timeout; failures become a warning. */
export async function replicate(scope: OnlineScope, what: string, markUnsent: () => void, push: (conn: Connection) => Promise<void>): Promise<OnlineOutcome> {
  let entity: string | undefined;
  try {
    const conn = await connect(scope, { deadlineMs: scope.now() + scope.settings.syncTimeoutMs });
    entity = conn.entity;
    await push(conn);
    return { synced: true, entity };
  } catch (err) {
    const e = normalizeError(err);
    markUnsent();
    scope.logger.warn({ err: e }, `${what}: not replicated`);
    scope.warn(`${what} is stored locally but did not reach W&B (${e.code}: ${e.message}); \`wandb-skill sync\` will send it`);
    return entity === undefined ? { synced: false } : { synced: false, entity };
  }
}

/** The online half of `log`: push the version and its output edge. */
export function replicateLoggedVersion(scope: OnlineScope, store: Store, version: VersionRecord, run: RunRecord | undefined): Promise<OnlineOutcome> {
  const table: ArtifactsTable = artifactsOf(store);
  return replicate(
    scope,
    `artifact ${version.name}:v${version.versionIndex}`,
    () =>
      store.write(() => {
        const now = table.version(version.key);
        if (now?.syncState !== 'sent') table.setVersionSync(version.key, 'unsent', null);
        if (run !== undefined) table.setUsageSync(run.key, version.key, 'output', 'unsent');
      }),
    async (conn) => {
      await pushVersion(scope, store, conn, table.version(version.key) ?? version, run);
    },
  );
}
