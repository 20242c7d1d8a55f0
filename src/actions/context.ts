import type { Logger } from 'pino';
import type { SkillInput, SkillOutput } from '../contract/types.generated.js';
import type { Settings } from '../settings.js';
import type { Store } from '../store/index.js';
import type { Liveness } from '../agent/liveness.js';

/** What every action handler gets: the validated input, parsed settings, and injected services. */
export interface ActionContext {
  readonly input: SkillInput;
  readonly settings: Settings;
  /** Opens the store on first use (a `disabled` call never does). */
  store(): Store;
  /** Milliseconds since the epoch (injectable clock). */
  now(): number;
  /** A random integer in [0, max) (injectable for reproducible ids and names). */
  random(max: number): number;
  readonly logger: Logger;
  /** The fetch used for every network call (injectable; W&B server, webhooks). */
  readonly fetch: typeof fetch;
  /** Runner-scoped memo (e.g. the viewer's entity), so repeated calls in one process ask once. */
  readonly cache: Map<string, unknown>;
  /** Progress of long work (artifact files), for a bar on a terminal; absent when nobody watches. */
  readonly progress?: ((p: ProgressEvent) => void) | undefined;
  /** Adds a line to the output's `warnings`. */
  warn(message: string): void;
  /** Whether processes are alive, for the crash checks (injectable; default the OS's answer). */
  readonly liveness?: (() => Liveness) | undefined;
  /**
   * Set when this process is a long-lived owner (an agent, a tracker): runs it creates record it in
   * the same transaction, so a later check ends them `crashed` once it is gone. A one-call CLI
   * process owns nothing (its run outlives it by design).
   */
  readonly ownsRuns?: boolean | undefined;
}

/** One step of long work: `done` of `total` units. */
export interface ProgressEvent {
  label: string;
  done: number;
  total: number;
  unit: 'bytes' | 'files' | 'runs';
}

/** What a handler returns: output fields beside `status`, `action`, `mode` and `warnings`. */
export type ActionResult = Omit<SkillOutput, 'status' | 'action' | 'mode' | 'warnings' | 'error'>;

export type ActionHandler = (ctx: ActionContext) => Promise<ActionResult> | ActionResult;
