/**
 * Root resolvers of the test server for runs, files, alerts and reports.
 * Artifact resolvers live in wandb-server-artifacts.ts, sweep and agent ones in wandb-server-sweep-resolvers.ts.
 */
import type { SignedTarget } from './wandb-server-state.js';
import { ensureProject, findRunByStorageId, newRun, nodeId, runKey, shortId } from './wandb-server-state.js';
import { entityView, projectView, runView, viewerView, type ViewContext } from './wandb-server-views.js';
import { artifactResolvers } from './wandb-server-artifacts.js';
import { fail, parseJsonObject } from './wandb-server-input.js';
import { findSweepByName, sweepResolvers } from './wandb-server-sweep-resolvers.js';

export interface ResolverContext extends ViewContext {
  /** A signed upload URL for a target (no auth needed; records the bytes). */
  uploadUrl(target: SignedTarget): string;
  uploadHeaders: string[];
  nullUploadUrlFiles: ReadonlySet<string>;
}

type Args<T> = { input: T };
type Obj = Record<string, unknown>;

interface UpsertBucketInput {
  id?: string | null;
  name?: string | null;
  modelName?: string | null;
  entityName?: string | null;
  displayName?: string | null;
  description?: string | null;
  notes?: string | null;
  config?: string | null;
  commit?: string | null;
  host?: string | null;
  jobProgram?: string | null;
  jobRepo?: string | null;
  jobType?: string | null;
  groupName?: string | null;
  state?: string | null;
  sweep?: string | null;
  tags?: (string | null)[] | null;
  summaryMetrics?: string | null;
  debug?: boolean | null;
}

