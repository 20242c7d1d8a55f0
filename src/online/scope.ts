import type { Services } from '../services.js';
import type { Settings } from '../settings.js';

/**
 * What the online modules need of a caller: the runner's services, the call's settings and the
 * runner-scoped memo (the viewer's entity, a refused server, a sweep's agent id), so repeated calls
 * in one process ask the server once, and the caller's warnings. An action's context is one, and so is
 * a runner's CallScope (`sync`, the agent).
 */
export interface OnlineScope extends Services {
  readonly settings: Settings;
  readonly cache: Map<string, unknown>;
  /** Adds a line to the caller's warnings (what did not reach W&B, what was pulled instead). */
  warn(message: string): void;
}
