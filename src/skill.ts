import type { SkillOutput } from './contract/types.generated.js';
import { createRunnerResources } from './runner/resources.js';
import { runnerFrom } from './runner/runner.js';
import { defaultRunner } from './runner/default-runner.js';

export { closeStores } from './runner/default-runner.js';
import type { SkillOptions, SkillRunner } from './runner/types.js';

export { SKILL_NAME } from './envelope.js';
export type { SkillOptions, SkillRunner } from './runner/types.js';

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
  if (options.runner) return options.runner.execute(context);
  // Stores stay open between calls of a process (closeStores() lets them go); `runner` is unset here.
  const held = defaultRunner(options);
  if (held !== undefined) return held.execute(context);
  const { runner: _unset, ...rest } = options;
  const runner = createSkillRunner({ replication: 'sync', ...rest });
  try {
    return await runner.execute(context);
  } finally {
    runner.close();
  }
}
