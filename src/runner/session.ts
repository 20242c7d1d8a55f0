/**
 * Services, settings and the store for work beside the actions (`sync`, import and export of W&B's
 * offline files), from the same options and the same resources as a runner, without going through
 * a request: these commands are no skill call and need no action context.
 */
import type { Mode } from '../settings.js';
import type { Store } from '../store/index.js';
import type { CallScope } from '../services.js';
import { createRunnerResources } from './resources.js';
import type { SkillOptions } from './types.js';

export interface SessionScope {
  mode: Mode;
  project?: string | undefined;
  entity?: string | undefined;
}

/** An open session: what the online modules take, the store, and `close()` for its store. */
export interface Session {
  scope: CallScope;
  store: Store;
  close(): void;
}

/**
 * Resolves the settings of `call` as a runner does for a call with that mode, project and entity,
 * takes the runner's services and opens the store (made if it does not exist yet). `name` tags the
 * log lines.
 */
export function openSession(options: SkillOptions, call: SessionScope, name: string): Session {
  const resources = createRunnerResources(options);
  try {
    const logger = resources.services.logger.child({ action: name });
    // These commands answer with their own results, not a call's warnings: what a call would warn
    // of (a new store made, for one) goes to the log.
    const { scope, store } = resources.scopeFor(call, (m) => logger.warn(m), logger);
    return { scope, store, close: () => resources.close() };
  } catch (err) {
    resources.close();
    throw err;
  }
}
