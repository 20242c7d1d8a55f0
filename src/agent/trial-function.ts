import type { ActionContext } from '../actions/context.js';
import { endTrial } from './end-trial.js';
import { processLiveness } from '../liveness.js';
import { sweepTables } from '../actions/sweep/tables.js';
import { SkillError } from '../errors.js';
import type { SkillOutput } from '../contract/types.generated.js';
import type { SkillRunner } from '../skill.js';
import type { RunRecord, Store } from '../store/index.js';
import type { SweepRecord } from '../store/sweeps.js';
import type { AgentRunResult, AgentTrial, RunAgentOptions } from './types.js';
import { serverTick, stopCause, watchRun } from './watch.js';

function orThrow(out: SkillOutput): SkillOutput {
  if (out.status === 'error') {
    const e = out.error ?? { code: 'INTERNAL' as const, message: 'unknown error' };
    throw new SkillError(e.code, e.message, e.details === undefined ? {} : { details: e.details });
  }
  return out;
}

/**
 * Runs one sweep run in-process: the function gets the run's parameters and a run to log to; a
 * stop (hyperband, cancel) aborts its signal. Its return finishes the run, its throw fails it,
 * and a stopped run ends as killed.
 */
export async function runFunctionTrial(
  ctx: ActionContext,
  store: Store,
  runner: SkillRunner,
  sweep: SweepRecord,
  run: RunRecord,
  config: Record<string, unknown>,
  options: RunAgentOptions & { fn: NonNullable<RunAgentOptions['fn']> },
): Promise<AgentRunResult> {
  const controller = new AbortController();
  let stopReason: string | undefined;
  const stop = (cause: string) => {
    stopReason ??= cause;
    controller.abort(new SkillError('CONFLICT', `the sweep stopped run ${run.id}: ${cause}`));
  };
  const onAbort = () => stop('the agent was stopped');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const ref = { project: run.project, runId: run.id };
  const trial: AgentTrial = {
    sweepId: sweep.id,
    runId: run.id,
    project: run.project,
    config,
    signal: controller.signal,
    shouldStop: () => controller.signal.aborted,
    run: {
      id: run.id,
      project: run.project,
      async log(metrics, logOptions = {}) {
        const out = orThrow(await runner.execute({ action: 'log', ...ref, logData: { ...logOptions, metrics } }));
        if (out.shouldStop === true) stop(stopCause(store, sweep, run) ?? 'early termination');
        return out;
      },
      finish: async (exitCode = 0) => orThrow(await runner.execute({ action: 'finish', ...ref, exitCode })),
    },
  };
  const live = options.liveness ?? processLiveness();
  store.write(() => sweepTables(store).sweeps.setOwner(run.key, { host: live.host, pid: live.pid, agentPid: live.pid }, ctx.now() / 1000));
  options.onRun?.({ phase: 'start', runId: run.id, config });
  const tick = serverTick(ctx, store, sweep, run.id, options.heartbeatMs ?? 5000, () => stop('the W&B server told the agent to exit'));
  const watcher = watchRun(store, sweep, run, options.pollMs ?? 1000, stop, tick);
  let error: string | undefined;
  try {
    await options.fn(trial);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    watcher.stop();
    options.signal?.removeEventListener('abort', onAbort);
  }
  stopReason ??= stopCause(store, sweep, run);
  const exitCode = error === undefined ? 0 : 1;
  const final = endTrial(ctx, store, run, stopReason, exitCode);
  return {
    runId: run.id,
    config,
    state: final.state,
    exitCode: final.exitCode,
    ...(stopReason !== undefined ? { stopReason } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}
