/**
 * GraphQL-shaped views of the test server's state. graphql-js's default resolver reads a property,
 * calling it with (args, context) when it is a function, so arguments like `bucket(name:)` work.
 */
import type { ServerArtifact, ServerCollection, ServerProject, ServerRun, ServerState, ServerSweep } from './wandb-server-state.js';
import { nodeId, runKey } from './wandb-server-state.js';
import { connection, entityView, fileView, pagedConnection, viewerView, type Obj, type ViewContext } from './wandb-server-leaf-views.js';

// One place to take views from, leaves included, so importers need not know the split.
export { connection, entityView, fileView, viewerView, type ViewContext } from './wandb-server-leaf-views.js';

function pick(obj: unknown, keys: readonly string[] | null | undefined): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return {};
  if (keys === null || keys === undefined) return obj;
  const out: Obj = {};
  for (const k of keys) if (k in obj) out[k] = (obj as Obj)[k];
  return out;
}

export function runView(ctx: ViewContext, run: ServerRun): Obj {
  const project = (): Obj | null => {
    const p = ctx.state.projects.get(`${run.entity}/${run.project}`);
    return p === undefined ? null : projectView(ctx, p);
  };
  return {
    __typename: 'Run',
    id: run.storageId,
    name: run.name,
    displayName: run.displayName,
    description: run.description,
    notes: run.notes,
    tags: run.tags,
    group: run.group,
    jobType: run.jobType,
    host: run.host,
    commit: run.commit,
    state: run.state,
    exitcode: run.exitcode,
    stopped: run.stopped,
    shouldStop: run.stopped,
    running: run.state === 'running',
    failed: run.state === 'failed',
    sweepName: run.sweepName,
    config: (args: { keys?: string[] | null }) => JSON.stringify(pick(run.config ?? {}, args.keys)),
    wandbConfig: (args: { keys?: string[] | null }) => {
      const w = (run.config?.['_wandb'] as { value?: unknown } | undefined)?.value;
      return JSON.stringify(pick(w ?? {}, args.keys));
    },
    summaryMetrics: () => run.summaryText ?? '{}',
    systemMetrics: '{}',
    historyLineCount: run.historyText.length,
    eventsLineCount: run.eventsText.length,
    logLineCount: run.logLines.length,
    historyTail: JSON.stringify(run.historyText.slice(-10)),
    eventsTail: JSON.stringify(run.eventsText.slice(-10)),
    history: () => run.historyText,
    events: () => run.eventsText,
    sampledHistory: () => [run.history],
    createdAt: run.createdAt,
    updatedAt: run.heartbeatAt ?? run.createdAt,
    heartbeatAt: run.heartbeatAt,
    computeSeconds: 0,
    storageBytes: 0,
    pendingUpdates: false,
    readOnly: false,
    tagColors: [],
    projectId: '1',
    project,
    model: project,
    user: () => viewerView(ctx.state),
    sweep: () => {
      if (run.sweepName === null) return null;
      const s = [...ctx.state.sweeps.values()].find((x) => x.name === run.sweepName);
      return s === undefined ? null : sweepView(ctx, s);
    },
    files: (args: { names?: (string | null)[] | null }) => {
      const names = args.names?.filter((n): n is string => n !== null) ?? [...run.files.keys()];
      return connection(names.filter((n) => run.files.has(n)).map((n) => fileView(ctx, `runs/${run.storageId}/${n}`, n, run.files.get(n) ?? null)));
    },
  };
}

export function projectView(ctx: ViewContext, p: ServerProject): Obj {
  const runs = (): ServerRun[] => [...ctx.state.runs.values()].filter((r) => r.entity === p.entity && r.project === p.name);
  const run = (args: { name: string }): Obj | null => {
    const r = ctx.state.runs.get(runKey(p.entity, p.name, args.name));
    return r === undefined ? null : runView(ctx, r);
  };
  return {
    __typename: 'Project',
    id: p.id,
    internalId: p.id,
    name: p.name,
    entityName: p.entity,
    entity: () => entityView(p.entity),
    createdAt: p.createdAt,
    computeHours: 0,
    storageBytes: 0,
    isBenchmark: false,
    isPublished: false,
    launchAgents: [],
    runQueues: [],
    tags: [],
    triggers: [],
    totalRunsWithGroup: 0,
    totalRunsWithJobType: 0,
    totalSweeps: () => [...ctx.state.sweeps.values()].filter((s) => s.entity === p.entity && s.project === p.name).length,
    runCount: () => runs().length,
    runActiveCount: () => runs().filter((r) => r.state === 'running').length,
    bucket: run,
    run,
    // Paged and ordered by creation as W&B's api.runs reads them (`-created_at` newest first; filters are not applied here).
    runs: (args: { first?: number | null; after?: string | null; order?: string | null }) => {
      const sorted = runs().sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.storageId.localeCompare(b.storageId));
      if (args.order === '-created_at') sorted.reverse();
      return pagedConnection(
        sorted.map((r) => runView(ctx, r)),
        args,
      );
    },
    sweep: (args: { sweepName: string }) => {
      const s = [...ctx.state.sweeps.values()].find((x) => x.entity === p.entity && x.project === p.name && x.name === args.sweepName);
      return s === undefined ? null : sweepView(ctx, s);
    },
    artifact: (args: { name: string }) => {
      const a = resolveArtifactName(ctx.state, p.entity, p.name, args.name);
      return a === undefined ? null : artifactView(ctx, a);
    },
  };
}

