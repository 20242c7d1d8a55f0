import type { SkillInput } from '../contract/types.generated.js';
import type { ActionHandler } from './context.js';

/**
 * The dispatch table: action name -> its handler, loaded on first use so a one-call process only
 * loads the code of its own action.
 */
export const ACTIONS: Record<SkillInput['action'], () => Promise<ActionHandler>> = {
  init: async () => (await import('./init.js')).init,
  log: async () => (await import('./log.js')).log,
  finish: async () => (await import('./finish.js')).finish,
  sweep: async () => (await import('./sweep.js')).sweep,
  artifact: async () => (await import('./artifact.js')).artifact,
  alert: async () => (await import('./alert.js')).alert,
  report: async () => (await import('./report.js')).report,
};
