/**
 * Artifact resolvers of the test server (PROTOCOL.md §6): create (with digest dedup), manifest,
 * files (null URL when the content is already stored), commit (v<N>, `latest`), use, link.
 */
import { GraphQLError } from 'graphql';
import type { ResolverContext } from './wandb-server-resolvers.js';
import type { ServerArtifact, ServerCollection, ServerState } from './wandb-server-state.js';
import { ensureProject, nodeId } from './wandb-server-state.js';
import { artifactView, fileView, resolveArtifactName } from './wandb-server-views.js';

type Args<T> = { input: T };

function fail(message: string): never {
  throw new GraphQLError(message);
}

function collectionFor(state: ServerState, entity: string, project: string, name: string, type: string, isPortfolio: boolean): ServerCollection {
  const key = `${entity}/${project}/${name}`;
  let c = state.collections.get(key);
  if (c === undefined) {
    c = {
      id: nodeId(isPortfolio ? 'ArtifactPortfolio' : 'ArtifactSequence', state.collections.size + 1),
      entity,
      project,
      name,
      type,
      aliases: new Map(),
      versions: [],
      links: [],
      isPortfolio,
    };
    state.collections.set(key, c);
  }
  return c;
}

function artifactOrFail(state: ServerState, id: string): ServerArtifact {
  return state.artifacts.get(id) ?? fail(`artifact ${id} not found`);
}

function setAlias(c: ServerCollection, alias: string, artifactId: string): void {
  // Version aliases belong to the server: a client-supplied v<N> is ignored (PROTOCOL.md §6.4).
  if (/^v\d+$/.test(alias)) return;
  c.aliases.set(alias.toLowerCase(), artifactId);
}

interface CreateArtifactInput {
  entityName: string;
  projectName: string;
  artifactTypeName: string;
  artifactCollectionName?: string | null;
  artifactCollectionNames?: string[] | null;
  digest: string;
  runName?: string | null;
  description?: string | null;
  aliases?: { alias: string; artifactCollectionName: string }[] | null;
  metadata?: string | null;
  historyStep?: number | null;
  clientID?: string | null;
  enableDigestDeduplication?: boolean | null;
}

