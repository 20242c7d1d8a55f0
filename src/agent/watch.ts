import type { RunRecord } from '../store/index.js';
import type { SweepRecord } from '../store/sweeps.js';
import { stopCause, type SweepStore } from '../sweep-runs/index.js';
import type { AgentEnv } from './scope.js';

/**
 * Polls sweep-runs' `stopCause` every `pollMs` until stopped; calls `onStop` once with the cause.
 * `tick` runs before each check (an online agent heartbeats there, at its own pace).
 */
export function watchRun(
  store: SweepStore,
  sweep: SweepRecord,
  run: RunRecord,
  pollMs: number,
  onStop: (cause: string) => void,
  tick?: () => Promise<void>,
): { stop(): void } {
  let stopped = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    void (async () => {
      try {
        if (tick) await tick();
        const cause = stopCause(store, sweep, run);
        if (cause !== undefined && !stopped) {
          stopped = true;
          onStop(cause);
        }
      } catch {
        // A busy store or an unreachable server this tick: try again next tick.
      } finally {
        busy = false;
      }
    })();
  }, pollMs);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/**
 * For a cloud sweep, a tick that heartbeats W&B's server at most every `heartbeatMs` while a run
 * runs (W&B's agent: every 5 s), so the server's `stop` commands reach the store as stop marks.
 */
export function serverTick(env: AgentEnv, sweep: SweepRecord, runId: string, heartbeatMs: number, onExit: () => void): (() => Promise<void>) | undefined {
  const { scope, store, cloud } = env;
  if (sweep.controller !== 'cloud' || cloud === undefined) return undefined;
  let last = scope.now();
  return async () => {
    if (scope.now() - last < heartbeatMs) return;
    last = scope.now();
    const beat = await cloud.heartbeat(store, sweep, [runId], 'pending');
    if (beat.exit) onExit();
  };
}
