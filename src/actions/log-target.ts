import { mkdirSync, renameSync } from 'node:fs';
// node:fs/promises is imported where used: it loads a dozen internal modules, a few ms of a one-call CLI log.
import { dirname, join } from 'node:path';
import { SkillError } from '../errors.js';
import type { ActionContext } from './context.js';
import { createRun, findRun, isActive, namedRunId, runFieldsOf, runNotFound, type RunFields } from '../runs/lifecycle.js';
import type { MediaFile } from '../media/index.js';
import type { RunRecord, Store } from '../store/index.js';

/** The run a log acts on, or the run it would start (an implicit init). */
export type LogTarget = { run: RunRecord } | { create: RunFields };

/** Whether the call asks W&B's "create it if missing" (runConfig.resume allow/auto/true, else WANDB_RESUME). */
function createsMissing(ctx: ActionContext): boolean {
  const r = ctx.input.runConfig?.resume ?? ctx.settings.runDefaults.resume;
  return r === true || r === 'allow' || r === 'auto';
}

/**
 * Which run a log acts on, without writing: a run named by id (runId, runConfig.id, WANDB_RUN_ID)
 * must exist (NOT_FOUND naming the store) unless runConfig.resume is "allow"/"auto"; with no id, the
 * running run named runConfig.name (or WANDB_NAME); else a new run (an implicit init). Called again
 * inside the write lock, so two processes never both create it.
 */
export function resolveTarget(ctx: ActionContext, store: Store): LogTarget {
  const { input, settings } = ctx;
  const rc = input.runConfig ?? {};
  const named = namedRunId(ctx);
  if (named !== undefined) {
    const found = findRun(ctx, store, named.id);
    if (found !== undefined) return { run: found };
    if (!createsMissing(ctx)) throw runNotFound(ctx, store, named);
    return { create: runFieldsOf(rc, named.id) };
  }
  const name = rc.name ?? settings.runDefaults.name;
  if (name !== undefined) {
    const found = store.runs.findRunningByName(settings.project, name);
    if (found !== undefined) return { run: found };
  }
  return { create: runFieldsOf(rc, undefined) };
}

/** Starts the run a log names but that does not exist yet (inside the write transaction). */
export function implicitInit(ctx: ActionContext, store: Store, fields: RunFields): RunRecord {
  const run = createRun(ctx, store, fields);
  ctx.warn(`no running run matched; started run ${run.id} ("${run.displayName}") in project ${run.project} (implicit init)`);
  return run;
}

/** CONFLICT for a run that has ended: logging to it needs a resume first. */
export function assertActive(run: RunRecord): void {
  if (isActive(run)) return;
  throw new SkillError('CONFLICT', `run ${run.id} is ${run.state}; logging to it needs init with runConfig.resume "allow" first`, {
    details: { state: run.state, issues: [{ path: 'runId', message: `run is ${run.state}` }] },
  });
}

/**
 * Moves media encoded into `staging` to the same run-relative paths under `filesDir` (same file
 * system: renames). Same content gives the same name, so replacing an existing file is harmless.
 */
export function moveStaged(staging: string, filesDir: string, files: MediaFile[]): MediaFile[] {
  return files.map((f) => {
    const to = join(filesDir, ...f.path.split('/'));
    mkdirSync(dirname(to), { recursive: true });
    renameSync(join(staging, ...f.path.split('/')), to);
    return { ...f, absPath: to };
  });
}

/** Runs `fn`; if it fails, the staging folder goes (the error is passed on). */
export async function removingOnError<T>(staging: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    await (await import('node:fs/promises')).rm(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Runs `fn`, then removes the staging folder (if any) whatever happened: moved files are out of it. */
export async function removingAfter<T>(staging: string | undefined, fn: () => T): Promise<T> {
  try {
    return fn();
  } finally {
    if (staging !== undefined) await (await import('node:fs/promises')).rm(staging, { recursive: true, force: true });
  }
}