export function sweepView(ctx: ViewContext, s: ServerSweep): Obj {
  const method = /^\s*method:\s*(\S+)/m.exec(s.config)?.[1] ?? 'random';
  return {
    __typename: 'Sweep',
    id: s.id,
    name: s.name,
    state: s.state,
    config: s.config,
    controller: s.controller,
    scheduler: s.scheduler,
    description: s.description,
    displayName: s.displayName,
    method,
    createdAt: s.createdAt,
    heartbeatAt: s.createdAt,
    updatedAt: s.createdAt,
    earlyStopJobRunning: false,
    controllerRunName: '',
    bestLoss: null,
    runCount: s.runIds.length,
    runCountExpected: null,
    runTime: 0,
    agents: () => connection([...ctx.state.agents.values()].filter((a) => a.sweepName === s.name).map((a) => ({ id: a.id, host: a.host }))),
    priorRuns: connection([]),
    runs: () =>
      connection(
        [...ctx.state.runs.values()].filter((r) => r.sweepName === s.name && r.entity === s.entity && r.project === s.project).map((r) => runView(ctx, r)),
      ),
    project: () => {
      const p = ctx.state.projects.get(`${s.entity}/${s.project}`);
      return p === undefined ? null : projectView(ctx, p);
    },
  };
}

/** `name:alias`, `name:vN` or `name:<digest>` → the artifact version. */
export function resolveArtifactName(state: ServerState, entity: string, project: string, spec: string): ServerArtifact | undefined {
  const i = spec.lastIndexOf(':');
  const name = i < 0 ? spec : spec.slice(0, i);
  const alias = i < 0 ? 'latest' : spec.slice(i + 1);
  const coll = state.collections.get(`${entity}/${project}/${name}`);
  if (coll === undefined) return undefined;
  const byAlias = coll.aliases.get(alias.toLowerCase());
  if (byAlias !== undefined) return state.artifacts.get(byAlias);
  const ids = coll.isPortfolio ? coll.links : coll.versions;
  const m = /^v(\d+)$/.exec(alias);
  if (m !== null) {
    const id = ids[Number(m[1])];
    return id === undefined ? undefined : state.artifacts.get(id);
  }
  return ids.map((id) => state.artifacts.get(id)).find((a) => a?.digest === alias);
}

export function collectionView(ctx: ViewContext, c: ServerCollection): Obj {
  const latest = (): Obj | null => {
    const ids = c.isPortfolio ? c.links : c.versions;
    const id = ids[ids.length - 1];
    const a = id === undefined ? undefined : ctx.state.artifacts.get(id);
    return a === undefined ? null : artifactView(ctx, a);
  };
  return {
    __typename: c.isPortfolio ? 'ArtifactPortfolio' : 'ArtifactSequence',
    id: c.id,
    name: c.name,
    description: null,
    createdAt: new Date(0).toISOString(),
    state: 'READY',
    latestArtifact: latest,
    project: () => {
      const p = ctx.state.projects.get(`${c.entity}/${c.project}`);
      return p === undefined ? null : projectView(ctx, p);
    },
    defaultArtifactType: () => artifactTypeView(ctx, c.entity, c.project, c.type),
  };
}

export function artifactTypeView(ctx: ViewContext, entity: string, project: string, type: string): Obj {
  return { id: nodeId('ArtifactType', `${entity}/${project}/${type}`), name: type, createdAt: new Date(0).toISOString(), description: null };
}

export function artifactView(ctx: ViewContext, a: ServerArtifact): Obj {
  const coll = (): ServerCollection | undefined => ctx.state.collections.get(`${a.entity}/${a.project}/${a.collection}`);
  return {
    __typename: 'Artifact',
    id: a.id,
    digest: a.digest,
    state: a.state,
    description: a.description,
    metadata: a.metadata,
    historyStep: a.historyStep,
    createdAt: a.createdAt,
    updatedAt: a.createdAt,
    commitHash: null,
    fileCount: a.files.size,
    size: [...a.files.values()].reduce((n, f) => n + (f.data?.length ?? 0), 0),
    storageBytes: 0,
    usedCount: a.usedBy.length,
    versionIndex: (args: { artifactCollectionName?: string | null }) => {
      if (args.artifactCollectionName !== undefined && args.artifactCollectionName !== null && args.artifactCollectionName !== a.collection) {
        const c = ctx.state.collections.get(`${a.entity}/${a.project}/${args.artifactCollectionName}`);
        const i = c?.links.indexOf(a.id) ?? -1;
        return i < 0 ? null : i;
      }
      return a.versionIndex;
    },
    aliases: () => {
      const c = coll();
      if (c === undefined) return [];
      return [...c.aliases.entries()]
        .filter(([, id]) => id === a.id)
        .map(([alias]) => ({ id: nodeId('ArtifactAlias', `${a.id}:${alias}`), alias, artifactCollectionName: c.name }));
    },
    artifactType: () => artifactTypeView(ctx, a.entity, a.project, a.type),
    artifactSequence: () => {
      const c = coll();
      return c === undefined ? null : collectionView(ctx, c);
    },
    currentManifest: () =>
      a.manifest === null
        ? null
        : {
            id: a.manifest.id,
            digest: a.manifest.digest,
            type: a.manifest.type,
            createdAt: a.createdAt,
            file: fileView(ctx, a.manifest.storagePath, 'wandb_manifest.json', a.manifest.data),
          },
    files: () => connection([...a.files.values()].map((f) => fileView(ctx, f.storagePath, f.name, f.data, { md5: f.md5, digest: f.md5 }))),
  };
}
