import { SkillError } from '../errors.js';
import type { ActionHandler } from './context.js';

/** `artifact`: not built yet (issue #5); answers UNSUPPORTED rather than pretending. */
export const artifact: ActionHandler = () => {
  throw new SkillError('UNSUPPORTED', 'the artifact action is not available in this version yet', {
    details: { issues: [{ path: 'action', message: 'artifact is not implemented yet' }] },
  });
};
