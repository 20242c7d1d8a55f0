import { SkillError, invalidInput } from '../errors.js';
import { stringifyExtended } from '../json/extended-json.js';
import type { ActionContext, ActionHandler, ActionResult } from './context.js';
import { appendRows, checkLineSize, createRun, findRun, isActive, noteCommittedRows, readSummary, runFieldsOf, runUrl, stepState, SUMMARY_FOLD_EVERY } from '../runs/lifecycle.js';
import { applyLog, checkStep } from '../runs/steps.js';
import { generateRunId } from '../runs/names.js';
import type { RunRecord, Store } from '../store/index.js';
import { LOG_HOOKS, type LogHookResult } from './log-hooks.js';
import { createRunFilesTable } from '../store/sync.js';
import type { MediaFile } from '../media/index.js';

const RESERVED = ['_step', '_runtime'];

/** Whether any value (at any depth) is an object with a `_type`: a media input to encode. */
function containsTyped(value: Record<string, unknown> | unknown[], depth = 0): boolean {
  if (depth > 32) return false;
  if (!Array.isArray(value) && typeof value['_type'] === 'string') return true;
  // for...in without an array of values: this runs on every log, over every metric.
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && containsTyped(v as Record<string, unknown>, depth + 1)) return true;
  }
  return false;
}

