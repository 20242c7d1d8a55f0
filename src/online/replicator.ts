import type { SkillOutput } from '../contract/types.generated.js';
import type { Store } from '../store/index.js';
import { normalizeError } from '../errors.js';
import { connect } from './connection.js';
import { replicateRun } from './runs.js';
import type { OnlineScope } from './scope.js';

/** Output fields a replication adds to the call's answer, and its warnings. */
export type ReplicationFields = Partial<Pick<SkillOutput, 'synced' | 'runUrl' | 'entity' | 'shouldStop'>> & { warnings?: string[] };

/**
 * When replication happens. `sync`: before the call returns, within the settings' sync timeout (a
 * one-call process: the CLI, executeSkill without a runner). `background`: a long-lived runner
 * batches runs and sends them every `intervalMs`, and at once on finish and on flush().
 */
export type ReplicationMode = 'sync' | 'background';

export interface ReplicatorOptions {
  mode: ReplicationMode;
  owner: string;
  version: string;
  intervalMs?: number;
  /** Background mode: how often a running run that sent nothing new still tells the server it lives (W&B: 30 s). */
  heartbeatMs?: number;
}

export interface Replicator {
  /** Replicates (or schedules) the run a call touched; returns output fields to merge. */
  afterCall(scope: OnlineScope, store: Store, runId: string, project: string, finishing: boolean): Promise<ReplicationFields>;
  /** Sends everything scheduled; resolves when done (errors become log lines). */
  flush(): Promise<void>;
  /** Drops what is scheduled (it stays in the store for `sync`) and sends nothing more. */
  stop(): void;
}

interface Pending {
  scope: OnlineScope;
  store: Store;
  runKey: number;
  /** Sent by the heartbeat timer: post `{}` if there is nothing new. */
  heartbeat?: boolean;
}

export function createReplicator(options: ReplicatorOptions): Replicator {
  const pending = new Map<string, Pending>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  // Running runs this runner replicates: re-sent every heartbeatMs (the summary's runtime moves), so the
  // server does not mark a quiet run crashed, as W&B does when heartbeats stop.
  const live = new Map<string, Pending>();
  let heartbeat: NodeJS.Timeout | undefined;
  const startHeartbeat = (): void => {
    heartbeat ??= setInterval(() => {
      for (const [k, p] of live) if (!pending.has(k)) pending.set(k, { ...p, heartbeat: true });
      if (pending.size > 0) void drain();
    }, options.heartbeatMs ?? 30_000).unref();
  };

  async function replicate(p: Pending): Promise<ReplicationFields> {
    const { scope, store, runKey } = p;
    const deadlineMs = scope.now() + scope.settings.syncTimeoutMs;
    try {
      const conn = await connect(scope, { deadlineMs });
      const out = await replicateRun(scope, store, conn, runKey, {
        owner: options.owner,
        deadlineMs,
        version: options.version,
        heartbeat: p.heartbeat === true,
      });
      const fields: ReplicationFields = { synced: out.synced };
      if (out.runUrl !== undefined) fields.runUrl = out.runUrl;
      if (out.entity !== undefined) fields.entity = out.entity;
      if (out.stopRequested) fields.shouldStop = true;
      if (!out.synced) {
        fields.warnings = [
          `stored locally but not yet on the W&B server (${out.error?.code ?? 'TIMEOUT'}: ${out.error?.message ?? 'not finished'}); \`wandb-skill sync\` sends it later`,
        ];
      }
      return fields;
    } catch (err) {
      const e = normalizeError(err);
      return { synced: false, warnings: [`stored locally but not on the W&B server (${e.code}: ${e.message}); \`wandb-skill sync\` sends it later`] };
    }
  }

  function drain(): Promise<void> {
    const batch = [...pending.values()];
    pending.clear();
    running = running.then(async () => {
      for (const p of batch) {
        if (stopped) return;
        const out = await replicate(p);
        if (out.warnings) p.scope.logger.warn({ runKey: p.runKey }, out.warnings.join('; '));
      }
    });
    return running;
  }

  return {
    async afterCall(scope, store, runId, project, finishing) {
      const run = store.runs.get(project, runId);
      if (run === undefined) return {};
      const p: Pending = { scope, store, runKey: run.key };
      const key = `${store.path}#${run.key}`;
      if (finishing) live.delete(key);
      else if (options.mode === 'background') {
        live.set(key, p);
        startHeartbeat();
      }
      if (options.mode === 'sync' || finishing) {
        await running; // background sends of this run first, so offsets stay in order
        pending.delete(`${store.path}#${run.key}`);
        return replicate(p);
      }
      pending.set(`${store.path}#${run.key}`, p);
      timer ??= setTimeout(() => {
        timer = undefined;
        void drain();
      }, options.intervalMs ?? 2000).unref();
      // The server's stop request, as learnt by an earlier send.
      const state = store.sync.get(run.key);
      return state?.stopRequested ? { shouldStop: true } : {};
    },
    stop() {
      stopped = true;
      if (heartbeat !== undefined) clearInterval(heartbeat);
      live.clear();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending.clear();
    },
    async flush() {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      await drain();
    },
  };
}
