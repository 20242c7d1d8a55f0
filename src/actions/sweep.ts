import { SkillError } from '../errors.js';
import type { ActionHandler } from './context.js';
import { createSweep } from './sweep/create.js';
import { sweepNext } from './sweep/next.js';
import { sweepStatus } from './sweep/status.js';
import { changeSweepState } from './sweep/state.js';
import { checkNamedRun } from '../runs/lifecycle.js';

/**
 * `sweep`: W&B sweeps with one `operation`: create (the default with sweepConfig), next, status,
 * pause, resume, stop, cancel. Each operation lives in its own file under ./sweep/.
 */
export const sweep: ActionHandler = async (ctx) => {
  const { input } = ctx;
  const operation = input.operation ?? (input.sweepConfig !== undefined ? 'create' : undefined);
  if (operation === undefined) {
    throw new SkillError('INVALID_INPUT', 'sweep needs an operation (create, next, status, pause, resume, stop, cancel), or sweepConfig to create one', {
      details: { issues: [{ path: 'operation', message: 'required without sweepConfig' }] },
    });
  }
  if (operation !== 'create' && input.sweepConfig !== undefined) {
    ctx.warn(`sweepConfig is ignored by operation "${operation}"`);
  }
  if (ctx.settings.mode === 'disabled' && operation !== 'create') {
    return { ...(input.sweepId !== undefined ? { sweepId: input.sweepId } : {}), ...(operation === 'next' ? { done: true, doneReason: 'disabled' } : {}) };
  }
  if (ctx.settings.mode !== 'disabled') checkNamedRun(ctx, ctx.store());
  switch (operation) {
    case 'create':
      return createSweep(ctx);
    case 'next':
      return sweepNext(ctx);
    case 'status':
      return sweepStatus(ctx);
    case 'pause':
    case 'resume':
    case 'stop':
    case 'cancel':
      return changeSweepState(ctx, operation);
    default:
      throw new SkillError('INVALID_INPUT', `operation "${operation}" is not a sweep operation`, {
        details: { issues: [{ path: 'operation', message: 'must be one of create, next, status, pause, resume, stop, cancel' }] },
      });
  }
};
