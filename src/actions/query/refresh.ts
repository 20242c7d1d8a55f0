/** `queryConfig.refresh` online: the projects' runs are fetched from the W&B server into the store before the answer is read. */
import { SkillError } from '../../errors.js';
import { refreshProjectRuns } from '../../online/run-mirrors.js';
import type { ActionContext } from '../context.js';

/** Totals over the projects; a server that cannot be read leaves a warning and the store's answer. */
export async function refreshRuns(ctx: ActionContext, projects: readonly string[]): Promise<Record<string, unknown>> {
  const store = ctx.store();
  const total = { fetched: 0, added: 0, updated: 0, local: 0 };
  for (const project of projects) {
    try {
      const r = await refreshProjectRuns(ctx, store, project);
      total.fetched += r.fetched;
      total.added += r.added;
      total.updated += r.updated;
      total.local += r.local;
      if (r.more) ctx.warn(`project ${project} has more runs on the W&B server than one refresh reads (${r.fetched}); the newest are stored`);
    } catch (err) {
      // Wrong credentials are the caller's to fix, not a reason to answer from an old copy silently.
      if (err instanceof SkillError && err.code === 'AUTH_FAILED') throw err;
      ctx.warn(`could not refresh project ${project} from the W&B server (${err instanceof Error ? err.message : String(err)}); answering from the store`);
    }
  }
  return total;
}
