/**
 * Services, settings and the store for work beside the actions (`sync`, import and export of W&B's
 * offline files), from the same options and the same resources as a runner, without going through
 * a request: these commands are no skill call and need no action context.
 */
import type { Logger } from 'pino';
import type { Mode } from '../settings.js';
import type { Store } from '../store/index.js';
import type { OnlineScope } from '../online/scope.js';
import { createRunnerResources } from './resources.js';
import type { SkillOptions } from './types.js';

export interface SessionScope {
  mode: Mode;
  project?: string | undefined;
  entity?: string | undefined;
}

/** An open session: what the online modules take, the store, and `close()` for its store. */
export interface Session {
  scope: OnlineScope;
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
    const settings = resources.settingsFor(call);
    const { services } = resources;
    let logger: Logger | undefined;
    const scope: OnlineScope = {
      ...services,
      settings,
      cache: resources.cache,
      // Made on first use, as a runner does (the logging library loads only when something logs).
      get logger() {
        return (logger ??= services.logger.child({ action: name }));
      },
    };
    const store = resources.stores.storeFor(settings, (m) => settings.warnings.push(m));
    return { scope, store, close: () => resources.close() };
  } catch (err) {
    resources.close();
    throw err;
  }
}