/** `log`: W&B's run.log: metrics into the run's current (or given) step, committed per W&B's rules. */
export const log: ActionHandler = async (ctx) => {
  const { input, settings } = ctx;
  const data = input.logData ?? {};
  const metrics = (data.metrics ?? {}) as Record<string, unknown>;
  for (const k of RESERVED) {
    if (k in metrics) throw invalidInput(`logData.metrics.${k}`, `${k} is set by the tracker; use logData.step for the step`);
  }
  const ts = metrics['_timestamp'];
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) {
    throw invalidInput('logData.metrics._timestamp', 'must be a finite number of Unix seconds');
  }
  if (settings.mode === 'disabled') {
    return { runId: input.runId ?? settings.runDefaults.id ?? generateRunId((m) => ctx.random(m)), step: data.step ?? 0, committed: data.commit ?? data.step === undefined };
  }
  const store = ctx.store();
  const nowSec = ctx.now() / 1000;
  let logged = metrics;
  let media: Array<Record<string, unknown>> | undefined;
  let mediaFiles: Array<{ name: string; path: string }> = [];
  let encodedFiles: MediaFile[] = [];
  let mediaStep: number | undefined;
  let withCharts: ((config: Record<string, unknown>) => Record<string, unknown>) | undefined;
  if (containsTyped(metrics)) {
    // Media are written as W&B does, media/<kind>/<key>_<step>_<sha20>.<ext> under the run's files
    // folder, before the row; the file name takes the step the run is at now (another writer moving
    // the step meanwhile only changes the name, not the row the descriptor lands in).
    const { run } = store.write(() => targetRun(ctx, store));
    // A step the run cannot take (lower, or past the last one) is refused before any file is written.
    checkStep(stepState(run), data.step);
    const { encodeMetrics, mergeVisualize } = await import('../media/index.js');
    const { runFilesDir } = await import('../runs/paths.js');
    const filesDir = runFilesDir(settings.dir, run.project, run.id);
    mediaStep = data.step ?? run.step;
    const encoded = await encodeMetrics(metrics, { filesDir, step: mediaStep, baseDir: settings.cwd });
    logged = encoded.row;
    for (const w of encoded.warnings) ctx.warn(w);
    media = encoded.files.map((f) => ({ key: f.key, kind: f.kind, path: f.path, sha256: f.sha256, size: f.size }));
    mediaFiles = encoded.files.map((f) => ({ name: f.path, path: f.absPath }));
    encodedFiles = encoded.files;
    if (Object.keys(encoded.visualize).length > 0) withCharts = (config) => mergeVisualize(config, encoded.visualize);
  }
  const request = { metrics: { ...logged, _timestamp: ts ?? nowSec }, step: data.step, commit: data.commit };
  const { result, after, run, committed } = store.write(() => {
    const { run, created } = targetRun(ctx, store);
    if (!isActive(run)) {
      throw new SkillError(
        'CONFLICT',
        `run ${run.id} is ${run.state}; logging to it needs init with runConfig.resume "allow" first`,
        { details: { state: run.state, issues: [{ path: 'runId', message: `run is ${run.state}` }] } },
      );
    }
    // Charts: W&B's _wandb.visualize.<key> config entries, in the same transaction as the row.
    if (withCharts !== undefined) store.runs.saveMeta(run.key, { ...run, config: withCharts(run.config), now: nowSec });
    const outcome = applyLog(stepState(run), request);
    const { historyCount, rows, lines } = appendRows(store, run, outcome.commits, nowSec, 'logData.metrics');
    if (outcome.next.pending !== null) checkLineSize(stringifyExtended(outcome.next.pending), 'logData.metrics');
    const progress = {
      step: outcome.next.step,
      historyCount,
      summary: historyCount - run.summarySeq >= SUMMARY_FOLD_EVERY ? readSummary(store, run, historyCount) : undefined,
      pendingRow: outcome.next.pending,
      heartbeatAt: nowSec,
    };
    // A run pre-created by a sweep (pending) starts running with its first row.
    if (run.state === 'running') store.runs.saveLogProgress(run.key, progress);
    else store.runs.saveProgress(run.key, { ...progress, state: 'running', finishedAt: null, exitCode: null });
    if (mediaFiles.length > 0) {
      const files = createRunFilesTable(store.db);
      for (const f of mediaFiles) files.add(run.key, f.name, f.path);
    }
    const continuations: Array<() => Promise<LogHookResult>> = [];
    for (const hook of LOG_HOOKS) {
      const next = hook({ ctx, store, run, committed: rows });
      if (next !== undefined) continuations.push(next);
    }
    return {
      committed: { rows, lines },
      after: continuations,
      run,
      result: {
        runId: run.id,
        runUrl: runUrl(ctx, run),
        project: run.project,
        runName: run.displayName,
        state: 'running' as const,
        step: outcome.step,
        committed: outcome.committed,
        historyLength: historyCount,
        ...(created ? { created: true } : {}),
        ...(media !== undefined ? { media } : {}),
      },
    };
  });
  // Committed: this process's summary of the run takes the new rows (finish then reads no rows back).
  noteCommittedRows(store, run, run.historyCount, committed);
  // W&B logs every table as a run_table artifact too; after the commit, failures become warnings.
  if (encodedFiles.some((f) => f.kind === 'table')) {
    const { logRunTables } = await import('../media/run-tables.js');
    await logRunTables(ctx, store, run, encodedFiles, mediaStep);
  }
  // Network work of the hooks (webhooks, ...) runs after the row is safely committed.
  let out: ActionResult = result;
  for (const next of after) {
    const { warnings, ...fields } = await next();
    for (const w of warnings ?? []) ctx.warn(w);
    out = { ...out, ...fields };
  }
  return out;
};

/**
 * Which run a log acts on: runId, else WANDB_RUN_ID, else the running run of the project named
 * runConfig.name, else a new run (an implicit init, said in `warnings`). Runs inside the write lock,
 * so two processes never both create it.
 */
function targetRun(ctx: ActionContext, store: Store): { run: RunRecord; created: boolean } {
  const { input, settings } = ctx;
  const rc = input.runConfig ?? {};
  const id = input.runId ?? rc.id ?? settings.runDefaults.id;
  if (id !== undefined) {
    const found = findRun(ctx, store, id);
    if (found !== undefined) return { run: found, created: false };
  } else {
    const name = rc.name ?? settings.runDefaults.name;
    if (name !== undefined) {
      const found = store.runs.findRunningByName(settings.project, name);
      if (found !== undefined) return { run: found, created: false };
    }
  }
  const run = createRun(ctx, store, runFieldsOf(rc, id));
  ctx.warn(`no running run matched; started run ${run.id} ("${run.displayName}") in project ${run.project} (implicit init)`);
  return { run, created: true };
}
