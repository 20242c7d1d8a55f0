import type { SkillOutput } from './contract/types.generated.js';
import { createRunnerResources } from './runner/resources.js';
import { runnerFrom } from './runner/runner.js';
import { defaultRunner } from './runner/default-runner.js';

export { closeStores } from './runner/default-runner.js';
import type { SkillOptions, SkillRunner } from './runner/types.js';

export { SKILL_NAME } from './envelope.js';
export type { ExecuteOptions, SkillOptions, SkillRunner } from './runner/types.js';

/** Creates a runner. Stores are opened on first use and closed by `close()`. */
export function createSkillRunner(options: SkillOptions = {}): SkillRunner {
  return runnerFrom(createRunnerResources(options));
}

/**
 * Runs one skill call (stores stay open between calls of a process; `closeStores()` closes them): validates the context (bare, or the orchestrator's `{kind: "skill", skill:
 * {name, context}}` envelope), dispatches to the action and returns an output that validates against
 * schemas/output.schema.json. Never throws for anything the caller sent.
 *
 * @example
 * const out = await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'r1' }, logData: { metrics: { loss: 0.5 } } });
 */
export async function executeSkill(context: unknown, options: SkillOptions & { runner?: SkillRunner } = {}): Promise<SkillOutput> {
  const { runner: given, onProgress } = options;
  // Progress is the call's own, so a watched call still shares a held runner.
  const call = onProgress === undefined ? undefined : { progress: onProgress };
  if (given) return given.execute(context, call);
  // Stores stay open between calls of a process (closeStores() lets them go); `runner` is unset here,
  // and the options go as given (a loop passing the same object finds its runner without a key).
  const { runner: _unset, onProgress: _own, ...rest } = onProgress === undefined ? { onProgress: undefined } : options;
  // A bare context's action (a log re-checks its store file at most every LOG_STALE_CHECK_MS).
  const action = typeof context === 'object' && context !== null ? (context as { action?: unknown }).action : undefined;
  const held = defaultRunner(onProgress === undefined ? options : rest, action);
  if (held !== undefined) return held.execute(context, call);
  const { runner: _r, onProgress: _p, ...own } = options;
  const runner = createSkillRunner({ replication: 'sync', ...own });
  try {
    return await runner.execute(context, call);
  } finally {
    runner.close();
  }
}
