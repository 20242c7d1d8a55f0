import { SkillError } from '../errors.js';
import type { ActionHandler } from './context.js';

/** `sweep`: not built yet (issue #4); answers UNSUPPORTED rather than pretending. */
export const sweep: ActionHandler = () => {
  throw new SkillError('UNSUPPORTED', 'the sweep action is not available in this version yet', {
    details: { issues: [{ path: 'action', message: 'sweep is not implemented yet' }] },
  });
};
