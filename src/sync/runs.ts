/**
 * `wandb-skill sync` over one store: every run with unsent data (or the ones named) goes to the W&B
 * server, then the artifacts. Resumable and idempotent: each run continues from its acknowledged cursor.
 */
import { SkillError } from '../errors.js';
import { connect } from '../online/connection.js';
import { replicateRun } from '../online/runs.js';
import type { OnlineScope } from '../online/scope.js';
import type { Store } from '../store/index.js';
import { syncArtifacts } from './artifacts.js';

export interface SyncSelection {
  /** Only these run ids (default: every run with unsent data). */
  runIds?: string[];
  /** Only runs of this project. */
  project?: string;
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

/** Sends what `store` holds and the W&B server of `scope.settings` has not seen. */
export async function syncStore(scope: OnlineScope, store: Store, options: SyncSelection = {}): Promise<SyncResult> {
  const conn = await connect(scope);
  const sync = store.sync;
  const runs = sync
    .unsentRunKeys()
    .map((k) => store.runs.getByKey(k))
    .filter((r) => r !== undefined);
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
  const result: SyncResult = { runs: [] };
  let done = 0;
  for (const run of selected) {
    const out = await replicateRun(scope, store, conn, run.key, {
      owner: `sync-${process.pid}`,
      deadlineMs: scope.now() + Math.max(scope.settings.syncTimeoutMs, 60_000),
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
    options.onRunSynced?.({ done, total: selected.length, ...entry });
  }
  // Artifacts after their runs: a version names the run that made it.
  result.artifacts = { ...(await syncArtifacts(scope, store, conn)) };
  return result;
}
