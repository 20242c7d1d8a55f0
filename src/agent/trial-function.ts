import { endTrial, recordTrialOwner, stopCause } from '../sweep-runs/index.js';
import { SkillError } from '../errors.js';
import type { SkillOutput } from '../contract/types.generated.js';
import type { SkillRunner } from '../skill.js';
import type { RunRecord } from '../store/index.js';
import type { SweepRecord } from '../store/sweeps.js';
import type { AgentRunResult, AgentTrial, RunAgentOptions } from './types.js';
import { serverTick, watchRun } from './watch.js';
import type { AgentEnv } from './scope.js';

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
  env: AgentEnv,
  runner: SkillRunner,
  sweep: SweepRecord,
  run: RunRecord,
  config: Record<string, unknown>,
  options: RunAgentOptions & { fn: NonNullable<RunAgentOptions['fn']> },
): Promise<AgentRunResult> {
  const { scope, store } = env;
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
  recordTrialOwner(store, run, scope.liveness(), undefined, scope.now() / 1000);
  options.onRun?.({ phase: 'start', runId: run.id, config });
  const tick = serverTick(env, sweep, run.id, options.heartbeatMs ?? 5000, () => stop('the W&B server told the agent to exit'));
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
  const final = endTrial(store, run, stopReason, exitCode, scope.now() / 1000);
  return {
    runId: run.id,
    config,
    state: final.state,
    exitCode: final.exitCode,
    ...(stopReason !== undefined ? { stopReason } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}
