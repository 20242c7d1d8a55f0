/**
 * `wandb-skill export`: runs of the store as W&B's offline run folders
 * (`offline-run-<YYYYMMDD_HHMMSS>-<id>/run-<id>.wandb` plus `files/`), which W&B's `wandb sync`
 * uploads. The store keeps no resume segments, so each run is one segment (one `run` record).
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

/** One run written (the output contract's `exported` entry: runId, project, folder, file, historyRows, files, bytes). */
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

function exportRun(store: Store, run: RunRecord, outRoot: string): ExportedRun {
  const folder = join(outRoot, `offline-run-${folderTime(run.createdAt)}-${run.id}`);
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
    // A Timestamp's nanos must stay below 1e9 (rounding may reach it).
    const nanosTotal = Math.round((run.createdAt - Math.floor(run.createdAt)) * 1e9);
    const seconds = Math.floor(run.createdAt) + (nanosTotal >= 1e9 ? 1 : 0);
    const nanos = nanosTotal >= 1e9 ? nanosTotal - 1e9 : nanosTotal;
    // `_wandb` as our own sync sends it (chart panels without our spec); user keys unwrapped.
    const wandb = wandbConfigForServer(run.config) ?? {};
    const user = Object.fromEntries(Object.entries(run.config).filter(([k]) => k !== '_wandb'));
    const config = [{ key: '_wandb', value_json: stringifyExtended(wandb) }, ...itemsOf(user)];
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
        start_time: { seconds, nanos },
        config: { update: config },
      },
    });
    const batch = 5000;
    let rows = 0;
    const wf = store.wandbFiles;
    // History records written straight from the stored lines (the general encoder for the odd line).
    const scratch = newEncodeScratch();
    for (let from = 0; from < run.historyCount; from += batch) {
      for (const [step, line] of wf.historyLines(run.key, from, batch)) {
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
    for (const a of store.alerts.forRun(run.key)) {
      if (!a.suppressed) put({ alert: { title: a.title, text: a.text, level: a.level, wait_duration: Math.round(a.waitDuration * 1000) } });
    }
    const summary = readSummary(store, run).value;
    put({ summary: { update: itemsOf(summary) } });
    // Media and tables: the run's recorded files, copied beside the log and named in a files record.
    const names: string[] = [];
    for (const f of wf.runFiles(run.key)) {
      if (GENERATED.has(f.name) || !existsSync(f.path)) continue;
      const dest = join(filesDir, ...f.name.split('/'));
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(f.path, dest);
      names.push(f.name);
    }
    if (names.length > 0) put({ files: { files: names.map((path) => ({ path, type: path.startsWith('media/') ? 2 : 0 })) } });
    const exit = exitOf(run);
    if (exit !== undefined) put({ exit });
    bytes += writeSync(fd, w.finish());
    closeSync(fd);
    renameSync(tmp, file);
    writeFileSync(join(filesDir, 'config.yaml'), configToYaml(encodeConfig(user, { wandb })));
    writeFileSync(join(filesDir, 'wandb-summary.json'), stringifyExtended(summary));
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
  return { exported: runs.map((r) => exportRun(store, r, outRoot)) };
}
