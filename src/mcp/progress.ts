import type { ProgressEvent } from '../services.js';

/** How often a request hears about the same long job; MCP clients redraw on each notification. */
const MIN_INTERVAL_MS = 100;

/** How long a result waits after its request's last progress notification was written. */
const SETTLE_MS = 30;

export interface ProgressNotification {
  method: 'notifications/progress';
  params: { progressToken: string | number; progress: number; total?: number; message?: string };
}

/**
 * The runner's progress events for one request as MCP progress notifications: at most one per
 * 100 ms (the last one always), and `progress` only ever increasing, as the protocol requires.
 */
export interface ProgressSender {
  (p: ProgressEvent): void;
  /**
   * Resolves once every notification sent so far is written, and a moment (30 ms) later:
   * the SDK's client drops progress it handles after the request's result (its notification handlers
   * run a microtask late), so the result should not share a read with the last notification.
   */
  sent(): Promise<void>;
}

export function progressSender(send: (n: ProgressNotification) => Promise<void>, progressToken: string | number, now: () => number = Date.now): ProgressSender {
  let lastDone = Number.NEGATIVE_INFINITY;
  let lastAt = Number.NEGATIVE_INFINITY;
  let count = 0;
  let pending: Promise<void> = Promise.resolve();
  const sender = (p: ProgressEvent): void => {
    const t = now();
    const finished = p.done >= p.total;
    if (p.done <= lastDone || (!finished && t - lastAt < MIN_INTERVAL_MS)) return;
    lastDone = p.done;
    lastAt = t;
    const params = { progressToken, progress: p.done, total: p.total, message: `${p.label}: ${p.done} of ${p.total} ${p.unit}` };
    // A notification that cannot be sent (the client went away) must not fail the call.
    count++;
    pending = pending.then(() => send({ method: 'notifications/progress', params })).catch(() => undefined);
  };
  const sent = async (): Promise<void> => {
    if (count === 0) return;
    await pending;
    // Written is not read: a loaded client may still read both in one chunk after one turn, so the
    // result waits a little longer (only requests that sent progress, i.e. long work, pay it).
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  };
  return Object.assign(sender, { sent });
}
