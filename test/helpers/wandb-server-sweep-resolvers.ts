/** Sweep and agent resolvers of the test server: upsertSweep, createAgent, agentHeartbeat (commands from wandb-server-sweeps.ts). */
import type { ResolverContext } from './wandb-server-resolvers.js';
import type { ServerState } from './wandb-server-state.js';
import { ensureProject, nodeId, shortId } from './wandb-server-state.js';
import { sweepView } from './wandb-server-views.js';
import { nextSweepCommands } from './wandb-server-sweeps.js';
import { fail, parseJsonObject } from './wandb-server-input.js';

type Args<T> = { input: T };

export function findSweepByName(state: ServerState, name: string, entity?: string | null, project?: string | null) {
  return [...state.sweeps.values()].find((s) => s.name === name && (entity == null || s.entity === entity) && (project == null || s.project === project));
}

export function sweepResolvers(ctx: ResolverContext): Record<string, unknown> {
  const { state } = ctx;
  return {
    upsertSweep: ({
      input,
    }: Args<{
      id?: string | null;
      config?: string | null;
      description?: string | null;
      entityName?: string | null;
      projectName?: string | null;
      controller?: string | null;
      scheduler?: string | null;
      state?: string | null;
      displayName?: string | null;
    }>) => {
      let sweep = input.id != null ? [...state.sweeps.values()].find((s) => s.id === input.id) : undefined;
      if (input.id != null && sweep === undefined) fail(`sweep ${input.id} not found`);
      const inserted = sweep === undefined;
      if (sweep === undefined) {
        if (input.config == null) fail('config is required to create a sweep');
        const entity = input.entityName ?? state.viewer.entity;
        const project = input.projectName ?? 'uncategorized';
        ensureProject(state, entity, project);
        const name = shortId();
        sweep = {
          id: nodeId('Sweep', state.sweeps.size + 1),
          name,
          entity,
          project,
          config: input.config,
          state: 'PENDING',
          controller: null,
          scheduler: null,
          description: null,
          displayName: null,
          commandQueue: [],
          runIds: [],
          gridIndex: 0,
          createdAt: new Date().toISOString(),
          upserts: [],
        };
        state.sweeps.set(name, sweep);
      }
      sweep.upserts.push({ ...input });
      if (input.config != null) sweep.config = input.config;
      if (input.state != null) sweep.state = input.state;
      if (input.controller != null) sweep.controller = input.controller;
      if (input.scheduler != null) sweep.scheduler = input.scheduler;
      if (input.description != null) sweep.description = input.description;
      if (input.displayName != null) sweep.displayName = input.displayName;
      return { sweep: sweepView(ctx, sweep), configValidationWarnings: [], inserted };
    },

    createAgent: ({ input }: Args<{ host: string; projectName?: string | null; entityName?: string | null; sweep: string }>) => {
      const sweep = findSweepByName(state, input.sweep, input.entityName, input.projectName);
      if (sweep === undefined) fail(`sweep ${input.sweep} not found`);
      if (sweep.state === 'PENDING') sweep.state = 'RUNNING';
      const id = nodeId('Agent', state.agents.size + 1);
      state.agents.set(id, { id, sweepName: sweep.name, entity: sweep.entity, project: sweep.project, host: input.host, heartbeats: [] });
      return { agent: { id, host: input.host, name: id, createdAt: new Date().toISOString(), metrics: '{}', totalRuns: 0 } };
    },

    agentHeartbeat: ({ input }: Args<{ id: string; metrics?: string | null; runState?: string | null }>) => {
      const agent = state.agents.get(input.id);
      if (agent === undefined) fail(`agent ${input.id} not found`);
      const runState = input.runState == null ? {} : parseJsonObject(input.runState, 'runState');
      agent.heartbeats.push({ metrics: input.metrics == null ? null : JSON.parse(input.metrics), runState });
      const sweep = state.sweeps.get(agent.sweepName);
      if (sweep === undefined) fail(`sweep ${agent.sweepName} not found`);
      const commands = nextSweepCommands(state, sweep, runState);
      return { agent: { id: agent.id }, commands: JSON.stringify(commands) };
    },
  };
}
