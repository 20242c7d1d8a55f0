/**
 * Online delivery: W&B's `notifyScriptableRunAlert` (PROTOCOL.md §7), which notifies by Slack or
 * e-mail as the user set up on the server. The run must exist there first.
 */
import type { ActionContext } from '../actions/context.js';
import { connect as defaultConnect, type Connection } from '../online/connection.js';
import { ensureRunOnServer as defaultEnsure } from '../online/replicate.js';
import type { RunRecord, Store } from '../store/index.js';
import { notifyScriptableRunAlert } from '../wandb/operations.js';
import type { AlertEvent } from './payloads.js';
import type { DeliveryOutcome } from './webhooks.js';

export const WANDB_CHANNEL = 'wandb';

/** The online parts, injectable so tests can stand in for the run replicator. */
export interface WandbDeps {
  connect: (ctx: ActionContext) => Promise<Connection>;
  ensureRunOnServer: (ctx: ActionContext, store: Store, run: RunRecord, conn: Connection) => Promise<unknown>;
  /** Upper bound on the whole exchange; the W&B client's own retries run inside it. */
  timeoutMs: number;
}

export const DEFAULT_WANDB_DEPS: WandbDeps = { connect: (ctx) => defaultConnect(ctx), ensureRunOnServer: defaultEnsure, timeoutMs: 20000 };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Sends the alert to W&B; never throws (a failure is an outcome with `ok: false`). */
export async function deliverToWandb(ctx: ActionContext, store: Store, run: RunRecord, event: AlertEvent, deps: WandbDeps = DEFAULT_WANDB_DEPS): Promise<DeliveryOutcome> {
  const work = (async (): Promise<DeliveryOutcome> => {
    const conn = await deps.connect(ctx);
    await deps.ensureRunOnServer(ctx, store, run, conn);
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
  const timeout = new Promise<DeliveryOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ channel: WANDB_CHANNEL, ok: false, attempts: 1, error: `timed out after ${deps.timeoutMs} ms` }), deps.timeoutMs);
  });
  try {
    return await Promise.race([work.catch((err: unknown) => ({ channel: WANDB_CHANNEL, ok: false, attempts: 1, error: message(err) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
