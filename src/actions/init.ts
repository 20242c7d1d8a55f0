import { SkillError } from '../errors.js';
import type { ActionContext, ActionHandler } from './context.js';
import { createRun, findRun, runFieldsOf, runUrl } from '../runs/lifecycle.js';
import { generateRunId } from '../runs/names.js';
import { runConfigChange } from '../runs/run-config.js';
import type { ResumeMode } from '../settings.js';
import type { RunRecord, Store } from '../store/index.js';
import { mkdirSync } from 'node:fs';
import { replaceFile } from '../replace-file.js';
import { basename, join } from 'node:path';
import { platform, release } from 'node:os';
import { runMetadata } from '../runs/run-metadata.js';
import { runFilesDir } from '../runs/paths.js';

type RunConfig = NonNullable<ActionContext['input']['runConfig']>;

function resumeMode(v: string | boolean | undefined, fallback: ResumeMode | undefined): ResumeMode | undefined {
  if (v === true) return 'auto';
  if (v === false) return undefined;
  return (v as ResumeMode | undefined) ?? fallback;
}

/** The run id the call names and its resume mode, refused early when they contradict. */
function requested(ctx: ActionContext): { requestedId: string | undefined; resume: ResumeMode | undefined } {
  const { input, settings } = ctx;
  const rc = input.runConfig ?? {};
  if (rc.id !== undefined && input.runId !== undefined && rc.id !== input.runId) {
    throw new SkillError('INVALID_INPUT', 'runConfig.id and runId name different runs', {
      details: { issues: [{ path: 'runConfig.id', message: `differs from runId (${input.runId})` }] },
    });
  }
  const requestedId = rc.id ?? input.runId ?? settings.runDefaults.id;
  const resume = resumeMode(rc.resume, settings.runDefaults.resume);
  if (resume === 'must' && requestedId === undefined) {
    throw new SkillError('INVALID_INPUT', "runConfig.resume 'must' needs a run id (runConfig.id, runId or WANDB_RUN_ID)", {
      details: { issues: [{ path: 'runConfig.id', message: "required with resume 'must'" }] },
    });
  }
  return { requestedId, resume };
}

/** W&B's resume rules for a run that exists: `never` refuses it, no resume mode asks for one. */
function assertResumable(existing: RunRecord, resume: ResumeMode | undefined): void {
  // A run pre-created by a sweep (state pending) is joined, as W&B's agent children do.
  if (existing.state === 'pending') return;
  if (resume === 'never') {
    throw new SkillError('CONFLICT', `run ${existing.id} already exists in project ${existing.project} (resume 'never')`, {
      details: { issues: [{ path: 'runConfig.id', message: 'a run with this id exists' }] },
    });
  }
  if (resume === undefined) {
    throw new SkillError('CONFLICT', `run ${existing.id} already exists in project ${existing.project}; pass runConfig.resume "allow" to continue it`, {
      details: { issues: [{ path: 'runConfig.resume', message: 'needed to continue an existing run' }] },
    });
  }
}

/** Starts the run or continues the existing one, inside one write transaction. */
function startOrResume(
  ctx: ActionContext,
  store: Store,
  requestedId: string | undefined,
  resume: ResumeMode | undefined,
): { run: RunRecord; resumed: boolean } {
  const { settings } = ctx;
  const rc = ctx.input.runConfig ?? {};
  const nowSec = ctx.now() / 1000;
  return store.write(() => {
    const existing = requestedId === undefined ? undefined : findRun(ctx, store, requestedId);
    if (existing === undefined) {
      if (resume === 'must') {
        throw new SkillError('NOT_FOUND', `run ${requestedId} does not exist in project ${settings.project} (resume 'must')`, {
          details: { issues: [{ path: 'runConfig.id', message: 'no such run' }] },
        });
      }
      return { run: createRun(ctx, store, runFieldsOf(rc, requestedId)), resumed: false };
    }
    assertResumable(existing, resume);
    return { run: resumeRun(ctx, existing, rc, nowSec, store), resumed: existing.state !== 'pending' };
  });
}

