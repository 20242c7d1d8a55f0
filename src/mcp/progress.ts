import type { ProgressEvent } from '../services.js';

/** How often a request hears about the same long job; MCP clients redraw on each notification. */
const MIN_INTERVAL_MS = 100;

export interface ProgressNotification {
  method: 'notifications/progress';
  params: { progressToken: string | number; progress: number; total?: number; message?: string };
}

/**
 * One request's progress sink, handed to the runner for that call alone (so concurrent calls each
 * hear their own work): the runner's progress events as MCP progress notifications, at most one per
 * 100 ms and with `progress` only ever increasing, as the protocol requires.
 *
 * The last event is not forced out: the result follows at once and says the work is done, and a
 * notification read in the same chunk as its result is one the TypeScript SDK's client drops (its
 * notification handlers run a microtask after the response handler has forgotten the token).
 */
export interface ProgressSink {
  (p: ProgressEvent): void;
  /**
   * Stops forwarding (the request returned, or was cancelled while its call goes on in the
   * background) and resolves once every notification sent is written, so none follows the result.
   */
  close(): Promise<void>;
}

export function progressSink(send: (n: ProgressNotification) => Promise<void>, progressToken: string | number, now: () => number = Date.now): ProgressSink {
  let lastDone = Number.NEGATIVE_INFINITY;
  let lastAt = Number.NEGATIVE_INFINITY;
  let open = true;
  let written: Promise<unknown> = Promise.resolve();
  const sink = (p: ProgressEvent): void => {
    if (!open) return;
    const t = now();
    if (p.done <= lastDone || t - lastAt < MIN_INTERVAL_MS) return;
    lastDone = p.done;
    lastAt = t;
    const params = { progressToken, progress: p.done, total: p.total, message: `${p.label}: ${p.done} of ${p.total} ${p.unit}` };
    // Sent now, not chained: the transport writes in call order, so a notification never trails the
    // result. One that cannot be sent (the client went away) must not fail the call.
    written = send({ method: 'notifications/progress', params }).catch(() => undefined);
  };
  const close = async (): Promise<void> => {
    open = false;
    await written;
  };
  return Object.assign(sink, { close });
}
