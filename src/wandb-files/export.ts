/**
 * `wandb-skill export`: runs of the store as W&B's offline run folders
 * (`offline-run-<YYYYMMDD_HHMMSS>-<id>/run-<id>.wandb` plus `files/`), which W&B's `wandb sync`
 * uploads: one folder per resume segment (the store's run_segments; a run made before it is one).
 */
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import $protobuf from 'protobufjs/minimal.js';
import { SkillError } from '../errors.js';
import type { SkillOptions } from '../skill.js';
import type { Settings } from '../settings.js';
import { openSession } from '../runner/session.js';
import { stringifyExtended } from '../json/extended-json.js';
import { readSummary } from '../runs/lifecycle.js';
import { configToYaml, encodeConfig } from '../wandb/config-encoding.js';
import { wandbConfigForServer } from '../media/chart.js';
import type { RunRecord, Store } from '../store/index.js';
import type { SkillOutput } from '../contract/types.generated.js';
import { FrameWriter } from './framing.js';
import { W, itemsOf } from './records.js';
import { itemsOfLine } from './json-split.js';
import { encodeHistoryLine, newEncodeScratch } from './history-encode.js';

export interface WandbExportOptions extends SkillOptions {
  /** Only these run ids (default: every run, or every run of `project`). */
  runIds?: string[];
  project?: string;
  /** The folder the run folders go into (default `<dir>/wandb`, where W&B's SDK puts them). */
  out?: string;
}

/** One segment folder written (the output contract's `exported` entry: runId, project, folder, file, historyRows, files, bytes, segment, segments). */
export type ExportedRun = NonNullable<SkillOutput['exported']>[number];

export interface WandbExportResult {
  exported: ExportedRun[];
}

