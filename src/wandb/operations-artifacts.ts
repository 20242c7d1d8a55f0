/**
 * Artifact operations of the log-artifact flow, input lineage and linking (PROTOCOL.md §§6.2-6.5).
 */
import { SkillError } from '../errors.js';
import * as doc from './documents.js';
import type { GraphqlClient } from './graphql.js';

import { missing, vars } from './operation-helpers.js';

export type ArtifactState = 'PENDING' | 'COMMITTED' | 'DELETED';

/** `CreateArtifactInput` fields a client sets (names as in the schema). */
export interface CreateArtifactInput {
  entityName: string;
  projectName: string;
  artifactTypeName: string;
  /** The artifact name (collection). */
  artifactCollectionName: string;
  /** Hex MD5 artifact digest (PROTOCOL.md §6.1). */
  digest: string;
  digestAlgorithm?: 'MANIFEST_MD5';
  /** Run ID for the output lineage edge; omit for artifacts not logged by a run. */
  runName?: string;
  description?: string;
  aliases?: { artifactCollectionName: string; alias: string }[];
  tags?: { tagName: string }[];
  /** JSON string. */
  metadata?: string;
  ttlDurationSeconds?: number;
  historyStep?: number;
  enableDigestDeduplication?: boolean;
  distributedID?: string;
  clientID?: string;
  sequenceClientID?: string;
  storageRegion?: string;
}

export interface CreatedArtifact {
  id: string;
  digest: string;
  state: ArtifactState;
  versionIndex: number | null;
  /** `latestArtifact.id` of the collection: the base for the manifest (W&B's `baseArtifactID`). */
  latestArtifactId: string | null;
}

/** Step 1: creates the artifact version (or returns the committed one with the same digest). */
export async function createArtifact(client: GraphqlClient, input: CreateArtifactInput): Promise<CreatedArtifact> {
  type R = {
    createArtifact: null | {
      artifact: { id: string; digest: string; state: ArtifactState; versionIndex: number | null; artifactSequence: { latestArtifact: { id: string } | null } };
    };
  };
  const data = await client.request<R>({
    query: doc.CREATE_ARTIFACT_MUTATION,
    operationName: 'CreateArtifact',
    variables: { input: vars({ digestAlgorithm: 'MANIFEST_MD5', enableDigestDeduplication: true, ...input }) },
  });
  const a = data.createArtifact?.artifact;
  if (a === undefined) throw missing('CreateArtifact', 'artifact');
  return { id: a.id, digest: a.digest, state: a.state, versionIndex: a.versionIndex, latestArtifactId: a.artifactSequence.latestArtifact?.id ?? null };
}

export interface CreateArtifactManifestVars {
  artifactID: string;
  baseArtifactID?: string | null;
  /** `wandb_manifest.json` for FULL manifests. */
  name?: string;
  /** Empty for the placeholder call, the manifest's base64 MD5 for the real one. */
  digest: string;
  entityName: string;
  projectName: string;
  runName: string;
  type?: 'FULL' | 'INCREMENTAL' | 'PATCH';
  includeUpload: boolean;
}

export interface CreatedManifest {
  id: string;
  fileId: string;
  uploadUrl: string | null;
  uploadHeaders: string[];
}

/** Steps 2 and 6: the manifest placeholder, then the real manifest with its upload URL. */
export async function createArtifactManifest(client: GraphqlClient, v: CreateArtifactManifestVars): Promise<CreatedManifest> {
  type R = {
    createArtifactManifest: null | {
      artifactManifest: { id: string; file: { id: string; uploadUrl?: string | null; uploadHeaders?: string[] } };
    };
  };
  const data = await client.request<R>({
    query: doc.CREATE_ARTIFACT_MANIFEST_MUTATION,
    operationName: 'CreateArtifactManifest',
    variables: vars({ name: 'wandb_manifest.json', type: 'FULL', ...v }),
  });
  const m = data.createArtifactManifest?.artifactManifest;
  if (m === undefined) throw missing('CreateArtifactManifest', 'manifest');
  return { id: m.id, fileId: m.file.id, uploadUrl: m.file.uploadUrl ?? null, uploadHeaders: m.file.uploadHeaders ?? [] };
}

export interface ArtifactFileSpec {
  artifactID: string;
  /** Path inside the artifact. */
  name: string;
  /** Base64 MD5 of the content. */
  md5: string;
  artifactManifestID?: string;
  mimetype?: string;
  uploadPartsInput?: { partNumber: number; hexMD5: string }[];
}

export interface CreatedArtifactFile {
  name: string;
  storagePath: string | null;
  /** Null: the content is already stored; skip the upload. */
  uploadUrl: string | null;
  uploadHeaders: string[];
  /** The `birthArtifactID` for the manifest entry. */
  birthArtifactId: string | null;
  multipart: { uploadID: string; parts: { partNumber: number; uploadUrl: string }[] } | null;
}

