import { execute } from './execute.js';
import type { RunnerResources } from './resources.js';
import type { SkillRunner } from './types.js';

/** A runner over resources someone holds (createSkillRunner's own, or an agent's that also reads the store). */
export function runnerFrom(resources: RunnerResources): SkillRunner {
  return {
    execute: (context, call) => execute(resources, context, call),
    async withContext(input, fn) {
      const settings = resources.settingsFor(input);
      const ctx = resources.contextFor(input, settings, settings.warnings);
      return fn(
        ctx,
        resources.stores.storeFor(settings, (m) => settings.warnings.push(m)),
      );
    },
    flush: () => resources.flush(),
    close: () => resources.close(),
  };
}
