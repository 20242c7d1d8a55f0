/**
 * Tool calls in flight. Calls run side by side on the server's runner (each brings its own progress
 * sink, so nothing needs them one at a time); the store orders their writes, each action committing
 * in one transaction, as it does for many processes on one store.
 */

/** What `track` resolves to when the request was cancelled first. */
export const CANCELLED: unique symbol = Symbol('cancelled');

export interface CallsInFlight {
  /**
   * Follows one call: resolves to its result, or CANCELLED as soon as `signal` aborts. A call
   * cancelled while it runs finishes in the background (each action commits in one transaction, so
   * the store is never left half-written) and `idle()` still waits for it.
   */
  track<T>(call: Promise<T>, signal: AbortSignal): Promise<T | typeof CANCELLED>;
  /** Resolves when every call started so far has ended (before the runner is closed). */
  idle(): Promise<void>;
}

export function createCallsInFlight(): CallsInFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(call, signal) {
      const settled = call.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
      if (signal.aborted) return Promise.resolve(CANCELLED);
      return new Promise((resolve, reject) => {
        const onAbort = (): void => resolve(CANCELLED);
        signal.addEventListener('abort', onAbort, { once: true });
        call.then(
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
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
