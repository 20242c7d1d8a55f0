import { SkillError } from '../errors.js';
import type { ActionHandler } from './context.js';

/** `alert`: not built yet (issue #6); answers UNSUPPORTED rather than pretending. */
export const alert: ActionHandler = () => {
  throw new SkillError('UNSUPPORTED', 'the alert action is not available in this version yet', {
    details: { issues: [{ path: 'action', message: 'alert is not implemented yet' }] },
  });
};
