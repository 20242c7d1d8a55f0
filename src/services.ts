/**
 * What the library needs from the world, built once per runner and passed down: nothing below the
 * pipeline reads a clock, a random source, the network or the process table from a global.
 */
import type { Logger } from 'pino';
import type { Settings } from './settings.js';
import type { Store } from './store/index.js';
import { processLiveness, type Liveness } from './liveness.js';
import { createLogger } from './logger.js';
import type { HttpRetrySettings } from './http/retry.js';
import { realSleep } from './sleep.js';

/** One step of long work: `done` of `total` units. */
export interface ProgressEvent {
  label: string;
  done: number;
  total: number;
  unit: 'bytes' | 'files' | 'runs';
}

export interface Services {
  /** The store of these settings, opened on first use and kept open by the runner; `warn` hears that a new store was made. */
  openStore(settings: Settings, warn?: (message: string) => void): Store;
  /** Milliseconds since the epoch (injectable clock). */
  now(): number;
  /** A random integer in [0, max) (injectable for reproducible ids and names). */
  random(max: number): number;
  /** Waits `ms` (injectable, so retries and polls can run on a fake clock). */
  sleep(ms: number): Promise<void>;
  /** The fetch used for every network call (injectable; W&B server, webhooks). */
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  /** Retry policies of outbound HTTP per caller (W&B client, webhooks); absent fields keep each caller's defaults. */
  readonly retry?: HttpRetrySettings | undefined;
  /** Whether processes are alive, for the crash checks (default: this host's real processes, asked once). */
  liveness(): Liveness;
  /** Progress of long work (artifact files, sync), for a bar on a terminal; absent when nobody watches. */
  readonly progress?: ((p: ProgressEvent) => void) | undefined;
}

/**
 * A call's view of the world below the pipeline: the services, the call's settings, the runner's
 * memo and where warnings go. An action's context is one; sessions (sync, import, export) and agents
 * get one from their runner's resources (`scopeFor`).
 */
export interface CallScope extends Services {
  readonly settings: Settings;
  /** Runner-scoped memo (the viewer's entity, a sweep's parsed config, a cloud sweep's agent id). */
  readonly cache: Map<string, unknown>;
  warn(message: string): void;
  /** Runs created here are owned by this process (an agent, a tracker): they end `crashed` once it is gone. */
  readonly ownsRuns?: boolean | undefined;
}

/** What `createServices` takes: each service the caller gives, else the process's own. */
export interface ServicesOptions {
  openStore: Services['openStore'];
  /** Clock, in milliseconds since the epoch (default Date.now). */
  now?: (() => number) | undefined;
  /** Random integer in [0, max) (default Math.random). */
  random?: ((max: number) => number) | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  fetch?: typeof fetch | undefined;
  /** Default: a pino logger on stderr, loaded when it first writes (see logger.ts). */
  logger?: Logger | undefined;
  /** Default: this host's real processes, asked of the OS on first use (the host scope reads /proc). */
  liveness?: Liveness | undefined;
  onProgress?: ((p: ProgressEvent) => void) | undefined;
  retry?: HttpRetrySettings | undefined;
}

/**
 * Builds the services once (a runner does, per lifetime). The liveness check is made on first use
 * (the host scope reads /proc); the default logger loads pino only when it first writes.
 */
export function createServices(options: ServicesOptions): Services {
  let live = options.liveness;
  return {
    openStore: options.openStore,
    now: options.now ?? Date.now,
    random: options.random ?? ((max: number) => Math.floor(Math.random() * max)),
    sleep: options.sleep ?? realSleep,
    fetch: options.fetch ?? globalThis.fetch,
    logger: options.logger ?? createLogger(),
    liveness: () => (live ??= processLiveness()),
    progress: options.onProgress,
    retry: options.retry,
  };
}
