import type { Settings } from '../settings.js';
import type { RunRecord } from '../store/index.js';
import type { SweepRecord } from '../store/sweeps.js';
import { spawnChild } from './child.js';
import { expandCommand } from './command.js';
import { writeArgsJsonFile, writeParamFile } from './param-file.js';
import type { AgentRunResult, RunAgentOptions } from './types.js';
import { serverTick, watchRun } from './watch.js';
import { endTrial, recordTrialOwner, stopCause } from '../sweep-runs/index.js';
import type { AgentEnv } from './scope.js';

/** The environment a run's program gets: W&B's sweep variables, and this store, project and dir. */
export function childEnv(
  settings: Pick<Settings, 'dir' | 'storePath'>,
  base: Record<string, string | undefined>,
  sweep: SweepRecord,
  runId: string,
  paramPath: string,
): Record<string, string | undefined> {
  return {
    ...base,
    WANDB_SWEEP_ID: sweep.id,
    WANDB_RUN_ID: runId,
    WANDB_SWEEP_PARAM_PATH: paramPath,
    WANDB_PROJECT: sweep.project,
    ...(sweep.entity !== null ? { WANDB_ENTITY: sweep.entity } : {}),
    // As W&B's agent does: WANDB_DIR defaults to where the agent runs.
    WANDB_DIR: base['WANDB_DIR'] ?? settings.dir,
    // The child writes to this agent's store, whatever its own working directory.
    WANDB_SKILL_STORE: settings.storePath,
  };
}

/**
 * Runs one sweep run as a child program: writes the parameter file, expands the sweep's command,
 * watches the store (and, online, heartbeats the server) to stop the child when the sweep says so,
 * and ends the run from the exit code unless the child ended it: killed when stopped, finished on 0,
 * failed otherwise.
 */
export async function runChildTrial(
  env: AgentEnv,
  sweep: SweepRecord,
  run: RunRecord,
  config: Record<string, unknown>,
  options: RunAgentOptions,
): Promise<AgentRunResult> {
  const { scope, store } = env;
  const dir = scope.settings.dir;
  const baseEnv = options.env ?? process.env;
  const paramPath = writeParamFile(dir, sweep.id, run.id, config);
  const raw = sweep.config;
  const argv = expandCommand({
    command: Array.isArray(raw['command']) ? (raw['command'] as unknown[]) : undefined,
    program: typeof raw['program'] === 'string' ? raw['program'] : undefined,
    config,
    argsJsonFile: () => writeArgsJsonFile(dir, sweep.id, run.id, config),
    env: baseEnv,
    interpreter: options.interpreter,
  });
  options.onRun?.({ phase: 'start', runId: run.id, config, argv });
  const child = spawnChild(argv, {
    cwd: options.cwd ?? process.cwd(),
    env: childEnv(scope.settings, baseEnv, sweep, run.id, paramPath),
    killDelayMs: options.killDelayMs,
    output: options.output,
  });
  // Who works on the run: if this agent and its child both die, a later check marks the run crashed.
  recordTrialOwner(store, run, scope.liveness(), child.pid, scope.now() / 1000);
  let stopReason: string | undefined;
  const stopChild = (cause: string) => {
    stopReason ??= cause;
    scope.logger.info({ runId: run.id, cause }, 'stopping the run');
    child.stop();
  };
  const onAbort = () => stopChild('the agent was stopped');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const tick = serverTick(env, sweep, run.id, options.heartbeatMs ?? 5000, () => stopChild('the W&B server told the agent to exit'));
  const watcher = watchRun(store, sweep, run, options.pollMs ?? 1000, stopChild, tick);
  const exit = await child.exited;
  watcher.stop();
  options.signal?.removeEventListener('abort', onAbort);
  // A stop decided while the child was exiting on its own still counts.
  stopReason ??= stopCause(store, sweep, run);
  const final = endTrial(store, run, stopReason, exit.code, scope.now() / 1000);
  return {
    runId: run.id,
    config,
    state: final.state,
    exitCode: exit.code,
    ...(stopReason !== undefined ? { stopReason } : {}),
    ...(exit.error !== undefined ? { error: `cannot start ${argv[0]}: ${exit.error}` } : {}),
  };
}
