/**
 * Online delivery: W&B's `notifyScriptableRunAlert` (PROTOCOL.md §7), which notifies by Slack or
 * e-mail as the user set up on the server. The run must exist there first.
 */
import type { AlertLevel } from '../store/alerts.js';
import type { RunRecord, Store } from '../store/index.js';
import { notifyScriptableRunAlert } from '../wandb/operations.js';
import { connect } from './connection.js';
import { ensureRunOnServer } from './runs.js';
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

/** Upper bound on the whole exchange (connect, the run on the server, the alert); the W&B client's own retries run inside it. */
export const WANDB_ALERT_TIMEOUT_MS = 20_000;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Sends the alert to W&B; never throws (a failure is an outcome with `ok: false`). Every request and
 * retry wait runs under one deadline, so nothing of the exchange outlives the call.
 */
export async function deliverToWandb(
  scope: OnlineScope,
  store: Store,
  run: RunRecord,
  event: WandbAlert,
  timeoutMs: number = WANDB_ALERT_TIMEOUT_MS,
): Promise<WandbDeliveryOutcome> {
  try {
    const conn = await connect(scope, { deadlineMs: scope.now() + timeoutMs });
    await ensureRunOnServer(scope, store, run, conn);
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
  } catch (err) {
    return { channel: WANDB_CHANNEL, ok: false, attempts: 1, error: message(err) };
  }
}
