import { SkillError } from '../errors.js';
import type { SkillRunner } from '../skill.js';
import { createRunnerResources } from '../runner/resources.js';
import { runnerFrom } from '../runner/runner.js';
import { assertValidInput } from '../contract/validate.js';
import { claimNext, markCrashedTrials, type Claim } from '../sweep-runs/index.js';
import { cloudSweeps } from '../sweep-runs/cloud-claims.js';
import { runChildTrial } from './trial-child.js';
import { runFunctionTrial } from './trial-function.js';
import type { AgentEnv } from './scope.js';
import type { AgentResult, AgentRunResult, RunAgentOptions } from './types.js';

/**
 * A sweep agent: takes the sweep's next run (from this store's search, or online from W&B's
 * controller), runs it (the sweep's program as a child, or `fn` in-process), ends it from the
 * outcome, and repeats until the sweep is done, `count` runs ran, or `signal` aborts.
 * Agents in several processes on one store never get the same suggestion.
 *
 * @example
 * const { runs } = await runAgent({ sweepId, count: 6, fn: async ({ config, run }) => {
 *   for (let epoch = 0; epoch < 10; epoch++) await run.log({ loss: train(config) });
 * } });
 */
export async function runAgent(options: RunAgentOptions): Promise<AgentResult> {
  if (options.count !== undefined && !(Number.isInteger(options.count) && options.count >= 0)) {
    throw new SkillError('INVALID_INPUT', 'count must be a whole number of runs', {
      details: { issues: [{ path: 'count', message: 'must be an integer >= 0' }] },
    });
  }
  // The options are checked as a `sweep next` call's fields would be (the same schema), once.
  assertValidInput({
    action: 'sweep',
    operation: 'next',
    sweepId: options.sweepId,
    ...(options.project !== undefined ? { project: options.project } : {}),
    ...(options.entity !== undefined ? { entity: options.entity } : {}),
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
  });
  // The agent owns the runs it claims: recorded with the claim, so a kill right after it is seen.
  // One set of resources: the agent's own reads and the in-process function's log/finish calls
  // share the store connection.
  const resources = createRunnerResources({ ...options, ownsRuns: true });
  const runner = runnerFrom(resources);
  try {
    // An agent has no output to carry warnings: they go to its log.
    const logger = resources.services.logger;
    const { scope, store } = resources.scopeFor({ project: options.project, entity: options.entity, mode: options.mode }, (m) => logger.warn(m));
    return await agentLoop({ scope, store, cloud: cloudSweeps(scope) }, runner, options);
  } finally {
    await runner.flush();
    runner.close();
  }
}

async function agentLoop(env: AgentEnv, runner: SkillRunner, options: RunAgentOptions): Promise<AgentResult> {
  const { scope } = env;
  const runs: AgentRunResult[] = [];
  const crashed = markCrashedTrials(env.store, scope.liveness(), scope.now() / 1000);
  if (crashed.length > 0) scope.logger.warn({ runs: crashed }, 'earlier trials whose processes died are marked crashed');
  const maxFailures = options.maxInitialFailures ?? 5;
  let reason = 'count';
  while (options.count === undefined || runs.length < options.count) {
    if (options.signal?.aborted) {
      reason = 'aborted';
      break;
    }
    const claim = await claimWithRetry(env, options, options.fn ? 'running' : 'pending');
    if (claim === undefined) {
      reason = 'aborted';
      break;
    }
    if (claim.done) {
      reason = claim.reason;
      break;
    }
    const { run, config, sweep } = claim;
    const result = options.fn
      ? await runFunctionTrial(env, runner, sweep, run, config, { ...options, fn: options.fn })
      : await runChildTrial(env, sweep, run, config, options);
    runs.push(result);
    options.onRun?.({ phase: 'end', runId: run.id, config, result });
    // W&B's agent gives up when its first runs all fail (WANDB_AGENT_MAX_INITIAL_FAILURES).
    const failed = runs.filter((r) => r.state === 'failed').length;
    if (failed >= maxFailures && failed >= runs.length - failed) {
      reason = 'failures';
      scope.logger.warn({ sweepId: options.sweepId, failed }, 'stopping the agent: its runs keep failing');
      break;
    }
  }
  return { sweepId: options.sweepId, runs, reason };
}

/** The next claim; for a cloud sweep whose controller has nothing yet, keeps asking (as W&B's agent does). */
async function claimWithRetry(env: AgentEnv, options: RunAgentOptions, runState: 'running' | 'pending'): Promise<Claim | undefined> {
  for (;;) {
    try {
      return await claimNext(env.scope, env.store, options.sweepId, runState, env.cloud);
    } catch (err) {
      if (!(err instanceof SkillError && err.code === 'TIMEOUT')) throw err;
      if (options.signal?.aborted) return undefined;
    }
  }
}
