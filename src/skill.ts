import { homedir, hostname, userInfo } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { capWarnings, toErrorPayload } from './errors.js';
import { actionOf, unwrap } from './envelope.js';
import { assertValidInput } from './contract/validate.js';
import type { SkillInput, SkillOutput } from './contract/types.generated.js';
import { parseEnv, resolveSettings, type Settings, type SkillEnv } from './settings.js';
import type { Store } from './store/index.js';
import { ERROR_WARNINGS, SUCCESS_WARNINGS, offlineNotice } from './notices.js';
import { createLogger } from './logger.js';
import { ACTIONS } from './actions/index.js';
import type { ActionContext, ActionHandler } from './actions/context.js';
import { realSleep, type ProgressEvent, type Services } from './services.js';
import type { HttpRetrySettings } from './http/retry.js';
import type { Replicator, ReplicationMode } from './online/replicator.js';
import { resolveApiKey } from './wandb/credentials.js';
import { packageRoot } from './paths.js';
import { createRunnerStores } from './runner-stores.js';
import { processLiveness, type Liveness } from './liveness.js';

export { SKILL_NAME } from './envelope.js';

/** Actions whose run the pipeline replicates; the others talk to the server themselves. */
const REPLICATED = new Set(['init', 'log', 'finish']);

/** Injectable services and paths. Everything defaults to the process's own. */
export interface SkillOptions {
  /** Environment variables (default process.env); only the settings module reads them. */
  env?: Record<string, string | undefined>;
  /** Working directory; unless something names the store, it is the nearest wandb/skill-store.sqlite here or above (see locateStore). */
  cwd?: string;
  /** W&B root dir (overrides WANDB_DIR). */
  dir?: string;
  /** The SQLite file (default `<dir>/wandb/skill-store.sqlite`). */
  storePath?: string;
  /** Clock, in milliseconds since the epoch. */
  now?: () => number;
  /** Random integer in [0, max). */
  random?: (max: number) => number;
  logger?: Logger;
  fetch?: typeof fetch;
  /** Waits, for retries and polls (default the real clock). */
  sleep?: (ms: number) => Promise<void>;
  /** Retry policies of outbound HTTP: `{ wandb?, webhooks? }`, each overriding that caller's defaults or `false` (one attempt). */
  retry?: HttpRetrySettings;
  /** Base address of the local dashboard, used for offline run URLs. */
  dashboardUrl?: string;
  /** How long a write waits for another process's lock (ms). */
  busyTimeoutMs?: number;
  /** Called with the progress of long work (the CLI draws a bar on a terminal). */
  onProgress?: (p: ProgressEvent) => void;
  /** Webhook URLs that every alert is delivered to (instead of WANDB_SKILL_ALERT_WEBHOOKS). */
  alertWebhooks?: string[];
  /** Home folder for ~/.netrc, and where the walk for an existing store stops (default the OS's). */
  homedir?: string;
  /**
   * Online mode: `sync` replicates before each call returns (bounded by WANDB_SKILL_SYNC_TIMEOUT);
   * `background` batches and sends every few seconds, at finish and on flush(). executeSkill without
   * a runner uses `sync`; a runner defaults to `background`.
   */
  replication?: ReplicationMode;
  /** Online, background replication: how often a quiet running run is re-sent as a heartbeat (ms, default 30 s). */
  heartbeatMs?: number;
  /** Whether processes are alive, for marking runs of dead owners crashed (default: this host's real processes). */
  liveness?: Liveness;
  /** Runs this runner creates are owned by this process (createTracker, agents): they end `crashed` once it is gone. */
  ownsRuns?: boolean;
}

