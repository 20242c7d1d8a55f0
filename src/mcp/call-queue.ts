/**
 * Tool calls run one at a time on the server's runner. The runner reports progress through one
 * callback for its whole life, so progress can be attributed to a request only while that request
 * is the one running; and the store serialises writes anyway, so little is lost.
 */
import type { ProgressEvent } from '../services.js';

/** What `run` resolves to when the request was cancelled first. */
export const CANCELLED: unique symbol = Symbol('cancelled');

export interface CallOptions {
  /** The request's abort signal (MCP's notifications/cancelled, or the connection closing). */
  signal: AbortSignal;
  /** Where this call's progress goes while it runs (absent: the request asked for none). */
  onProgress?: ((p: ProgressEvent) => void) | undefined;
}

export interface CallQueue {
  /**
   * Runs `fn` once the calls before it are done; resolves CANCELLED as soon as `signal` aborts. A
   * call cancelled while it runs finishes in the background (each action commits in one
   * transaction, so the store is never left half-written) and its progress is no longer forwarded.
   */
  run<T>(fn: () => Promise<T>, options: CallOptions): Promise<T | typeof CANCELLED>;
  /** The runner's `onProgress`: forwards to the running call's listener. */
  progress(p: ProgressEvent): void;
  /** Resolves when every queued call has ended (before the runner is closed). */
  idle(): Promise<void>;
}

/** Resolves `p`, or CANCELLED as soon as `signal` aborts. */
function unlessAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | typeof CANCELLED> {
  if (signal.aborted) return Promise.resolve(CANCELLED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(CANCELLED);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

export function createCallQueue(): CallQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let listener: ((p: ProgressEvent) => void) | undefined;
  return {
    run(fn, { signal, onProgress }) {
      const started = tail.then(async () => {
        if (signal.aborted) return CANCELLED;
        listener = onProgress;
        const detach = (): void => {
          if (listener === onProgress) listener = undefined;
        };
        signal.addEventListener('abort', detach, { once: true });
        try {
          return await fn();
        } finally {
          signal.removeEventListener('abort', detach);
          detach();
        }
      });
      tail = started.catch(() => undefined);
      return unlessAborted(started, signal);
    },
    progress(p) {
      listener?.(p);
    },
    idle: () => tail.then(() => undefined),
  };
}
