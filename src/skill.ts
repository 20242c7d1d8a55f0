import type { SkillOutput } from './contract/types.generated.js';
import { createRunnerResources } from './runner/resources.js';
import { runnerFrom } from './runner/runner.js';
import type { SkillOptions, SkillRunner } from './runner/types.js';

export { SKILL_NAME } from './envelope.js';
export type { SkillOptions, SkillRunner } from './runner/types.js';

/** Creates a runner. Stores are opened on first use and closed by `close()`. */
export function createSkillRunner(options: SkillOptions = {}): SkillRunner {
  return runnerFrom(createRunnerResources(options));
}

/**
 * Runs one skill call: validates the context (bare, or the orchestrator's `{kind: "skill", skill:
 * {name, context}}` envelope), dispatches to the action and returns an output that validates against
 * schemas/output.schema.json. Never throws for anything the caller sent.
 *
 * @example
 * const out = await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'r1' }, logData: { metrics: { loss: 0.5 } } });
 */
export async function executeSkill(context: unknown, options: SkillOptions & { runner?: SkillRunner } = {}): Promise<SkillOutput> {
  if (options.runner) return options.runner.execute(context);
  const runner = createSkillRunner({ replication: 'sync', ...options });
  try {
    return await runner.execute(context);
  } finally {
    runner.close();
  }
}
