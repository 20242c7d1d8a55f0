/**
 * Online delivery: W&B's `notifyScriptableRunAlert` (PROTOCOL.md §7), which notifies by Slack or
 * e-mail as the user set up on the server. The run must exist there first.
 */
import type { AlertLevel } from '../store/alerts.js';
import type { RunRecord, Store } from '../store/index.js';
import { notifyScriptableRunAlert } from '../wandb/operations.js';
import { connect as defaultConnect, type Connection } from './connection.js';
import { ensureRunOnServer as defaultEnsure } from './runs.js';
import type { OnlineScope } from './scope.js';

/** What W&B is told of an alert (the fields of alerts/' event that its API takes). */
export interface WandbAlert {
  title: string;
  text: string;
  level: AlertLevel;
  /** Seconds. */
  waitDuration: number;
}

/** One channel's outcome, as alerts/ records it for every channel. */
export interface WandbDeliveryOutcome {
  channel: string;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export const WANDB_CHANNEL = 'wandb';

/** The online parts, injectable so tests can stand in for the run replicator. */
export interface WandbDeps {
  connect: (scope: OnlineScope) => Promise<Connection>;
  ensureRunOnServer: (scope: OnlineScope, store: Store, run: RunRecord, conn: Connection) => Promise<unknown>;
  /** Upper bound on the whole exchange; the W&B client's own retries run inside it. */
  timeoutMs: number;
}

export const DEFAULT_WANDB_DEPS: WandbDeps = { connect: (scope) => defaultConnect(scope), ensureRunOnServer: defaultEnsure, timeoutMs: 20000 };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Sends the alert to W&B; never throws (a failure is an outcome with `ok: false`). */
export async function deliverToWandb(
  scope: OnlineScope,
  store: Store,
  run: RunRecord,
  event: WandbAlert,
  deps: WandbDeps = DEFAULT_WANDB_DEPS,
): Promise<WandbDeliveryOutcome> {
  const work = (async (): Promise<WandbDeliveryOutcome> => {
    const conn = await deps.connect(scope);
    await deps.ensureRunOnServer(scope, store, run, conn);
    const success = await notifyScriptableRunAlert(conn.client, {
      entityName: conn.entity,
      projectName: run.project,
      runName: run.id,
      title: event.title,
      text: event.text,
      severity: event.level,
      // W&B takes milliseconds (the Python SDK multiplies seconds by 1000).
      waitDuration: Math.round(event.waitDuration * 1000),
    });
    return success
      ? { channel: WANDB_CHANNEL, ok: true, attempts: 1 }
      : { channel: WANDB_CHANNEL, ok: false, attempts: 1, error: 'the W&B server answered success: false' };
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<WandbDeliveryOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ channel: WANDB_CHANNEL, ok: false, attempts: 1, error: `timed out after ${deps.timeoutMs} ms` }), deps.timeoutMs);
  });
  try {
    return await Promise.race([work.catch((err: unknown) => ({ channel: WANDB_CHANNEL, ok: false, attempts: 1, error: message(err) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
