import { invalidInput } from '../errors.js';
import { stringifyExtended } from '../json/extended-json.js';
import type { ActionHandler, ActionResult } from './context.js';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { appendRows, checkLineSize, noteCommittedRows, readSummary, runUrl, stepState, SUMMARY_FOLD_EVERY } from '../runs/lifecycle.js';
import { runConfigChange } from '../runs/run-config.js';
import { runFilesDir } from '../runs/paths.js';
import { assertActive, implicitInit, moveStaged, removingAfter, removingOnError, resolveTarget } from './log-target.js';
import { applyLog, checkStep } from '../runs/steps.js';
import { generateRunId } from '../runs/names.js';
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
  let encodedFiles: MediaFile[] = [];
  let mediaStep: number | undefined;
  let staging: string | undefined;
  let withCharts: ((config: Record<string, unknown>) => Record<string, unknown>) | undefined;
  if (containsTyped(metrics)) {
    // Validate first, then write: the run is checked (NOT_FOUND, CONFLICT) before any file is
    // written, and media are encoded into a staging folder, moved into the run's files folder only
    // inside the transaction that stores the row. A refused call leaves no file and no run.
    const target = resolveTarget(ctx, store);
    if ('run' in target) assertActive(target.run);
    // A step the run cannot take (lower, or past the last one) is refused before any file is written.
    if ('run' in target) checkStep(stepState(target.run), data.step);
    const { encodeMetrics, mergeVisualize } = await import('../media/index.js');
    // W&B's names, media/<kind>/<key>_<step>_<sha20>.<ext>, take the step the run is at now (another
    // writer moving the step meanwhile only changes the name, not the row the descriptor lands in).
    const step = data.step ?? ('run' in target ? target.run.step : 0);
    const stage = join(settings.dir, 'wandb', 'tmp', `media-${randomUUID()}`);
    mediaStep = step;
    staging = stage;
    const encoded = await removingOnError(stage, () => encodeMetrics(metrics, { filesDir: stage, step, baseDir: settings.cwd }));
    logged = encoded.row;
    for (const w of encoded.warnings) ctx.warn(w);
    media = encoded.files.map((f) => ({ key: f.key, kind: f.kind, path: f.path, sha256: f.sha256, size: f.size }));
    encodedFiles = encoded.files;
    if (Object.keys(encoded.visualize).length > 0) withCharts = (config) => mergeVisualize(config, encoded.visualize);
  }
  const request = { metrics: { ...logged, _timestamp: ts ?? nowSec }, step: data.step, commit: data.commit };
  const { result, after, run, committed } = await removingAfter(staging, () => store.write(() => {
    const target = resolveTarget(ctx, store);
    const created = !('run' in target);
    let run = 'run' in target ? target.run : implicitInit(ctx, store, target.create);
    assertActive(run);
    // runConfig on a live run changes it (W&B's run.config.update, run.tags = ...); charts add
    // W&B's _wandb.visualize.<key> config entries, in the same transaction as the row.
    const change = created ? undefined : runConfigChange(store, run, input.runConfig ?? {}, (m) => ctx.warn(m));
    if (change !== undefined || withCharts !== undefined) {
      const meta = { ...run, ...change };
      if (withCharts !== undefined) meta.config = withCharts(meta.config);
      store.runs.saveMeta(run.key, { ...meta, now: nowSec });
      run = meta;
    }
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
    const continuations: Array<() => Promise<LogHookResult>> = [];
    for (const hook of LOG_HOOKS) {
      const next = hook({ ctx, store, run, committed: rows });
      if (next !== undefined) continuations.push(next);
    }
    // Last, once nothing can refuse the call any more: the staged media move into the run's folder.
    if (staging !== undefined && encodedFiles.length > 0) {
      encodedFiles = moveStaged(staging, runFilesDir(settings.dir, run.project, run.id), encodedFiles);
      const files = createRunFilesTable(store.db);
      for (const f of encodedFiles) files.add(run.key, f.path, f.absPath);
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
  }));
  // Committed: this process's summary of the run takes the new rows (finish then reads no rows back).
  noteCommittedRows(store, run, run.historyCount, committed);
  // W&B logs every table as a run_table artifact too; after the commit, failures become warnings.
  if (encodedFiles.some((f) => f.kind === 'table')) {
    const [{ logRunTables }, { runTableSink }] = await Promise.all([import('../media/run-tables.js'), import('./artifact/internal.js')]);
    await logRunTables(runTableSink(ctx, store, run), run, encodedFiles, mediaStep);
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
