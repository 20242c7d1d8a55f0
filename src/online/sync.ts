import { SkillError } from '../errors.js';
import { createSkillRunner, type SkillOptions } from '../skill.js';
import { connect } from './connection.js';
import { replicateRun, syncTableOf } from './replicate.js';

export interface SyncOptions extends SkillOptions {
  /** Only these run ids (default: every run with unsent data). */
  runIds?: string[];
  /** Only runs of this project. */
  project?: string;
  entity?: string;
  /** Called after each run. */
  onRunSynced?: (p: SyncProgress) => void;
}

export interface SyncProgress {
  done: number;
  total: number;
  runId: string;
  project: string;
  synced: boolean;
  linesSent: number;
  error?: string;
}

export interface SyncResult {
  runs: Array<{ runId: string; project: string; synced: boolean; linesSent: number; runUrl?: string; error?: string }>;
  /** Artifact versions, uses and registry links that were logged offline or failed to upload. */
  artifacts?: Record<string, unknown>;
}

/**
 * `wandb-skill sync`: pushes every run of the store that has unsent data (or the ones named) to the
 * W&B server — runs logged offline become runs there with the same ids, configs and history.
 * Resumable and idempotent: it continues from each run's acknowledged cursor.
 */
export async function syncRuns(options: SyncOptions = {}): Promise<SyncResult> {
  const runner = createSkillRunner({ replication: 'sync', ...options });
  try {
    const input = {
      action: 'init' as const,
      mode: 'online' as const,
      ...(options.project !== undefined ? { project: options.project } : {}),
      ...(options.entity !== undefined ? { entity: options.entity } : {}),
    };
    return await runner.withContext(input, async (ctx, store) => {
      const conn = await connect(ctx);
      const sync = syncTableOf(store);
      let keys = sync.unsentRunKeys();
      const runs = keys.map((k) => store.runs.getByKey(k)).filter((r) => r !== undefined);
      let selected = runs.filter((r) => options.project === undefined || r.project === options.project);
      if (options.runIds !== undefined && options.runIds.length > 0) {
        const wanted = new Set(options.runIds);
        const missing = options.runIds.filter((id) => store.runs.findById(id).length === 0);
        if (missing.length > 0) {
          throw new SkillError('NOT_FOUND', `no run ${missing.join(', ')} in the store`, {
            details: { issues: missing.map((id) => ({ path: 'runIds', message: `no run ${id}` })) },
          });
        }
        selected = selected.filter((r) => wanted.has(r.id));
      }
      keys = selected.map((r) => r.key);
      const result: SyncResult = { runs: [] };
      let done = 0;
      for (const run of selected) {
        const out = await replicateRun(ctx, store, conn, run.key, {
          owner: `sync-${process.pid}`,
          deadlineMs: ctx.now() + Math.max(ctx.settings.syncTimeoutMs, 60_000),
        });
        done++;
        const entry = {
          runId: run.id,
          project: run.project,
          synced: out.synced,
          linesSent: out.linesSent,
          ...(out.runUrl !== undefined ? { runUrl: out.runUrl } : {}),
          ...(out.error !== undefined ? { error: `${out.error.code}: ${out.error.message}` } : {}),
        };
        result.runs.push(entry);
        options.onRunSynced?.({ done, total: keys.length, ...entry });
      }
      // Artifacts after their runs: a version names the run that made it.
      const { syncArtifacts } = await import('../actions/artifact/sync.js');
      result.artifacts = { ...(await syncArtifacts(ctx, store, conn)) };
      return result;
    });
  } finally {
    runner.close();
  }
}
