import { appendRows, readSummary, runtimeAt, stepState } from '../runs/lifecycle.js';
import { flushPending } from '../runs/steps.js';
import type { RunRecord, RunState, Store } from '../store/index.js';
import type { SweepStore } from './tables.js';

/**
 * Ends a still-active run as `finish` would (the pending row committed, the summary folded), with a
 * state of the sweep's choosing: `killed` for a cancelled or stopped run, `failed`/`finished` from an
 * agent child's exit code. Must run inside a write transaction; returns false if the run had ended.
 */
export function endRun(store: Store, run: RunRecord, state: RunState, exitCode: number | null, nowSec: number): boolean {
  const current = store.runs.get(run.project, run.id);
  if (current === undefined || (current.state !== 'running' && current.state !== 'pending')) return false;
  const outcome = flushPending(stepState(current));
  const { historyCount } = appendRows(store, current, outcome.commits, nowSec, 'pending row');
  const summary = readSummary(store, current, historyCount).value;
  const wandb = typeof summary['_wandb'] === 'object' && summary['_wandb'] !== null ? summary['_wandb'] : {};
  store.runs.saveProgress(current.key, {
    state,
    step: outcome.next.step,
    historyCount,
    summary: { value: { ...summary, _wandb: { ...wandb, runtime: Math.floor(runtimeAt(current, nowSec)) } }, seq: historyCount },
    pendingRow: null,
    heartbeatAt: nowSec,
    finishedAt: nowSec,
    exitCode,
  });
  return true;
}

/** The state a trial ends in: `killed` when the sweep stopped it, `crashed` on a signal nobody sent (no exit code), else by its exit code. */
export function trialEndState(stopReason: string | undefined, exitCode: number | null): RunState {
  return stopReason !== undefined ? 'killed' : exitCode === null ? 'crashed' : exitCode === 0 ? 'finished' : 'failed';
}

/**
 * Ends a trial's run the way every agent does (a child process or a function), unless it ended
 * itself, and forgets its owners. Returns the run as stored.
 */
export function endTrial(store: SweepStore, run: RunRecord, stopReason: string | undefined, exitCode: number | null, nowSec: number): RunRecord {
  return store.write(() => {
    const current = store.runs.get(run.project, run.id) as RunRecord;
    endRun(store, current, trialEndState(stopReason, exitCode), exitCode, nowSec);
    store.sweeps.clearOwner(current.key);
    return store.runs.get(run.project, run.id) as RunRecord;
  });
}
