import { invalidInput } from '../errors.js';
import { stringifyExtended } from '../json/extended-json.js';
import type { ActionContext, ActionHandler, ActionResult } from './context.js';
import { join } from 'node:path';
import { appendRows, checkLineSize, isPlainAppend, noteCommittedRows, readSummary, runUrl, stepState, SUMMARY_FOLD_EVERY } from '../runs/lifecycle.js';
import { runConfigChange } from '../runs/run-config.js';
import { runFilesDir } from '../runs/paths.js';
import { assertActive, implicitInit, moveStaged, removingAfter, removingOnError, resolveTarget } from './log-target.js';
import { applyLog, checkStep, type LogRequest } from '../runs/steps.js';
import { generateRunId } from '../runs/names.js';
import { LOG_HOOKS, type LogHookResult } from './log-hooks.js';
import type { MediaFile } from '../media/index.js';
import type { RunRecord, Store } from '../store/index.js';

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

/** The reserved keys are the tracker's; a given `_timestamp` must be a time. Returns that timestamp. */
function checkMetrics(metrics: Record<string, unknown>): unknown {
  for (const k of RESERVED) {
    if (k in metrics) throw invalidInput(`logData.metrics.${k}`, `${k} is set by the tracker; use logData.step for the step`);
  }
  const ts = metrics['_timestamp'];
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) {
    throw invalidInput('logData.metrics._timestamp', 'must be a finite number of Unix seconds');
  }
  return ts;
}

/**
 * The metrics with their timestamp: a copy with the same keys in the same order as
 * `{ ...metrics, _timestamp }`. Copied key by key: a spread of an object built by assignment (which
 * V8 keeps as a hash table past a dozen keys) cost 40 µs for 100 metrics, a loop a third of that.
 * With `flatOnly`, undefined as soon as a value is an object (it may hold media: the caller looks
 * with containsTyped) or the row is itself typed, so a flat row is walked once, not twice.
 */
function copyRow(metrics: Record<string, unknown>, timestamp: unknown, flatOnly: boolean): Record<string, unknown> | undefined {
  if (flatOnly && typeof metrics['_type'] === 'string') return undefined;
  const row: Record<string, unknown> = {};
  for (const k of Object.keys(metrics)) {
    const v = metrics[k];
    if (flatOnly && typeof v === 'object' && v !== null) return undefined;
    // An own `__proto__` key would set the copy's prototype by assignment: the spread defines it.
    if (k === '__proto__') return flatOnly ? undefined : { ...metrics, _timestamp: timestamp };
    row[k] = v;
  }
  row['_timestamp'] = timestamp;
  return row;
}