/** The root value: query and mutation fields together (graphql-js reads both from it). */
export function rootResolvers(ctx: ResolverContext): Obj {
  const { state } = ctx;
  return {
    viewer: () => viewerView(state),
    serverInfo: () => ({
      features: Object.entries(state.features).map(([name, isEnabled]) => ({ name, isEnabled })),
      cliVersionInfo: {},
      frontendHost: '',
      availableBucketProviders: [],
      availableCloudRegions: [],
      defaultCloudRegion: { id: 'default', provider: 'AWS', region: 'default' },
      exposesExplicitRunQueueAckPath: false,
      hasLocalLicense: false,
      isGoogleIap: false,
      licenseFlags: [],
      pollingOK: true,
      secureStorageConnectorEnabled: false,
      slackClientID: '',
      userLimitReached: false,
      viewOnlyUserLimitReached: false,
    }),
    model: (args: { name?: string | null; entityName?: string | null }) => {
      const p = state.projects.get(`${args.entityName ?? state.viewer.entity}/${args.name ?? 'uncategorized'}`);
      return p === undefined ? null : projectView(ctx, p);
    },
    project: (args: { name?: string | null; entityName?: string | null }) => {
      const p = state.projects.get(`${args.entityName ?? state.viewer.entity}/${args.name ?? 'uncategorized'}`);
      return p === undefined ? null : projectView(ctx, p);
    },
    entity: (args: { name?: string | null }) => entityView(args.name ?? state.viewer.entity),
    view: (args: { id: string }) => {
      const v = state.views.get(args.id);
      if (v === undefined) return null;
      const p = state.projects.get(`${v.entity}/${v.project}`);
      return {
        ...v,
        entityName: v.entity,
        projectName: v.project,
        project: p === undefined ? null : projectView(ctx, p),
        createdUsing: 'WANDB_SDK',
        locked: false,
        accessTokens: [],
        starCount: 0,
        viewCount: 0,
        uploadHeaders: [],
      };
    },

    upsertBucket: ({ input }: Args<UpsertBucketInput>) => {
      const entity = input.entityName ?? state.viewer.entity;
      const projectName = input.modelName ?? 'uncategorized';
      let run = input.id != null ? findRunByStorageId(state, input.id) : undefined;
      if (input.id != null && run === undefined) fail(`run ${input.id} not found`);
      const name = run?.name ?? input.name ?? shortId();
      run ??= state.runs.get(runKey(entity, projectName, name));
      let inserted = false;
      ensureProject(state, entity, projectName);
      if (run === undefined) {
        run = newRun(state, entity, projectName, name);
        inserted = true;
      }
      if (run.state === 'pending') run.state = 'running';
      run.upserts += 1;
      if (input.config != null) {
        run.config = parseJsonObject(input.config, 'config');
        run.configJson = input.config;
      }
      if (input.summaryMetrics != null) {
        run.summary = parseJsonObject(input.summaryMetrics, 'summaryMetrics');
        run.summaryText = input.summaryMetrics;
      }
      if (input.displayName != null) run.displayName = input.displayName;
      if (input.description != null) run.description = input.description;
      if (input.notes != null) run.notes = input.notes;
      if (input.tags != null) run.tags = input.tags.filter((t): t is string => t !== null);
      if (input.groupName != null) run.group = input.groupName;
      if (input.jobType != null) run.jobType = input.jobType;
      if (input.host != null) run.host = input.host;
      if (input.jobProgram != null) run.program = input.jobProgram;
      if (input.commit != null) run.commit = input.commit;
      if (input.state != null) run.state = input.state as typeof run.state;
      if (input.sweep != null) {
        const sweep = findSweepByName(state, input.sweep, entity, projectName);
        if (sweep === undefined) fail(`sweep ${input.sweep} not found`);
        run.sweepName = input.sweep;
        if (!sweep.runIds.includes(run.name)) sweep.runIds.push(run.name);
      }
      return { bucket: runView(ctx, run), inserted };
    },

    createRunFiles: ({ input }: Args<{ entityName: string; projectName: string; runName: string; files: string[] }>) => {
      const run = state.runs.get(runKey(input.entityName, input.projectName, input.runName));
      if (run === undefined) fail(`run ${input.entityName}/${input.projectName}/${input.runName} not found`);
      return {
        runID: run.storageId,
        uploadHeaders: ctx.uploadHeaders,
        files: input.files.map((name) => ({
          name,
          uploadUrl: ctx.nullUploadUrlFiles.has(name) ? null : ctx.uploadUrl({ kind: 'run-file', runKey: runKey(run.entity, run.project, run.name), name }),
        })),
      };
    },

    notifyScriptableRunAlert: ({
      input,
    }: Args<{
      entityName: string;
      projectName: string;
      runName: string;
      title: string;
      text: string;
      severity?: string | null;
      waitDuration?: number | null;
    }>) => {
      if (!state.runs.has(runKey(input.entityName, input.projectName, input.runName))) fail(`run ${input.runName} not found`);
      state.alerts.push({
        entity: input.entityName,
        project: input.projectName,
        runName: input.runName,
        title: input.title,
        text: input.text,
        severity: input.severity ?? 'INFO',
        waitDuration: input.waitDuration ?? null,
        at: Date.now(),
      });
      return { success: true };
    },

    stopRun: ({ input }: Args<{ id: string }>) => {
      const run = findRunByStorageId(state, input.id);
      if (run === undefined) fail(`run ${input.id} not found`);
      run.stopped = true;
      return { success: true };
    },

    upsertModel: ({ input }: Args<{ name?: string | null; entityName?: string | null }>) => {
      const entity = input.entityName ?? state.viewer.entity;
      const name = input.name ?? fail('name is required');
      const inserted = !state.projects.has(`${entity}/${name}`);
      const p = projectView(ctx, ensureProject(state, entity, name));
      return { project: p, model: p, entityName: entity, inserted };
    },

    createAccessToken: ({ input }: Args<{ viewId: string; projects: Array<{ entityName: string; projectName: string }> }>) => {
      const view = state.views.get(input.viewId) ?? fail(`view ${input.viewId} not found`);
      const token = `tok_${shortId(24)}`;
      state.accessTokens.set(token, { viewId: view.id, projects: input.projects.map((p) => `${p.entityName}/${p.projectName}`) });
      return {
        accessToken: {
          id: nodeId('AccessToken', state.accessTokens.size),
          token,
          type: 'RESTRICTED',
          createdAt: new Date().toISOString(),
          emails: [],
          projects: [],
        },
      };
    },

    upsertView: ({
      input,
    }: Args<{
      id?: string | null;
      entityName?: string | null;
      projectName?: string | null;
      type?: string | null;
      name?: string | null;
      displayName?: string | null;
      description?: string | null;
      spec?: string | null;
    }>) => {
      const now = new Date().toISOString();
      const existing = input.id != null ? state.views.get(input.id) : undefined;
      if (input.id != null && existing === undefined) fail(`view ${input.id} not found`);
      if (input.spec != null) parseJsonObject(input.spec, 'spec');
      const entity = existing?.entity ?? input.entityName ?? state.viewer.entity;
      const projectName = existing?.project ?? input.projectName ?? fail('projectName is required');
      const project = state.projects.get(`${entity}/${projectName}`);
      if (project === undefined) fail(`project ${entity}/${projectName} not found`);
      const view = existing ?? {
        id: nodeId('View', state.views.size + 1),
        entity,
        project: projectName,
        type: input.type ?? 'runs',
        name: input.name ?? shortId(12),
        displayName: null,
        description: null,
        spec: '{}',
        createdAt: now,
        updatedAt: now,
      };
      if (input.type != null) view.type = input.type;
      if (input.displayName != null) view.displayName = input.displayName;
      if (input.description != null) view.description = input.description;
      if (input.spec != null) view.spec = input.spec;
      view.updatedAt = now;
      state.views.set(view.id, view);
      return {
        inserted: existing === undefined,
        view: {
          ...view,
          entityName: entity,
          projectName,
          project: projectView(ctx, project),
          createdUsing: 'WANDB_SDK',
          locked: false,
          accessTokens: [],
          starCount: 0,
          viewCount: 0,
          uploadHeaders: [],
        },
      };
    },

    ...sweepResolvers(ctx),
    ...artifactResolvers(ctx),
  };
}