export function artifactResolvers(ctx: ResolverContext): Record<string, unknown> {
  const { state } = ctx;
  return {
    clientIDMapping: (args: { clientID: string }) => {
      const a = [...state.artifacts.values()].find((x) => x.clientID === args.clientID);
      return a === undefined ? null : { clientID: args.clientID, serverID: a.id, entry: null };
    },

    createArtifact: ({ input }: Args<CreateArtifactInput>) => {
      const name = input.artifactCollectionName ?? input.artifactCollectionNames?.[0] ?? fail('artifactCollectionName is required');
      if (name.includes('/')) fail('artifact names must not contain "/"');
      ensureProject(state, input.entityName, input.projectName);
      const coll = collectionFor(state, input.entityName, input.projectName, name, input.artifactTypeName, false);
      if (coll.type !== input.artifactTypeName) fail(`artifact ${name} already exists with type ${coll.type}`);
      const aliases = (input.aliases ?? []).map((a) => a.alias);
      const same = [...state.artifacts.values()].find(
        (a) => a.entity === input.entityName && a.project === input.projectName && a.collection === name && a.digest === input.digest && a.state !== 'DELETED',
      );
      if (same !== undefined && (same.state === 'COMMITTED' || input.enableDigestDeduplication !== false)) {
        if (same.state === 'COMMITTED') for (const alias of aliases) setAlias(coll, alias, same.id);
        else same.requestedAliases.push(...aliases);
        return { artifact: artifactView(ctx, same), artifactActions: [] };
      }
      const id = nodeId('Artifact', state.artifacts.size + 1);
      const artifact: ServerArtifact = {
        id,
        entity: input.entityName,
        project: input.projectName,
        type: input.artifactTypeName,
        collection: name,
        digest: input.digest,
        state: 'PENDING',
        versionIndex: null,
        requestedAliases: aliases,
        description: input.description ?? null,
        metadata: input.metadata ?? null,
        runName: input.runName ?? null,
        clientID: input.clientID ?? null,
        historyStep: input.historyStep ?? null,
        files: new Map(),
        manifest: null,
        usedBy: [],
        createdAt: new Date().toISOString(),
      };
      state.artifacts.set(id, artifact);
      return { artifact: artifactView(ctx, artifact), artifactActions: [] };
    },

    createArtifactManifest: ({ input }: Args<{ artifactID: string; digest: string; name: string; type: string }>) => {
      const a = artifactOrFail(state, input.artifactID);
      const storagePath = `artifacts/${a.id}/${input.name}`;
      a.manifest = { id: nodeId('ArtifactManifest', a.id), digest: input.digest, type: input.type, storagePath, data: a.manifest?.data ?? null };
      const upload = ctx.uploadUrl({ kind: 'manifest', artifactId: a.id });
      return {
        artifactManifest: {
          id: a.manifest.id,
          digest: input.digest,
          type: input.type,
          createdAt: a.createdAt,
          artifact: artifactView(ctx, a),
          file: fileView(ctx, storagePath, input.name, a.manifest.data, { uploadUrl: upload, uploadHeaders: ctx.uploadHeaders }),
        },
      };
    },

    updateArtifactManifest: ({ input }: Args<{ artifactManifestID: string; digest?: string | null }>) => {
      const a = [...state.artifacts.values()].find((x) => x.manifest?.id === input.artifactManifestID) ?? fail('manifest not found');
      if (a.manifest !== null && input.digest != null) a.manifest.digest = input.digest;
      return {
        artifactManifest: {
          id: a.manifest?.id,
          file: fileView(ctx, a.manifest?.storagePath ?? '', 'wandb_manifest.json', null, {
            uploadUrl: ctx.uploadUrl({ kind: 'manifest', artifactId: a.id }),
            uploadHeaders: ctx.uploadHeaders,
          }),
        },
      };
    },

    createArtifactFiles: ({ input }: Args<{ artifactFiles: { artifactID: string; name: string; md5: string }[] }>) => {
      const nodes = input.artifactFiles.map((spec) => {
        const a = artifactOrFail(state, spec.artifactID);
        // Content already stored in this collection (same md5) needs no upload: answer a null URL.
        let stored: { birth: string; path: string; data: Buffer } | undefined;
        for (const other of state.artifacts.values()) {
          if (other.entity !== a.entity || other.project !== a.project || other.collection !== a.collection) continue;
          const f = [...other.files.values()].find((x) => x.md5 === spec.md5 && x.data !== null);
          if (f?.data != null) stored = { birth: f.birthArtifactId, path: f.storagePath, data: f.data };
        }
        const storagePath = stored?.path ?? `artifacts/${a.id}/${spec.name}`;
        const existing = a.files.get(spec.name);
        a.files.set(spec.name, {
          name: spec.name,
          md5: spec.md5,
          storagePath,
          data: stored === undefined ? (existing?.data ?? null) : stored.data,
          birthArtifactId: stored?.birth ?? a.id,
        });
        return {
          ...fileView(ctx, storagePath, spec.name, null),
          uploadUrl: stored === undefined ? ctx.uploadUrl({ kind: 'artifact-file', artifactId: a.id, name: spec.name }) : null,
          uploadHeaders: ctx.uploadHeaders,
          uploadMultipartUrls: null,
          artifact: { id: stored?.birth ?? a.id },
        };
      });
      return {
        files: {
          edges: nodes.map((node, i) => ({ cursor: String(i), node })),
          pageInfo: { hasNextPage: false, hasPreviousPage: false },
          uploadHeaders: ctx.uploadHeaders,
        },
      };
    },

    commitArtifact: ({ input }: Args<{ artifactID: string }>) => {
      const a = artifactOrFail(state, input.artifactID);
      if (a.state !== 'COMMITTED') {
        const coll = collectionFor(state, a.entity, a.project, a.collection, a.type, false);
        a.state = 'COMMITTED';
        a.versionIndex = coll.versions.length;
        coll.versions.push(a.id);
        coll.aliases.set('latest', a.id);
        for (const alias of a.requestedAliases) setAlias(coll, alias, a.id);
      }
      return { artifact: artifactView(ctx, a) };
    },

    useArtifact: ({ input }: Args<{ artifactID: string; entityName: string; projectName: string; runName: string; usedAs?: string | null }>) => {
      const a = artifactOrFail(state, input.artifactID);
      const run = state.runs.get(`${input.entityName}/${input.projectName}/${input.runName}`) ?? fail(`run ${input.runName} not found`);
      if (!a.usedBy.some((u) => u.runName === run.name && u.project === run.project && u.entity === run.entity)) {
        a.usedBy.push({ entity: run.entity, project: run.project, runName: run.name, usedAs: input.usedAs ?? null });
      }
      return { artifact: artifactView(ctx, a), run: { id: run.storageId, name: run.name } };
    },

    linkArtifact: ({
      input,
    }: Args<{
      artifactPortfolioName?: string | null;
      entityName?: string | null;
      projectName?: string | null;
      artifactID?: string | null;
      clientID?: string | null;
      aliases?: { alias: string }[] | null;
    }>) => {
      const a =
        input.artifactID != null
          ? artifactOrFail(state, input.artifactID)
          : ([...state.artifacts.values()].find((x) => x.clientID === input.clientID) ?? fail('artifact not found'));
      const entity = input.entityName ?? state.viewer.entity;
      const project = input.projectName ?? fail('projectName is required');
      const portfolio = input.artifactPortfolioName ?? fail('artifactPortfolioName is required');
      ensureProject(state, entity, project);
      const coll = collectionFor(state, entity, project, portfolio, a.type, true);
      let index = coll.links.indexOf(a.id);
      if (index < 0) {
        index = coll.links.length;
        coll.links.push(a.id);
      }
      coll.aliases.set('latest', a.id);
      for (const alias of input.aliases ?? []) setAlias(coll, alias.alias, a.id);
      return {
        versionIndex: index,
        artifactID: a.id,
        artifactCollectionID: coll.id,
        createdAt: new Date().toISOString(),
        aliases: [...coll.aliases.entries()]
          .filter(([, id]) => id === a.id)
          .map(([alias]) => ({ alias, artifactCollectionName: portfolio, entityName: entity, projectName: project })),
      };
    },
  };
}

export { resolveArtifactName };
