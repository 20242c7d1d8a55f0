import { SkillError } from '../../errors.js';
import { appUrlFromBaseUrl, sweepUrl as pageUrl } from '../../wandb/urls.js';
import type { ActionContext } from '../context.js';

/** The sweep's page: W&B's app for cloud sweeps online, the local dashboard otherwise. */
export function sweepUrl(ctx: Pick<ActionContext, 'settings'>, sweep: { id: string; project: string; entity: string | null }): string {
  const base = ctx.settings.mode === 'online' ? appUrlFromBaseUrl(ctx.settings.baseUrl, ctx.settings.appUrl) : ctx.settings.dashboardUrl;
  return pageUrl({ appUrl: base, entity: sweep.entity ?? 'local', project: sweep.project, sweepId: sweep.id });
}

/** The sweepId input, required by every operation but create. */
export function requireSweepId(ctx: ActionContext, operation: string): string {
  const id = ctx.input.sweepId;
  if (id === undefined) {
    throw new SkillError('INVALID_INPUT', `sweep ${operation} needs sweepId`, {
      details: { issues: [{ path: 'sweepId', message: `required by operation "${operation}"` }] },
    });
  }
  return id;
}
