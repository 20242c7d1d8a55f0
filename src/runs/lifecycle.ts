import { SkillError } from '../errors.js';
import { parseExtended, stringifyExtended } from '../json/extended-json.js';
import type { SkillInput } from '../contract/types.generated.js';
import type { Settings } from '../settings.js';
import type { Services } from '../services.js';
import type { RunRecord, RunState, Store } from '../store/index.js';
import type { CommittedRow, StepState } from './steps.js';
import { foldFlatRowInto, foldRowInto } from './summary.js';
import { generateDisplayName, generateRunId } from './names.js';
import { runUrl as pageUrl } from '../wandb/urls.js';
import { foldAfterAppend, type AppendedRow } from '../history/fold.js';

/** The call a run rule looks at: its input and settings (an action's context is one). */
export interface RunCall {
  readonly input: SkillInput;
  readonly settings: Settings;
}

/** What creating a run needs: the settings, the random source (ids, names), the clock, and whether this process owns its runs. */
export interface RunCreation extends Pick<Services, 'now' | 'random' | 'liveness'> {
  readonly settings: Settings;
  readonly ownsRuns?: boolean | undefined;
}

/** W&B drops a history line over 10 MiB - 100 KiB; we refuse it instead, so nothing is lost silently. */
export const MAX_LINE_BYTES = 10 * 1024 * 1024 - 100 * 1024;

export function checkLineSize(line: string, field: string): void {
  if (line.length * 3 <= MAX_LINE_BYTES) return;
  const bytes = Buffer.byteLength(line, 'utf8');
  if (bytes > MAX_LINE_BYTES) {
    throw new SkillError('PAYLOAD_TOO_LARGE', `${field}: the history row is ${bytes} bytes; W&B's limit is ${MAX_LINE_BYTES}`, {
      details: { bytes, limit: MAX_LINE_BYTES, issues: [{ path: field, message: `row of ${bytes} bytes exceeds ${MAX_LINE_BYTES}` }] },
    });
  }
}

/** Seconds of run time at `nowSec`: time before the current segment plus time since it began. */
export function runtimeAt(run: RunRecord, nowSec: number): number {
  // Rounded to microseconds: the clock is in milliseconds, the rest is float noise.
  return Math.round(Math.max(0, run.runtimeBase + (nowSec - run.segmentStart)) * 1e6) / 1e6;
}

export function stepState(run: RunRecord): StepState {
  return { step: run.step, pending: run.pendingRow };
}

/** The run's page: W&B's app online, the local dashboard's page offline. */
export function runUrl(
  ctx: { readonly settings: Pick<Settings, 'mode' | 'appUrl' | 'dashboardUrl'> },
  run: { project: string; id: string; entity: string | null },
): string {
  const base = ctx.settings.mode === 'online' && ctx.settings.appUrl ? ctx.settings.appUrl : ctx.settings.dashboardUrl;
  return pageUrl({ appUrl: base, entity: run.entity ?? 'local', project: run.project, runId: run.id });
}

export interface CommitResult {
  historyCount: number;
  /** The rows as written, with _step, _runtime and _timestamp. */
  rows: Array<Record<string, unknown>>;
  /** Their history lines (extended JSON), as stored. */
  lines: string[];
}

/** A run's summary after folding the history rows not yet folded (W&B: last value per key). */
export function readSummary(store: Store, run: RunRecord, historyCount = run.historyCount): { value: Record<string, unknown>; seq: number } {
  let from = run.summary;
  let seq = run.summarySeq;
  // This process's own summary of the run, when it is ahead of the stored one and not past what the caller sees.
  const cached = store.summaries.get(run.key, run.id);
  if (cached !== undefined && cached.seq >= seq && cached.seq <= historyCount) ({ value: from, seq } = cached);
  // One shallow copy, then folded in place (nested objects are replaced, never changed).
  const value = { ...from };
  if (seq < historyCount) {
    for (const row of store.history.rows(run.key, seq, historyCount - seq)) foldRowInto(value, row);
  }
  return { value, seq: historyCount };
}

/**
 * After a commit of history lines [fromSeq, fromSeq + rows.length) of `run` (as read in that
 * transaction): folds what was stored into this process's cached summary. Call only once the
 * write is committed, so nothing rolled back ever enters the cache.
 */