/** `init`: starts a run, or resumes one with W&B's resume modes (allow, must, never, auto). */
export const init: ActionHandler = async (ctx) => {
  const { input, settings } = ctx;
  const rc = input.runConfig ?? {};
  const { requestedId, resume } = requested(ctx);
  if (settings.mode === 'disabled') {
    const id = requestedId ?? generateRunId((m) => ctx.random(m));
    return { runId: id, runName: rc.name ?? id, project: settings.project, state: 'running', step: 0, created: false };
  }
  const store = ctx.store();
  // Online, a run started on another machine is resumed from the server's copy (W&B's RunResumeStatus).
  if (settings.mode === 'online' && requestedId !== undefined && resume !== undefined && resume !== 'never' && findRun(ctx, store, requestedId) === undefined) {
    const { pullRunForResume } = await import('../online/run-resume.js');
    await pullRunForResume(ctx, store, requestedId);
  }
  const { run, resumed } = startOrResume(ctx, store, requestedId, resume);
  if (resumed) ctx.logger.info({ runId: run.id }, 'resumed run');
  else if (run.historyCount === 0) writeMetadata(ctx, run);
  return {
    runId: run.id,
    runUrl: runUrl(ctx, run),
    project: run.project,
    ...(run.entity !== null ? { entity: run.entity } : {}),
    runName: run.displayName,
    state: run.state,
    step: run.step,
    historyLength: run.historyCount,
    resumed,
    created: !resumed && run.historyCount === 0,
    storePath: store.path,
  };
};

function resumeRun(ctx: ActionContext, existing: RunRecord, cfg: RunConfig, now: number, s: Store): RunRecord {
  const ended = existing.state !== 'running' && existing.state !== 'pending';
  // W&B merges: the new config's keys win, keys it does not set are kept (a sweep's parameters
  // keep the sweep's values); tags/notes kept unless given.
  const change = runConfigChange(s, existing, cfg, (m) => ctx.warn(m)) ?? existing;
  const runtimeBase = ended ? Math.max(existing.runtimeBase, lastRuntime(existing)) : existing.runtimeBase;
  // An ended run continued starts a new segment (W&B writes one offline run folder per resume).
  if (ended) {
    s.runSegments.add(existing.key, {
      fromSeq: existing.historyCount,
      startedAt: now,
      startingStep: existing.step,
      runtimeBase,
      prevExitCode: existing.exitCode,
    });
  }
  s.runs.saveMeta(existing.key, {
    displayName: change.displayName,
    config: change.config,
    tags: change.tags,
    notes: change.notes,
    group: change.group,
    jobType: change.jobType,
    entity: existing.entity ?? ctx.settings.entity ?? null,
    state: 'running',
    // A resumed run's _runtime continues from where it ended (PROTOCOL.md 2.3).
    runtimeBase,
    segmentStart: ended || existing.state === 'pending' ? now : existing.segmentStart,
    finishedAt: null,
    exitCode: null,
    now,
  });
  return s.runs.get(existing.project, existing.id) as RunRecord;
}

function lastRuntime(run: RunRecord): number {
  if (run.finishedAt !== null) return Math.max(0, run.runtimeBase + (run.finishedAt - run.segmentStart));
  const r = run.summary['_runtime'];
  return typeof r === 'number' && Number.isFinite(r) ? r : run.runtimeBase;
}

/**
 * A new run's `wandb-metadata.json` (the program, its arguments, the folder, the git commit), written
 * into its files folder once the run is stored, as W&B's SDK writes it at start; the run page shows it.
 * It is the process's own account of itself: a failure to write it is a warning, not a failed init.
 */
function writeMetadata(ctx: ActionContext, run: RunRecord): void {
  try {
    const entry = process.argv[1] ?? '';
    const meta = runMetadata(
      {
        argv: process.argv,
        cwd: ctx.settings.cwd,
        execPath: process.execPath,
        platform: platform(),
        release: release(),
        nodeVersion: process.version,
        // The CLI's and the MCP server's arguments are the call itself, not a program's command line.
        viaCli: /^wandb-skill(?:\.c?js)?$/.test(basename(entry)),
      },
      run,
    );
    const folder = runFilesDir(ctx.settings.dir, run.project, run.id);
    mkdirSync(folder, { recursive: true });
    // A link planted at the name is replaced, never written through.
    replaceFile(join(folder, 'wandb-metadata.json'), JSON.stringify(meta, null, 2));
  } catch (err) {
    ctx.warn(`the run's wandb-metadata.json was not written: ${err instanceof Error ? err.message : String(err)}`);
  }
}
