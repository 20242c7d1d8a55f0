import type { Logger } from 'pino';
import type { HttpRetrySettings } from '../http/retry.js';
import type { SkillInput, SkillOutput } from '../contract/types.generated.js';
import type { Store } from '../store/index.js';
import type { ActionContext } from '../actions/context.js';
import type { ProgressEvent } from '../services.js';
import type { ReplicationMode } from '../online/replicator.js';
import type { Liveness } from '../liveness.js';

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

/** What one call may bring beside its context. */
export interface ExecuteOptions {
  /**
   * Where this call's progress of long work goes (an MCP request's progress token, a terminal's bar);
   * absent, the runner's `onProgress`. Per call, so concurrent calls each hear only their own work.
   */
  progress?: ((p: ProgressEvent) => void) | undefined;
}

/** A long-lived executor: keeps stores open between calls (use it, or createTracker, in loops). */
export interface SkillRunner {
  execute(context: unknown, call?: ExecuteOptions): Promise<SkillOutput>;
  /** Online: sends everything still queued for the W&B server (call before exit). */
  flush(): Promise<void>;
  close(): void;
  /**
   * Runs `fn` with the context a call of `input` would get (settings, store, services) — for commands
   * that work on the store beside actions, such as `sync`.
   */
  withContext<T>(input: SkillInput, fn: (ctx: ActionContext, store: Store) => Promise<T>): Promise<T>;
}
