import type { SkillInput, SkillOutput } from '../contract/types.generated.js';
import type { Settings } from '../settings.js';
import type { Store } from '../store/index.js';
import type { Services } from '../services.js';

/**
 * What every action handler gets: the validated input, its parsed settings, and the runner's
 * services. Only handlers see this; lower folders take `Services` or narrower arguments.
 */
export interface ActionContext extends Services {
  readonly input: SkillInput;
  readonly settings: Settings;
  /** The store of this call's settings, opened on first use (a `disabled` call never opens it). */
  store(): Store;
  /** Runner-scoped memo (e.g. the viewer's entity), so repeated calls in one process ask once. */
  readonly cache: Map<string, unknown>;
  /** Adds a line to the output's `warnings`. */
  warn(message: string): void;
  /**
   * Set when this process is a long-lived owner (an agent, a tracker): runs it creates record it in
   * the same transaction, so a later check ends them `crashed` once it is gone. A one-call CLI
   * process owns nothing (its run outlives it by design).
   */
  readonly ownsRuns?: boolean | undefined;
}

/** What a handler returns: output fields beside `status`, `action`, `mode` and `warnings`. */
export type ActionResult = Omit<SkillOutput, 'status' | 'action' | 'mode' | 'warnings' | 'error'>;

export type ActionHandler = (ctx: ActionContext) => Promise<ActionResult> | ActionResult;
