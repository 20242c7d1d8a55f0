import { SkillError } from '../../errors.js';
import { hyperbandBands, parseSweepConfig, type SweepConfig } from '../../sweeps/index.js';
import { appUrlFromBaseUrl, sweepUrl as pageUrl } from '../../wandb/urls.js';
import type { Store } from '../../store/index.js';
import type { SweepRecord } from '../../store/sweeps.js';
import type { ActionContext } from '../context.js';
import { sweepTables } from './tables.js';

/** A stored sweep with its parsed config (and hyperband bands, when it early-terminates). */
export interface LoadedSweep {
  record: SweepRecord;
  config: SweepConfig;
  bands: number[];
}

/**
 * Finds a sweep by id: in the named project when one was given, else in any project as long as the
 * id names one sweep (as runs are found).
 */
export function findSweep(ctx: ActionContext, store: Store, id: string): SweepRecord {
  const { sweeps } = sweepTables(store);
  const inProject = sweeps.get(ctx.settings.project, id);
  if (inProject !== undefined) return inProject;
  const matches = ctx.settings.projectGiven ? [] : sweeps.findById(id);
  if (matches.length > 1) {
    throw new SkillError('CONFLICT', `sweepId ${id} exists in several projects (${matches.map((m) => m.project).join(', ')}); name the project`, {
      details: { issues: [{ path: 'project', message: 'required: the sweep id is ambiguous' }] },
    });
  }
  const found = matches[0];
  if (found === undefined) {
    throw new SkillError('NOT_FOUND', `sweep ${id} does not exist in ${ctx.settings.projectGiven ? `project ${ctx.settings.project}` : 'this store'}`, {
      details: { issues: [{ path: 'sweepId', message: 'no such sweep' }] },
    });
  }
  return found;
}

/**
 * The parsed config of a stored sweep, memoised per runner: a sweep's config never changes after
 * creation, and the log hook needs it on every log of a sweep run.
 */
export function loadSweep(ctx: ActionContext, store: Store, record: SweepRecord): LoadedSweep {
  const key = `sweep-config:${store.path}:${record.key}:${record.id}:${record.createdAt}`;
  let cached = ctx.cache.get(key) as { config: SweepConfig; bands: number[] } | undefined;
  if (cached === undefined) {
    const config = parseSweepConfig(record.config);
    cached = { config, bands: config.early_terminate ? hyperbandBands(config.early_terminate) : [] };
    ctx.cache.set(key, cached);
  }
  return { record, ...cached };
}

/** The context seen from the sweep's project and entity, so runs it creates land beside it. */
export function sweepScope(ctx: ActionContext, sweep: SweepRecord): ActionContext {
  return {
    ...ctx,
    settings: { ...ctx.settings, project: sweep.project, projectGiven: true, entity: sweep.entity ?? ctx.settings.entity },
  };
}

/** The sweep's page: W&B's app for cloud sweeps online, the local dashboard otherwise. */
export function sweepUrl(ctx: ActionContext, sweep: { id: string; project: string; entity: string | null }): string {
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