/** The metrics as they will be stored, and the media files staged for them. */
interface Prepared {
  logged: Record<string, unknown>;
  media?: Array<Record<string, unknown>>;
  files: MediaFile[];
  mediaStep?: number;
  staging?: string;
  withCharts?: (config: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Media inputs become W&B descriptors, their files encoded into a staging folder. Validate first,
 * then write: the run is checked (NOT_FOUND, CONFLICT) before any file is written, and the files
 * move into the run's folder only inside the transaction that stores the row, so a refused call
 * leaves no file and no run.
 */
async function encodeMedia(ctx: ActionContext, store: Store, metrics: Record<string, unknown>): Promise<Prepared> {
  const { settings } = ctx;
  const data = ctx.input.logData ?? {};
  const target = resolveTarget(ctx, store);
  if ('run' in target) assertActive(target.run);
  // A step the run cannot take (lower, or past the last one) is refused before any file is written.
  if ('run' in target) checkStep(stepState(target.run), data.step);
  const { encodeMetrics, mergeVisualize } = await import('../media/index.js');
  // Loaded here: node:crypto (and the stream modules it pulls in) costs a one-call CLI log a few ms.
  const { randomUUID } = await import('node:crypto');
  // W&B's names, media/<kind>/<key>_<step>_<sha20>.<ext>, take the step the run is at now (another
  // writer moving the step meanwhile only changes the name, not the row the descriptor lands in).
  const step = data.step ?? ('run' in target ? target.run.step : 0);
  const stage = join(settings.dir, 'wandb', 'tmp', `media-${randomUUID()}`);
  const encoded = await removingOnError(stage, () => encodeMetrics(metrics, { filesDir: stage, step, baseDir: settings.cwd }));
  for (const w of encoded.warnings) ctx.warn(w);
  return {
    logged: encoded.row,
    media: encoded.files.map((f) => ({ key: f.key, kind: f.kind, path: f.path, sha256: f.sha256, size: f.size })),
    files: encoded.files,
    mediaStep: step,
    staging: stage,
    ...(Object.keys(encoded.visualize).length > 0 ? { withCharts: (config: Record<string, unknown>) => mergeVisualize(config, encoded.visualize) } : {}),
  };
}

/**
 * runConfig on a live run changes it (W&B's run.config.update, run.tags = ...); charts add W&B's
 * _wandb.visualize.<key> config entries, in the same transaction as the row.
 */
function updateMeta(ctx: ActionContext, store: Store, run: RunRecord, created: boolean, p: Prepared, nowSec: number): RunRecord {
  // No runConfig, no change (and the run's config and tags stay unparsed).
  const rc = ctx.input.runConfig;
  const change = created || rc === undefined ? undefined : runConfigChange(store, run, rc, (m) => ctx.warn(m));
  if (change === undefined && p.withCharts === undefined) return run;
  const meta = { ...run, ...change };
  if (p.withCharts !== undefined) meta.config = p.withCharts(meta.config);
  store.runs.saveMeta(run.key, { ...meta, now: nowSec });
  return meta;
}

/** Last, once nothing can refuse the call any more: the staged media move into the run's folder. */
function placeMedia(ctx: ActionContext, store: Store, run: RunRecord, p: Prepared): MediaFile[] {
  if (p.staging === undefined || p.files.length === 0) return p.files;
  const moved = moveStaged(p.staging, runFilesDir(ctx.settings.dir, run.project, run.id), p.files);
  const files = store.runFiles;
  for (const f of moved) files.add(run.key, f.path, f.absPath);
  return moved;
}

/** Stores the row (W&B's step rules), runs the hooks and places the media: one write transaction. */
function commitLog(ctx: ActionContext, store: Store, request: LogRequest & { flat?: Record<string, unknown> | undefined }, p: Prepared, nowSec: number) {
  const target = resolveTarget(ctx, store);
  const created = !('run' in target);
  const found = 'run' in target ? target.run : implicitInit(ctx, store, target.create);
  assertActive(found);
  const run = updateMeta(ctx, store, found, created, p, nowSec);
  const outcome = applyLog(stepState(run), request);
  const { historyCount, rows, lines } = appendRows(store, run, outcome.commits, nowSec, 'logData.metrics', request.flat);
  // Serialised once: checked here, stored as it is by saveLogProgress.
  const pendingLine = outcome.next.pending === null ? undefined : stringifyExtended(outcome.next.pending);
  if (pendingLine !== undefined) checkLineSize(pendingLine, 'logData.metrics');
  const summaryDue = historyCount - run.summarySeq >= SUMMARY_FOLD_EVERY;
  if (!created && run === found && isPlainAppend(run, outcome.next, summaryDue, nowSec)) {
    // The run row stays as it is: readers take its step and count from the rows (store/run-live.ts).
    store.runs.noteAppended(run.key, outcome.next.step, historyCount);
  } else {
    const progress = {
      step: outcome.next.step,
      historyCount,
      summary: summaryDue ? readSummary(store, run, historyCount) : undefined,
      pendingRow: outcome.next.pending,
      heartbeatAt: nowSec,
    };
    // A run pre-created by a sweep (pending) starts running with its first row.
    if (run.state === 'running') store.runs.saveLogProgress(run.key, { ...progress, pendingLine });
    else store.runs.saveProgress(run.key, { ...progress, state: 'running', finishedAt: null, exitCode: null });
  }
  const after: Array<() => Promise<LogHookResult>> = [];
  for (const hook of LOG_HOOKS) {
    const next = hook({ ctx, store, run, committed: rows });
    if (next !== undefined) after.push(next);
  }
  const files = placeMedia(ctx, store, run, p);
  const result: ActionResult = {
    runId: run.id,
    runUrl: runUrl(ctx, run),
    project: run.project,
    runName: run.displayName,
    state: 'running' as const,
    step: outcome.step,
    committed: outcome.committed,
    historyLength: historyCount,
    ...(created ? { created: true } : {}),
    ...(p.media !== undefined ? { media: p.media } : {}),
  };
  return { committed: { rows, lines }, after, run, files, result };
}

/** `log`: W&B's run.log: metrics into the run's current (or given) step, committed per W&B's rules. */
export const log: ActionHandler = async (ctx) => {
  const { input, settings } = ctx;
  const data = input.logData ?? {};
  const metrics = (data.metrics ?? {}) as Record<string, unknown>;
  const ts = checkMetrics(metrics);
  if (settings.mode === 'disabled') {
    return {
      runId: input.runId ?? settings.runDefaults.id ?? generateRunId((m) => ctx.random(m)),
      step: data.step ?? 0,
      committed: data.commit ?? data.step === undefined,
    };
  }
  const store = ctx.store();
  const nowSec = ctx.now() / 1000;
  const timestamp = ts ?? nowSec;
  const flat = copyRow(metrics, timestamp, true);
  const prepared: Prepared = flat === undefined && containsTyped(metrics) ? await encodeMedia(ctx, store, metrics) : { logged: metrics, files: [] };
  const row = flat ?? (copyRow(prepared.logged, timestamp, false) as Record<string, unknown>);
  // `flat`: the row copyRow found no object in (the fold then reads it in one loop).
  const request = { metrics: row, step: data.step, commit: data.commit, flat };
  const { result, after, run, committed, files } = await removingAfter(prepared.staging, () =>
    store.write(() => commitLog(ctx, store, request, prepared, nowSec)),
  );
  // Committed: this process's summary of the run takes the new rows (finish then reads no rows back).
  noteCommittedRows(store, run, run.historyCount, committed);
  // W&B logs every table as a run_table artifact too; after the commit, failures become warnings.
  if (files.some((f) => f.kind === 'table')) {
    const [{ logRunTables }, { runTableSink }] = await Promise.all([import('../media/run-tables.js'), import('./artifact/internal.js')]);
    await logRunTables(runTableSink(ctx, store, run), run, files, prepared.mediaStep);
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
