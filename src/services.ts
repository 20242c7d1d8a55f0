/**
 * What the library needs from the world, built once per runner and passed down: nothing below the
 * pipeline reads a clock, a random source, the network or the process table from a global.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Settings } from './settings.js';
import type { Store } from './store/index.js';
import type { Liveness } from './liveness.js';
import type { HttpRetrySettings } from './http/retry.js';

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

/** Waits `ms` on the real clock; an aborted `signal` ends the wait early (rejecting with its reason), so a deadline cuts a retry wait short. */
export const realSleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, signal === undefined ? undefined : { signal });
