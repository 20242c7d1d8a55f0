import { appendRows, readSummary, runtimeAt, stepState } from '../../runs/lifecycle.js';
import { flushPending } from '../../runs/steps.js';
import type { RunRecord, RunState, Store } from '../../store/index.js';

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
