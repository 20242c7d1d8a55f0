import { SkillError } from '../errors.js';
import type { ActionContext, ActionHandler } from './context.js';
import { appendRows, namedRunId, readSummary, requireNamedRun, runtimeAt, runUrl, stepState } from '../runs/lifecycle.js';
import { flushPending } from '../runs/steps.js';
import type { RunRecord, Store } from '../store/index.js';
import { capSummary, summaryCapWarning } from '../runs/summary-cap.js';

/** `finish`: commits the pending row and ends the run: `finished` for exit code 0, `failed` otherwise. */
export const finish: ActionHandler = (ctx) => {
  const { input, settings } = ctx;
  const exitCode = input.exitCode ?? 0;
  const state = exitCode === 0 ? ('finished' as const) : ('failed' as const);
  if (settings.mode === 'disabled') {
    return { ...(input.runId !== undefined ? { runId: input.runId } : {}), state, exitCode };
  }
  const store = ctx.store();
  const nowSec = ctx.now() / 1000;
  let finishedKey: number | undefined;
  const out = store.write(() => {
    const run = targetRun(ctx, store);
    if (run.state !== 'running' && run.state !== 'pending') {
      ctx.warn(`run ${run.id} was already ${run.state}; nothing changed`);
      return describe(run, run.state, run.exitCode ?? exitCode, readSummary(store, run).value, run.historyCount);
    }
    const outcome = flushPending(stepState(run));
    const { historyCount } = appendRows(store, run, outcome.commits, nowSec, 'pending row');
    const summary = readSummary(store, run, historyCount).value;
    const runtime = runtimeAt(run, nowSec);
    const wandb = typeof summary['_wandb'] === 'object' && summary['_wandb'] !== null ? summary['_wandb'] : {};
    const finalSummary = { ...summary, _wandb: { ...wandb, runtime: Math.floor(runtime) } };
    store.runs.saveProgress(run.key, {
      state,
      step: outcome.next.step,
      historyCount,
      summary: { value: finalSummary, seq: historyCount },
      pendingRow: null,
      heartbeatAt: nowSec,
      finishedAt: nowSec,
      exitCode,
    });
    finishedKey = run.key;
    ctx.logger.info({ runId: run.id, state, exitCode }, 'finished run');
    return describe({ ...run, step: outcome.next.step }, state, exitCode, finalSummary, historyCount);
  });
  // The stored summary is now complete: this process's copy is no longer needed, nor the rows held for the next fold.
  if (finishedKey !== undefined) {
    store.summaries.delete(finishedKey);
    store.foldFeeds.delete(finishedKey);
  }
  return out;

  function describe(run: RunRecord, s: RunRecord['state'], code: number, full: Record<string, unknown>, historyLength: number) {
    // The store keeps every key; the output shows at most 200 (an agent reads all through a JSON report).
    const { summary, total } = capSummary(full);
    if (total !== undefined) ctx.warn(summaryCapWarning([run.id], total, undefined, run.project));
    return {
      ...(total !== undefined ? { summaryKeys: total } : {}),
      runId: run.id,
      runUrl: runUrl(ctx, run),
      project: run.project,
      runName: run.displayName,
      state: s,
      exitCode: code,
      step: run.step,
      historyLength,
      summary,
      storePath: store.path,
    };
  }
};

function targetRun(ctx: ActionContext, store: Store): RunRecord {
  const { input, settings } = ctx;
  const named = namedRunId(ctx);
  if (named !== undefined) return requireNamedRun(ctx, store, named);
  const name = input.runConfig?.name ?? settings.runDefaults.name;
  const run = name === undefined ? undefined : store.runs.findRunningByName(settings.project, name);
  if (run === undefined) {
    throw new SkillError('NOT_FOUND', 'finish needs runId (or WANDB_RUN_ID, or runConfig.name of a running run)', {
      details: { issues: [{ path: 'runId', message: name === undefined ? 'required' : `no running run named "${name}"` }] },
    });
  }
  return run;
}
