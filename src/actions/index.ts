import type { SkillInput } from '../contract/types.generated.js';
import type { ActionHandler } from './context.js';

/** One row of the dispatch table: how to load the handler, and what the pipeline does around it. */
export interface ActionEntry {
  /** Loads the handler on first use, so a one-call process only loads the code of its own action. */
  load: () => Promise<ActionHandler>;
  /**
   * Online: the pipeline replicates the run this action touched once it returns (store first, then
   * the W&B server). The other actions talk to the server themselves.
   */
  replicated: boolean;
}

/** The dispatch table: action name -> its entry. A new action adds one row here. */
export const ACTIONS: Record<SkillInput['action'], ActionEntry> = {
  init: { load: async () => (await import('./init.js')).init, replicated: true },
  log: { load: async () => (await import('./log.js')).log, replicated: true },
  finish: { load: async () => (await import('./finish.js')).finish, replicated: true },
  sweep: { load: async () => (await import('./sweep.js')).sweep, replicated: false },
  artifact: { load: async () => (await import('./artifact.js')).artifact, replicated: false },
  alert: { load: async () => (await import('./alert.js')).alert, replicated: false },
  report: { load: async () => (await import('./report.js')).report, replicated: false },
  query: { load: async () => (await import('./query.js')).query, replicated: false },
};