export function noteCommittedRows(store: Store, run: RunRecord, fromSeq: number, committed: Pick<CommitResult, 'rows' | 'lines'>): void {
  const { rows, lines } = committed;
  if (rows.length === 0) return;
  const cached = store.summaries.get(run.key, run.id);
  let value: Record<string, unknown>;
  // The cache owns its value (readSummary hands out copies); the run record's is copied first.
  if (cached?.seq === fromSeq) value = cached.value;
  else if (run.summarySeq === fromSeq) value = { ...run.summary };
  else {
    store.summaries.delete(run.key);
    return;
  }
  // The summary must be what history holds: a row of plain values is the line as written; any
  // other row (nested objects, undefined, dates, ...) is read back from its line.
  rows.forEach((row, i) => {
    if (!foldFlatRowInto(value, row)) foldRowInto(value, parseExtended(lines[i] as string) as Record<string, unknown>);
  });
  store.summaries.set(run.key, { runId: run.id, seq: fromSeq + rows.length, value });
}

/** A plain log leaves the run row's heartbeat as it is when it is younger than this (seconds). */
const HEARTBEAT_REFRESH_SEC = 1;

/**
 * Whether a log of a running run is a plain append: nothing pending before or after it, no summary
 * fold due and a heartbeat younger than HEARTBEAT_REFRESH_SEC. Its rows then say all the run row
 * would (its step is the last row's step + 1), so the run row is not rewritten (see store/run-live.ts).
 */
export function isPlainAppend(run: RunRecord, next: StepState, summaryDue: boolean, nowSec: number): boolean {
  return (
    run.state === 'running' &&
    run.pendingRow === null &&
    next.pending === null &&
    !summaryDue &&
    nowSec >= run.heartbeatAt &&
    nowSec - run.heartbeatAt < HEARTBEAT_REFRESH_SEC
  );
}

/** log() folds the summary only every this many rows, so a call does not parse and rewrite it. */
export const SUMMARY_FOLD_EVERY = 256;

/**
 * Appends committed rows to history with W&B's reserved keys (the summary is folded later).
 * `flatRow`: a row the caller knows holds no object (its downsampled fold reads it in one loop).
 * Must run inside the store's write transaction.
 */
export function appendRows(store: Store, run: RunRecord, rows: CommittedRow[], nowSec: number, field: string, flatRow?: Record<string, unknown>): CommitResult {
  let historyCount = run.historyCount;
  const written: Array<Record<string, unknown>> = [];
  const lines: string[] = [];
  const appended: AppendedRow[] = [];
  for (const { step, row } of rows) {
    // The rows are the call's own objects (see LogRequest.metrics): completed in place, not copied.
    const full = row;
    full['_step'] = step;
    full['_runtime'] = runtimeAt(run, nowSec);
    if (typeof full['_timestamp'] !== 'number') full['_timestamp'] = nowSec;
    const line = stringifyExtended(full);
    checkLineSize(line, field);
    store.history.append(run.key, historyCount, step, line);
    historyCount += 1;
    written.push(full);
    lines.push(line);
    appended.push({ step, row: full, line, flat: full === flatRow });
  }
  // The downsampled history: the rows join the run's in-memory feed, written as buckets every FOLD_ROWS rows.
  foldAfterAppend(store, run.key, run.id, run.historyCount, appended);
  return { historyCount, rows: written, lines };
}

export interface RunFields {
  id?: string | undefined;
  name?: string | undefined;
  config?: Record<string, unknown> | undefined;
  tags?: string[] | undefined;
  notes?: string | undefined;
  group?: string | undefined;
  jobType?: string | undefined;
  state?: RunState;
  sweepId?: string | undefined;
}

/** The fields of a new run as the input's runConfig gives them (init, and log's implicit init). */
export function runFieldsOf(rc: NonNullable<SkillInput['runConfig']>, id: string | undefined): RunFields {
  return { id, name: rc.name, config: rc.config, tags: rc.tags, notes: rc.notes, group: rc.group, jobType: rc.jobType };
}