/** W&B's folder time stamp, `YYYYMMDD_HHMMSS` (in UTC here, so an export is the same wherever it runs). */
export function folderTime(sec: number): string {
  const d = new Date(sec * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** Files our own finish writes, which W&B's sync makes itself from the records. */
const GENERATED = new Set(['config.yaml', 'wandb-summary.json', 'wandb-metadata.json']);

function selectRuns(store: Store, opts: Pick<WandbExportOptions, 'runIds' | 'project'>): RunRecord[] {
  if (opts.runIds !== undefined && opts.runIds.length > 0) {
    const out: RunRecord[] = [];
    const missing: string[] = [];
    for (const id of opts.runIds) {
      const found = store.runs.findById(id).filter((r) => opts.project === undefined || r.project === opts.project);
      if (found.length === 0) missing.push(id);
      out.push(...found);
    }
    if (missing.length > 0) {
      throw new SkillError('NOT_FOUND', `no run ${missing.join(', ')} in the store`, {
        details: { issues: missing.map((id) => ({ path: 'runIds', message: `no run ${id}` })) },
      });
    }
    return out;
  }
  return store.wandbFiles
    .allRunKeys()
    .map((k) => store.runs.getByKey(k))
    .filter((r): r is RunRecord => r !== undefined && (opts.project === undefined || r.project === opts.project));
}

/** The exit record a run's state implies; none for a run that has not ended (sync then marks it failed). */
function exitOf(run: RunRecord): { exit_code: number; runtime: number } | undefined {
  const runtime = Math.floor(run.runtimeBase);
  if (run.state === 'finished') return { exit_code: run.exitCode ?? 0, runtime };
  if (run.state === 'failed' || run.state === 'killed') return { exit_code: run.exitCode ?? 1, runtime };
  return undefined;
}

/** A Timestamp for seconds since the epoch (its nanos stay below 1e9, which rounding may reach). */
function timestampOf(sec: number): { seconds: number; nanos: number } {
  const nanosTotal = Math.round((sec - Math.floor(sec)) * 1e9);
  return nanosTotal >= 1e9 ? { seconds: Math.floor(sec) + 1, nanos: nanosTotal - 1e9 } : { seconds: Math.floor(sec), nanos: nanosTotal };
}

/** One segment to write: the history rows [fromSeq, toSeq), its start, and how the segment before it ended. */
interface SegmentPlan {
  ord: number;
  fromSeq: number;
  toSeq: number;
  startedAt: number;
  endsAt: number;
  startingStep: number;
  runtimeBase: number;
  /** The exit record that ends it: the run's own for the last segment, the resume's record of it for the others. */
  exit: { exit_code: number; runtime: number } | undefined;
  last: boolean;
}

/** The run's segments: one from its start, one more per resume the store recorded (none before the table existed). */
function planSegments(store: Store, run: RunRecord): SegmentPlan[] {
  const resumes = store.runSegments.list(run.key);
  const starts = [{ fromSeq: 0, startedAt: run.createdAt, startingStep: 0, runtimeBase: 0 }, ...resumes];
  return starts.map((s, i) => {
    const next = resumes[i];
    const last = next === undefined;
    const ended = next === undefined || next.prevExitCode === null ? undefined : { exit_code: next.prevExitCode, runtime: Math.floor(next.runtimeBase) };
    return {
      ord: i + 1,
      fromSeq: s.fromSeq,
      toSeq: last ? run.historyCount : next.fromSeq,
      startedAt: s.startedAt,
      endsAt: last ? Number.POSITIVE_INFINITY : next.startedAt,
      startingStep: s.startingStep,
      runtimeBase: s.runtimeBase,
      exit: last ? exitOf(run) : ended,
      last,
    };
  });
}

function exportRun(store: Store, run: RunRecord, outRoot: string): ExportedRun[] {
  const plans = planSegments(store, run);
  // `_wandb` as our own sync sends it (chart panels without our spec); user keys unwrapped.
  const wandb = wandbConfigForServer(run.config) ?? {};
  const user = Object.fromEntries(Object.entries(run.config).filter(([k]) => k !== '_wandb'));
  const config = [{ key: '_wandb', value_json: stringifyExtended(wandb) }, ...itemsOf(user)];
  const alerts = store.alerts.forRun(run.key).filter((a) => !a.suppressed);
  const used = new Set<string>();
  const out: ExportedRun[] = [];
  for (const plan of plans) {
    // Folder names are by the second: a resume within the same second takes the next free one.
    let t = Math.floor(plan.startedAt);
    while (used.has(folderTime(t))) t++;
    used.add(folderTime(t));
    const folder = join(outRoot, `offline-run-${folderTime(t)}-${run.id}`);
    // An alert goes with the segment it was raised in (one from before the first start with the first).
    const segAlerts = alerts.filter((a) => a.createdAt < plan.endsAt && (plan.ord === 1 || a.createdAt >= plan.startedAt));
    const e = writeSegment(store, run, plan, folder, config, segAlerts, user, wandb);
    out.push({ ...e, segment: plan.ord, segments: plans.length });
  }
  return out;
}

function writeSegment(
  store: Store,
  run: RunRecord,
  plan: SegmentPlan,
  folder: string,
  config: Array<{ key: string; value_json: string }>,
  alerts: ReturnType<Store['alerts']['forRun']>,
  user: Record<string, unknown>,
  wandb: Record<string, unknown>,
): ExportedRun {
  const filesDir = join(folder, 'files');
  mkdirSync(filesDir, { recursive: true });
  const file = join(folder, `run-${run.id}.wandb`);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  const w = new FrameWriter();
  let num = 0;
  // One protobuf writer for every record: its buffer grows once to the largest record and is reused
  // (a fresh writer per record starts at 128 bytes and regrows), and each payload is framed straight
  // from it without a copy of its own.
  const pw = new $protobuf.Writer();
  const drain = (): void => {
    const piece = w.drain();
    if (piece !== undefined) bytes += writeSync(fd, piece);
  };
  const put = (rec: Record<string, unknown>): void => {
    W.Record.encode({ num: ++num, ...rec }, pw);
    w.append(pw.finish(true));
    pw.reset();
    if (w.buffered >= 1 << 20) drain();
  };
  try {
    const resumed = plan.ord > 1;
    put({
      run: {
        run_id: run.id,
        entity: run.entity ?? '',
        project: run.project,
        display_name: run.displayName,
        notes: run.notes ?? '',
        tags: run.tags,
        run_group: run.group ?? '',
        job_type: run.jobType ?? '',
        host: run.host ?? '',
        start_time: timestampOf(plan.startedAt),
        config: { update: config },
        // A resumed segment says so, with the step and runtime it continues from (W&B's RunRecord).
        ...(resumed ? { resumed: true, starting_step: plan.startingStep, runtime: Math.floor(plan.runtimeBase) } : {}),
      },
    });
    const batch = 5000;
    let rows = 0;
    const wf = store.wandbFiles;
    // History records written straight from the stored lines (the general encoder for the odd line).
    const scratch = newEncodeScratch();
    for (let from = plan.fromSeq; from < plan.toSeq; from += batch) {
      for (const [step, line] of wf.historyLines(run.key, from, Math.min(batch, plan.toSeq - from))) {
        const bytes = encodeHistoryLine(scratch, line, step, num + 1);
        if (bytes === undefined) put({ history: { item: itemsOfLine(line), step: { num: step } } });
        else {
          num++;
          w.append(bytes);
          if (w.buffered >= 1 << 20) drain();
        }
        rows++;
      }
    }
    // Alerts that were raised (not held back by their wait duration); W&B's wait_duration is in ms.
    for (const a of alerts) put({ alert: { title: a.title, text: a.text, level: a.level, wait_duration: Math.round(a.waitDuration * 1000) } });
    // The summary and files go with the last segment (the run as it is now).
    const summary = plan.last ? readSummary(store, run).value : undefined;
    if (summary !== undefined) put({ summary: { update: itemsOf(summary) } });
    // Media and tables: the run's recorded files, copied beside the log and named in a files record.
    const names: string[] = [];
    for (const f of plan.last ? store.wandbFiles.runFiles(run.key) : []) {
      if (GENERATED.has(f.name) || !existsSync(f.path)) continue;
      const dest = join(filesDir, ...f.name.split('/'));
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(f.path, dest);
      names.push(f.name);
    }
    if (names.length > 0) put({ files: { files: names.map((path) => ({ path, type: path.startsWith('media/') ? 2 : 0 })) } });
    if (plan.exit !== undefined) put({ exit: plan.exit });
    bytes += writeSync(fd, w.finish());
    closeSync(fd);
    renameSync(tmp, file);
    writeFileSync(join(filesDir, 'config.yaml'), configToYaml(encodeConfig(user, { wandb })));
    if (summary !== undefined) writeFileSync(join(filesDir, 'wandb-summary.json'), stringifyExtended(summary));
    return { runId: run.id, project: run.project, folder, file, historyRows: rows, files: names.length, bytes };
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Exports runs of the store as W&B offline run folders. */
export async function exportWandbRuns(options: WandbExportOptions = {}): Promise<WandbExportResult> {
  const session = openSession(options, { mode: 'offline' }, 'export');
  try {
    return exportWandbRunsFrom(session.store, session.scope.settings, options);
  } finally {
    session.close();
  }
}

/** Exports runs of an open store (`out` resolves from `settings.cwd`; default `<dir>/wandb`). */
export function exportWandbRunsFrom(
  store: Store,
  settings: Pick<Settings, 'cwd' | 'dir'>,
  options: Pick<WandbExportOptions, 'out' | 'runIds' | 'project'> = {},
): WandbExportResult {
  const outRoot = resolve(settings.cwd, options.out ?? join(settings.dir, 'wandb'));
  const runs = selectRuns(store, options);
  return { exported: runs.flatMap((r) => exportRun(store, r, outRoot)) };
}
