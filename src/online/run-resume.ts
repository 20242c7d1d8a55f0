import type { Store } from '../store/index.js';
import { parseExtended } from '../json/extended-json.js';
import { normalizeError } from '../errors.js';
import { runResumeStatus } from '../wandb/operations.js';
import { decodeConfig } from '../wandb/config-encoding.js';
import { createRun } from '../runs/lifecycle.js';
import { redactUrl } from '../redact-url.js';
import { connect } from './connection.js';
import type { OnlineScope } from './scope.js';

/** A resumed run is owned like one this caller creates (an agent's or a tracker's). */
export interface ResumeScope extends OnlineScope {
  readonly ownsRuns?: boolean | undefined;
}

function lastStep(historyTail: string | null): number | undefined {
  if (historyTail === null) return undefined;
  try {
    const lines = JSON.parse(historyTail) as unknown[];
    const last = lines[lines.length - 1];
    if (typeof last !== 'string') return undefined;
    const step = (parseExtended(last) as { _step?: unknown })._step;
    return typeof step === 'number' ? step : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Online resume of a run this store has never seen (it was started on another machine): asks the
 * server (RunResumeStatus, as W&B's SDK does) and, when the run exists there, makes a local copy
 * whose history continues at the server's line count and next step. Returns whether it did.
 * A server that cannot be reached leaves the decision to the local store, with a warning.
 */
export async function pullRunForResume(scope: ResumeScope, store: Store, runId: string): Promise<boolean> {
  const { settings } = scope;
  try {
    const conn = await connect(scope, { deadlineMs: scope.now() + settings.syncTimeoutMs });
    const status = await runResumeStatus(conn.client, { project: settings.project, entity: conn.entity, name: runId });
    const bucket = status.bucket;
    if (!status.exists || bucket === null) return false;
    const { config } = decodeConfig(bucket.config ?? '{}');
    let summary: Record<string, unknown> = {};
    try {
      summary = (parseExtended(bucket.summaryMetrics ?? '{}') ?? {}) as Record<string, unknown>;
    } catch {
      summary = {};
    }
    const lines = bucket.historyLineCount ?? 0;
    const step = lines > 0 ? (lastStep(bucket.historyTail) ?? lines - 1) + 1 : 0;
    const wandb = summary['_wandb'] as { runtime?: unknown } | undefined;
    const runtime = typeof wandb?.runtime === 'number' ? wandb.runtime : typeof summary['_runtime'] === 'number' ? (summary['_runtime'] as number) : 0;
    store.write(() => {
      if (store.runs.get(settings.project, runId) !== undefined) return;
      const run = createRun(scope, store, {
        id: runId,
        name: bucket.displayName ?? undefined,
        config,
        tags: bucket.tags ?? undefined,
        notes: bucket.notes ?? undefined,
        sweepId: bucket.sweepName ?? undefined,
      });
      const now = scope.now() / 1000;
      // Ended, so that init's resume path continues its _runtime from the server's.
      store.runs.saveMeta(run.key, {
        ...run,
        entity: status.project?.entity ?? conn.entity,
        state: 'finished',
        runtimeBase: runtime,
        segmentStart: now,
        finishedAt: now,
        exitCode: 0,
        now,
      });
      store.runs.saveProgress(run.key, {
        state: 'finished',
        step,
        historyCount: 0,
        summary: { value: summary, seq: 0 },
        pendingRow: null,
        heartbeatAt: now,
        finishedAt: now,
        exitCode: 0,
      });
      const sync = store.sync;
      sync.ensure(run.key, redactUrl(conn.baseUrl));
      // Local line N is server line historyLineCount + N.
      sync.update(run.key, { storageId: bucket.id, entity: status.project?.entity ?? conn.entity, lineOffset: lines, historySent: 0 });
    });
    scope.warn(`run ${runId} was resumed from the W&B server (it had ${lines} history lines there)`);
    return true;
  } catch (err) {
    const e = normalizeError(err);
    scope.warn(`could not ask the W&B server about run ${runId} (${e.code}: ${e.message}); using the local store only`);
    return false;
  }
}
