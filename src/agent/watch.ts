import type { RunRecord, Store } from '../store/index.js';
import type { SweepRecord } from '../store/sweeps.js';
import { sweepTables } from '../actions/sweep/tables.js';
import { heartbeat } from '../actions/sweep/online.js';
import type { ActionContext } from '../actions/context.js';

/**
 * Why the agent must stop a run now, read from the store (no write): early termination or a server
 * `stop` marked it, or the sweep was cancelled (its runs end as killed). Undefined: keep running.
 */
export function stopCause(store: Store, sweep: SweepRecord, run: RunRecord): string | undefined {
  const { sweeps } = sweepTables(store);
  const mark = sweeps.stopReason(run.key);
  if (mark !== undefined) return mark;
  const current = store.runs.get(run.project, run.id);
  if (current?.state === 'killed') return 'the run was killed';
  const s = sweeps.get(sweep.project, sweep.id);
  if (s?.state === 'CANCELED') return 'the sweep was cancelled';
  return undefined;
}

/**
 * Polls `stopCause` every `pollMs` until stopped; calls `onStop` once with the cause. `tick` runs
 * before each check (an online agent heartbeats there, at its own pace).
 */
export function watchRun(
  store: Store,
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
export function serverTick(ctx: ActionContext, store: Store, sweep: SweepRecord, runId: string, heartbeatMs: number, onExit: () => void): (() => Promise<void>) | undefined {
  if (sweep.controller !== 'cloud') return undefined;
  let last = ctx.now();
  return async () => {
    if (ctx.now() - last < heartbeatMs) return;
    last = ctx.now();
    const beat = await heartbeat(ctx, store, sweep, [runId], 'pending');
    if (beat.exit) onExit();
  };
}
