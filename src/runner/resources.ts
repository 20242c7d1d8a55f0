/**
 * What a runner holds for its lifetime: open stores, the services, settings and logger caches,
 * loaded handlers and the replicator. Built once by `createSkillRunner`; each call borrows them.
 */
import type { Logger } from 'pino';
import type { SkillInput } from '../contract/types.generated.js';
import type { Settings } from '../settings.js';
import { createSettingsResolver, type SettingsFor, type SettingsInput } from '../settings-resolver.js';
import type { Store } from '../store/index.js';
import { createRunnerStores, type RunnerStores, type StoreTuning } from './stores.js';
import { createServices, type CallScope, type Services } from '../services.js';
import { ACTIONS } from '../actions/index.js';
import type { ActionContext, ActionHandler } from '../actions/context.js';
import { createReplicatorSlot, type ReplicatorSlot } from './replication.js';
import type { SkillOptions } from './types.js';

export interface RunnerResources {
  readonly stores: RunnerStores;
  /** Built once and handed to every call (and to the lower folders) as they are. */
  readonly services: Services;
  /** Runner-scoped memo handed to handlers as `ctx.cache`. */
  readonly cache: Map<string, unknown>;
  readonly replicator: ReplicatorSlot;
  settingsFor: SettingsFor;
  /** The handler of an action if this runner has loaded it (no await on the hot path). */
  loadedHandler(action: SkillInput['action']): ActionHandler | undefined;
  /** Loads the handler of an action (its entry's `load`), once per runner. */
  loadHandler(action: SkillInput['action']): Promise<ActionHandler>;
  /**
   * For work beside the actions (sync, import, export, an agent): the scope of a call with these
   * settings fields, whose warnings go to `warn`, and the store it names (made if it does not exist).
   */
  scopeFor(call: SettingsInput, warn: (message: string) => void, logger?: Logger): { scope: CallScope; store: Store };
  /** The context a call of `input` gets; its warnings go into `warnings`, its progress to `progress` (default the runner's). */
  contextFor(input: SkillInput, settings: Settings, warnings: string[], progress?: Services['progress']): ActionContext;
  flush(): Promise<void>;
  close(): void;
}

/** A child logger per action, made once (pino's child() is not free on the hot path). */
function childLoggers(services: Services): (action: string) => Logger {
  const loggers = new Map<string, Logger>();
  return (action) => {
    let l = loggers.get(action);
    if (l === undefined) {
      l = services.logger.child({ action });
      loggers.set(action, l);
    }
    return l;
  };
}

function handlerCache(): Pick<RunnerResources, 'loadedHandler' | 'loadHandler'> {
  const handlers = new Map<string, ActionHandler>();
  return {
    loadedHandler: (action) => handlers.get(action),
    async loadHandler(action) {
      const handler = await ACTIONS[action].load();
      handlers.set(action, handler);
      return handler;
    },
  };
}

/**
 * Opens nothing yet: stores open on first use (with `tuning`, see StoreTuning), and `close()` closes
 * what was opened.
 */
export function createRunnerResources(options: SkillOptions = {}, tuning?: StoreTuning): RunnerResources {
  // Open stores, and where the store of each working directory is (walked once per folder).
  const stores = createRunnerStores(options.homedir, options.storePath !== undefined, tuning);
  const services = createServices({ ...options, openStore: (settings, warn) => stores.storeFor(settings, warn) });
  const settingsFor = createSettingsResolver({ ...options, locateStore: stores.locate });
  const cache = new Map<string, unknown>();
  const replicator = createReplicatorSlot(options);
  const loggerFor = childLoggers(services);
  const ownsRuns = options.ownsRuns === true;
  return {
    stores,
    services,
    cache,
    replicator,
    settingsFor,
    ...handlerCache(),
    // Every field named (no spread of the services): this object is made on every call.
    contextFor: (input, settings, warnings, progress) => {
      const warn = (m: string) => void warnings.push(m);
      return {
        openStore: services.openStore,
        now: services.now,
        random: services.random,
        sleep: services.sleep,
        fetch: services.fetch,
        liveness: services.liveness,
        progress: progress ?? services.progress,
        retry: services.retry,
        input,
        settings,
        store: () => services.openStore(settings, warn),
        logger: loggerFor(input.action),
        cache,
        warn,
        ownsRuns,
      };
    },
    scopeFor(call, warn, logger = services.logger) {
      const settings = settingsFor(call);
      const scope: CallScope = { ...services, logger, settings, cache, warn, ownsRuns };
      return { scope, store: services.openStore(settings, warn) };
    },
    flush: () => replicator.flush(),
    close() {
      // Unsent data stays in the store (`sync` sends it); call flush() before close() to send it now.
      replicator.stop();
      stores.close();
    },
  };
}