/** Creates a run (inside a write transaction), filling W&B's defaults: a random id and a generated name. */
export function createRun(ctx: RunCreation, store: Store, fields: RunFields): RunRecord {
  const { settings } = ctx;
  const d = settings.runDefaults;
  let id = fields.id;
  if (id === undefined) {
    do id = generateRunId((m) => ctx.random(m));
    while (store.runs.get(settings.project, id) !== undefined);
  }
  const name = fields.name ?? d.name ?? generateDisplayName(store.runs.countInProject(settings.project) + 1, (m) => ctx.random(m));
  const run = store.runs.insert({
    project: settings.project,
    id,
    entity: settings.entity ?? null,
    displayName: name,
    state: fields.state ?? 'running',
    config: fields.config ?? {},
    tags: fields.tags ?? d.tags ?? [],
    notes: fields.notes ?? d.notes ?? null,
    group: fields.group ?? d.group ?? null,
    jobType: fields.jobType ?? d.jobType ?? null,
    username: settings.username,
    host: settings.host,
    sweepId: fields.sweepId ?? null,
    now: ctx.now() / 1000,
  });
  // In the creating transaction: a kill right after it still leaves a run whose owner is known.
  if (ctx.ownsRuns === true) {
    const live = ctx.liveness();
    store.sweeps.setOwner(run.key, { host: live.host, pid: live.pid, agentPid: live.pid }, ctx.now() / 1000);
  }
  return run;
}

/**
 * Finds an existing run by id: in the named project when `project` was given (input or
 * WANDB_PROJECT), else in any project as long as the id names one run.
 */
export function findRun(ctx: { readonly settings: Settings }, store: Store, id: string): RunRecord | undefined {
  const explicitProject = ctx.settings.projectGiven;
  const inProject = store.runs.get(ctx.settings.project, id);
  if (inProject || explicitProject) return inProject;
  const matches = store.runs.findById(id);
  if (matches.length > 1) {
    throw new SkillError('CONFLICT', `runId ${id} exists in several projects (${matches.map((m) => m.project).join(', ')}); name the project`, {
      details: { issues: [{ path: 'project', message: 'required: the run id is ambiguous' }] },
    });
  }
  return matches[0];
}

/** The run id a call names and the field that named it: runId, runConfig.id, else WANDB_RUN_ID. */
export function namedRunId(ctx: RunCall): { id: string; field: string } | undefined {
  const { input, settings } = ctx;
  if (input.runId !== undefined) return { id: input.runId, field: 'runId' };
  if (input.runConfig?.id !== undefined) return { id: input.runConfig.id, field: 'runConfig.id' };
  if (settings.runDefaults.id !== undefined) return { id: settings.runDefaults.id, field: 'WANDB_RUN_ID' };
  return undefined;
}

/**
 * NOT_FOUND for a named run the store does not hold, naming the store: a call from another folder
 * (another store) or a mistyped id must not silently start a second run.
 */
export function runNotFound(ctx: RunCall, store: Store, named: { id: string; field: string }): SkillError {
  const where = ctx.settings.projectGiven ? `in project ${ctx.settings.project}` : 'in any project';
  // Only init and log create a missing run; telling a finish that already says "allow" to say it is no help.
  const resume = ctx.input.runConfig?.resume ?? ctx.settings.runDefaults.resume;
  const creates = ctx.input.action === 'log' || ctx.input.action === 'init';
  const how =
    creates && resume !== 'allow' && resume !== 'auto' && resume !== true
      ? ' (or pass runConfig.resume "allow" to create it)'
      : ` (${ctx.input.action} does not create runs)`;
  return new SkillError(
    'NOT_FOUND',
    `run ${named.id} (${named.field}) does not exist ${where} of the store ${store.path}; start it with init${how}, ` +
      'or, if it was started from another folder, point WANDB_DIR at that folder so both use one store',
    { details: { storePath: store.path, issues: [{ path: named.field, message: 'no such run in this store' }] } },
  );
}

/** The run a call names by id (see namedRunId), or NOT_FOUND naming the store. */
export function requireNamedRun(ctx: RunCall, store: Store, named: { id: string; field: string }): RunRecord {
  const run = findRun(ctx, store, named.id);
  if (run === undefined) throw runNotFound(ctx, store, named);
  return run;
}

/**
 * For actions that only refer to a run (sweep, report, artifact download/link/lineage): a run they
 * name must exist too, so a mistyped id or another folder's store is said, not ignored.
 */
export function checkNamedRun(ctx: RunCall, store: Store): void {
  const named = namedRunId(ctx);
  if (named !== undefined) requireNamedRun(ctx, store, named);
}

export function isActive(run: RunRecord): boolean {
  return run.state === 'running' || run.state === 'pending';
}
