import { SkillError } from '../errors.js';
import type { ActionHandler } from './context.js';

/** `report`: not built yet (issue #6); answers UNSUPPORTED rather than pretending. */
export const report: ActionHandler = () => {
  throw new SkillError('UNSUPPORTED', 'the report action is not available in this version yet', {
    details: { issues: [{ path: 'action', message: 'report is not implemented yet' }] },
  });
};