/** A long-lived executor: keeps stores open between calls (use it, or createTracker, in loops). */
export interface SkillRunner {
  execute(context: unknown): Promise<SkillOutput>;
  /** Online: sends everything still queued for the W&B server (call before exit). */
  flush(): Promise<void>;
  close(): void;
  /**
   * Runs `fn` with the context a call of `input` would get (settings, store, services) — for commands
   * that work on the store beside actions, such as `sync`.
   */
  withContext<T>(input: SkillInput, fn: (ctx: ActionContext, store: Store) => Promise<T>): Promise<T>;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Creates a runner. Stores are opened on first use and closed by `close()`. */
export function createSkillRunner(options: SkillOptions = {}): SkillRunner {
  // Open stores, and where the store of each working directory is (walked once per folder).
  const stores = createRunnerStores(options.homedir, options.storePath !== undefined);
  const now = options.now ?? Date.now;
  const random = options.random ?? ((max: number) => Math.floor(Math.random() * max));
  const handlers = new Map<string, ActionHandler>();
  let env: SkillEnv | undefined;
  const cache = new Map<string, unknown>();
  // The replicator (and the W&B client under it) loads on the first online call only.
  let replicator: Replicator | undefined;
  const getReplicator = async (): Promise<Replicator> => {
    if (replicator === undefined) {
      const { createReplicator } = await import('./online/replicator.js');
      replicator = createReplicator({
        mode: options.replication ?? 'background',
        owner: `${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
        version: packageVersion(),
        ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      });
    }
    return replicator;
  };
  // The API key from ~/.netrc when WANDB_API_KEY is unset, looked up once per base URL.
  const netrcKey = (e: SkillEnv): string | undefined => {
    if (e.WANDB_API_KEY !== undefined) return undefined;
    const baseUrl = e.WANDB_BASE_URL ?? 'https://api.wandb.ai';
    const k = `netrc:${baseUrl}`;
    if (!cache.has(k)) {
      let key: string | undefined;
      try {
        key = resolveApiKey({ baseUrl, env: options.env ?? process.env, homedir: options.homedir ?? homedir() })?.apiKey;
      } catch {
        key = undefined; // an unreadable .netrc is the same as none
      }
      cache.set(k, key);
    }
    return cache.get(k) as string | undefined;
  };
  // Asked of the OS once per runner, not per call (os.userInfo() costs more than a log's insert).
  let who: { host: string; username: string } | undefined;
  const identity = () => (who ??= { host: hostname(), username: safeUsername() });
  let logger: Logger | undefined = options.logger;
  const getLogger = (): Logger => (logger ??= createLogger());
  const busyTimeoutMs = options.busyTimeoutMs;
  // Read from the OS once per runner (the host scope reads /proc), and only when a check needs it.
  let live: Liveness | undefined = options.liveness;
  const getLiveness = (): Liveness => (live ??= processLiveness());

  // Settings depend on the environment (fixed per runner) and three fields of the input: a runner in
  // a loop resolves them once per (project, entity, mode), not on every log().
  const settingsCache = new Map<string, Settings>();
  function settingsFor(input: SkillInput): Settings {
    const key = `${input.project ?? ''}\u0000${input.entity ?? ''}\u0000${input.mode ?? ''}`;
    let settings = settingsCache.get(key);
    if (settings === undefined) {
      settings = resolveUncached(input);
      if (settingsCache.size > 64) settingsCache.clear();
      settingsCache.set(key, settings);
    }
    // warnings are per call: hand out a fresh list
    return { ...settings, warnings: [...settings.warnings] };
  }

  function resolveUncached(input: SkillInput): Settings {
    env ??= parseEnv(options.env ?? process.env);
    return resolveSettings(input, {
      env,
      cwd: options.cwd ?? process.cwd(),
      dir: options.dir,
      storePath: options.storePath,
      dashboardUrl: options.dashboardUrl,
      busyTimeoutMs,
      alertWebhooks: options.alertWebhooks,
      apiKey: netrcKey(env),
      locateStore: stores.locate,
      hostname: () => identity().host,
      username: () => identity().username,
    });
  }

  const childLoggers = new Map<string, Logger>();
  const loggerFor = (action: string): Logger => {
    let l = childLoggers.get(action);
    if (l === undefined) {
      l = getLogger().child({ action });
      childLoggers.set(action, l);
    }
    return l;
  };

  // Built once per runner and handed to every call (and to the lower folders) as they are.
  const services: Services = {
    openStore: (settings, warn) => stores.storeFor(settings, warn),
    now,
    random,
    sleep: options.sleep ?? realSleep,
    fetch: options.fetch ?? globalThis.fetch,
    retry: options.retry,
    get logger() {
      return getLogger();
    },
    liveness: getLiveness,
    progress: options.onProgress,
  };

  function makeContext(input: SkillInput, settings: Settings, warnings: string[]): ActionContext {
    return {
      ...services,
      input,
      settings,
      store: () => stores.storeFor(settings, (m) => warnings.push(m)),
      logger: loggerFor(input.action),
      cache,
      warn: (m) => warnings.push(m),
      ownsRuns: options.ownsRuns === true,
    };
  }

  async function execute(context: unknown): Promise<SkillOutput> {
    const warnings: string[] = [];
    let action = 'unknown';
    let mode: Settings['mode'] | undefined;
    let storePath: string | undefined;
    try {
      action = actionOf(context);
      const input: SkillInput = assertValidInput(unwrap(context));
      const settings = settingsFor(input);
      mode = settings.mode;
      // Every answer says which store it used (a disabled call uses none).
      if (mode !== 'disabled') storePath = settings.storePath;
      warnings.push(...settings.warnings);
      const ctx = makeContext(input, settings, warnings);
      const log = ctx.logger;
      let handler = handlers.get(input.action);
      if (handler === undefined) {
        handler = await ACTIONS[input.action]();
        handlers.set(input.action, handler);
      }
      const started = now();
      const result = await handler(ctx);
      if (log.isLevelEnabled('info')) log.info({ runId: result.runId, ms: now() - started }, `${input.action} done`);
      let out: SkillOutput = { status: 'success', action: input.action, mode: settings.mode, ...(storePath !== undefined ? { storePath } : {}), ...result };
      // Store first, then the W&B server (online): a network failure only adds a warning.
      if (settings.mode === 'online' && result.runId !== undefined && REPLICATED.has(input.action)) {
        const { warnings: w, ...fields } = await (await getReplicator()).afterCall(ctx, stores.storeFor(settings), result.runId, result.project ?? settings.project, input.action === 'finish');
        if (w) warnings.push(...w);
        out = { ...out, ...fields };
      }
      const notice = offlineNotice(input, settings, stores.get(settings.storePath), cache, now);
      if (notice !== undefined) warnings.unshift(notice);
      if (warnings.length > 0) out.warnings = capWarnings(warnings, ...SUCCESS_WARNINGS);
      return out;
    } catch (err) {
      const error = toErrorPayload(err);
      if (error.code === 'INTERNAL') getLogger().error({ err, action }, 'internal error');
      const out: SkillOutput = { status: 'error', action, error };
      if (mode !== undefined) out.mode = mode;
      // A path longer than any the OS takes (PATH_MAX) names no store: left out, so the document stays small.
      if (storePath !== undefined && storePath.length <= 4096) out.storePath = storePath;
      if (warnings.length > 0) out.warnings = capWarnings(warnings, ...ERROR_WARNINGS);
      return out;
    }
  }

  return {
    execute,
    async withContext(input, fn) {
      const settings = settingsFor(input);
      return fn(makeContext(input, settings, settings.warnings), stores.storeFor(settings, (m) => settings.warnings.push(m)));
    },
    flush: async () => {
      if (replicator !== undefined) await replicator.flush();
    },
    close() {
      // Unsent data stays in the store (`sync` sends it); call flush() before close() to send it now.
      replicator?.stop();
      stores.close();
    },
  };
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
