/**
 * Services, settings and the store for work beside the actions (`sync`, import and export of W&B's
 * offline files), built from the same options as a runner, without going through a request: these
 * commands are no skill call and need no action context.
 */
import { homedir, hostname, userInfo } from 'node:os';
import type { Logger } from 'pino';
import type { Mode, Settings } from '../settings.js';
import { parseEnv, resolveSettings } from '../settings.js';
import type { SkillOptions } from '../skill.js';
import type { Store } from '../store/index.js';
import { realSleep } from '../services.js';
import { createLogger } from '../logger.js';
import { createRunnerStores } from '../runner-stores.js';
import { processLiveness, type Liveness } from '../liveness.js';
import { resolveApiKey } from '../wandb/credentials.js';
import type { OnlineScope } from '../online/scope.js';

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

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The API key from ~/.netrc when WANDB_API_KEY is unset (an unreadable .netrc is the same as none). */
function netrcKey(options: SkillOptions, env: ReturnType<typeof parseEnv>): string | undefined {
  if (env.WANDB_API_KEY !== undefined) return undefined;
  try {
    return resolveApiKey({ baseUrl: env.WANDB_BASE_URL ?? 'https://api.wandb.ai', env: options.env ?? process.env, homedir: options.homedir ?? homedir() })?.apiKey;
  } catch {
    return undefined;
  }
}

/**
 * Resolves the settings of `call` as a runner would for a call with that mode, project and entity,
 * builds the services from `options` and opens the store (made if it does not exist yet). `name`
 * tags the log lines.
 */
export function openSession(options: SkillOptions, call: SessionScope, name: string): Session {
  const stores = createRunnerStores(options.homedir, options.storePath !== undefined);
  try {
    const env = parseEnv(options.env ?? process.env);
    const input = { mode: call.mode, ...(call.project !== undefined ? { project: call.project } : {}), ...(call.entity !== undefined ? { entity: call.entity } : {}) };
    const settings: Settings = resolveSettings(input, {
      env,
      cwd: options.cwd ?? process.cwd(),
      dir: options.dir,
      storePath: options.storePath,
      dashboardUrl: options.dashboardUrl,
      busyTimeoutMs: options.busyTimeoutMs,
      alertWebhooks: options.alertWebhooks,
      apiKey: netrcKey(options, env),
      locateStore: stores.locate,
      hostname: () => hostname(),
      username: safeUsername,
    });
    let live: Liveness | undefined = options.liveness;
    let logger: Logger | undefined;
    const scope: OnlineScope = {
      settings,
      cache: new Map(),
      openStore: (s, warn) => stores.storeFor(s, warn),
      now: options.now ?? Date.now,
      random: options.random ?? ((max: number) => Math.floor(Math.random() * max)),
      sleep: options.sleep ?? realSleep,
      fetch: options.fetch ?? globalThis.fetch,
      // Made on first use, as a runner does (the logging library loads only when something logs).
      get logger() {
        return (logger ??= (options.logger ?? createLogger()).child({ action: name }));
      },
      liveness: () => (live ??= processLiveness()),
      progress: options.onProgress,
    };
    const store = stores.storeFor(settings, (m) => settings.warnings.push(m));
    return { scope, store, close: () => stores.close() };
  } catch (err) {
    stores.close();
    throw err;
  }
}