/** Step 3: upload URLs for the artifact's files, answered in input order. */
export async function createArtifactFiles(
  client: GraphqlClient,
  v: { artifactFiles: ArtifactFileSpec[]; storageLayout?: 'V1' | 'V2' },
): Promise<CreatedArtifactFile[]> {
  type Node = {
    storagePath: string | null;
    uploadUrl: string | null;
    uploadHeaders: string[];
    uploadMultipartUrls: null | { uploadID: string; uploadUrlParts: { partNumber: number; uploadUrl: string }[] };
    artifact: { id: string } | null;
  };
  type R = { createArtifactFiles: null | { files: { edges: { node: Node | null }[] } } };
  const data = await client.request<R>({
    query: doc.CREATE_ARTIFACT_FILES_MUTATION,
    operationName: 'CreateArtifactFiles',
    variables: { artifactFiles: v.artifactFiles.map((f) => vars(f)), storageLayout: v.storageLayout ?? 'V2' },
  });
  const edges = data.createArtifactFiles?.files.edges;
  if (edges === undefined || edges.length !== v.artifactFiles.length) {
    throw new SkillError('BACKEND_UNAVAILABLE', 'CreateArtifactFiles: the server answered for a different number of files', {
      details: { operation: 'CreateArtifactFiles', sent: v.artifactFiles.length, received: edges?.length ?? 0 },
    });
  }
  return edges.map((edge, i) => {
    const n = edge.node;
    return {
      name: v.artifactFiles[i]?.name ?? '',
      storagePath: n?.storagePath ?? null,
      uploadUrl: n?.uploadUrl ?? null,
      uploadHeaders: n?.uploadHeaders ?? [],
      birthArtifactId: n?.artifact?.id ?? null,
      multipart: n?.uploadMultipartUrls == null ? null : { uploadID: n.uploadMultipartUrls.uploadID, parts: n.uploadMultipartUrls.uploadUrlParts },
    };
  });
}

/** Step 7: marks the version committed; the server assigns `v<N>` and moves `latest`. */
export async function commitArtifact(
  client: GraphqlClient,
  v: { artifactID: string },
): Promise<{ id: string; digest: string; state: ArtifactState; versionIndex: number | null }> {
  type R = { commitArtifact: null | { artifact: { id: string; digest: string; state: ArtifactState; versionIndex: number | null } } };
  const data = await client.request<R>({ query: doc.COMMIT_ARTIFACT_MUTATION, operationName: 'CommitArtifact', variables: vars(v) });
  const a = data.commitArtifact?.artifact;
  if (a === undefined) throw missing('CommitArtifact', 'artifact');
  return a;
}

/** Records that a run used an artifact (input lineage). */
export async function useArtifact(
  client: GraphqlClient,
  input: {
    entityName: string;
    projectName: string;
    runName: string;
    artifactID: string;
    usedAs?: string;
    artifactEntityName?: string;
    artifactProjectName?: string;
  },
): Promise<{ id: string }> {
  type R = { useArtifact: null | { artifact: { id: string } } };
  const data = await client.request<R>({ query: doc.USE_ARTIFACT_MUTATION, operationName: 'UseArtifact', variables: { input: vars(input) } });
  const a = data.useArtifact?.artifact;
  if (a === undefined) throw missing('UseArtifact', 'artifact');
  return a;
}

/** Links a version into a portfolio (model registry); exactly one of `artifactId`/`clientId`. */
export async function linkArtifact(
  client: GraphqlClient,
  v: {
    artifactPortfolioName: string;
    entityName: string;
    projectName: string;
    aliases?: { artifactCollectionName: string; alias: string }[];
    artifactId?: string;
    clientId?: string;
  },
): Promise<{ versionIndex: number | null }> {
  if ((v.artifactId === undefined) === (v.clientId === undefined)) {
    throw new SkillError('INVALID_INPUT', 'linkArtifact needs exactly one of artifactId and clientId');
  }
  type R = { linkArtifact: null | { versionIndex: number | null } };
  const data = await client.request<R>({ query: doc.LINK_ARTIFACT_MUTATION, operationName: 'LinkArtifact', variables: vars(v) });
  return { versionIndex: data.linkArtifact?.versionIndex ?? null };
}

export interface RemoteArtifact {
  id: string;
  digest: string;
  state: ArtifactState;
  versionIndex: number | null;
  description: string | null;
  metadata: string | null;
  aliases: { alias: string; artifactCollectionName: string }[];
  type: string;
  collection: string;
  manifestUrl: string | null;
}

/** Resolves `name:alias` or `name:vN` in a project; null when there is no such version. */
export async function artifactByName(client: GraphqlClient, v: { entityName: string; projectName: string; name: string }): Promise<RemoteArtifact | null> {
  type A = Omit<RemoteArtifact, 'type' | 'collection' | 'manifestUrl'> & {
    artifactType: { name: string };
    artifactSequence: { name: string };
    currentManifest: null | { id: string; file: { directUrl: string } };
  };
  type R = { project: null | { artifact: A | null } };
  const data = await client.request<R>({ query: doc.ARTIFACT_BY_NAME_QUERY, operationName: 'ArtifactByName', variables: vars(v) });
  const a = data.project?.artifact;
  if (a === null || a === undefined) return null;
  const { artifactType, artifactSequence, currentManifest, ...rest } = a;
  return { ...rest, type: artifactType.name, collection: artifactSequence.name, manifestUrl: currentManifest?.file.directUrl ?? null };
}
