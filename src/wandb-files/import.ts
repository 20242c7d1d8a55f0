/**
 * `wandb-skill import`: W&B's offline run files (`.wandb` transaction logs, written by the official
 * SDK) into the store, one transaction per run, with their media copied into the run's files folder.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { SkillError, toErrorPayload } from '../errors.js';
import type { SkillOptions } from '../skill.js';
import type { Settings } from '../settings.js';
import { openSession } from '../runner/session.js';
import { stringifyExtended } from '../json/extended-json.js';
import { runFilesDir } from '../runs/paths.js';
import type { AlertLevel } from '../store/alerts.js';
import { randomUUID } from 'node:crypto';
import type { RunRecord, RunState, Store } from '../store/index.js';
import { NoRunRecordError, parseRunFile, type ParsedRun } from './parse-run.js';

export interface WandbImportOptions extends SkillOptions {
  /** Replace a stored run of the same id whose content differs (else it is a CONFLICT). */
  replace?: boolean;
  /** Import into this project instead of the one the run record names. */
  project?: string;
}

export interface ImportedRun {
  /** The `.wandb` file. */
  path: string;
  runId?: string;
  project?: string;
  /** imported (new), unchanged (already in the store as is), replaced, conflict, failed. */
  status: 'imported' | 'unchanged' | 'replaced' | 'conflict' | 'failed';
  historyRows?: number;
  files?: number;
  missingFiles?: string[];
  /** Where reading stopped before the end of the file (damage or an unknown record); what came before was imported. */
  stopped?: { offset: number; record: number; reason: string };
  error?: { code: string; message: string };
}

export interface WandbImportResult {
  imported: ImportedRun[];
}

/** The `.wandb` files under a path: the file itself, the ones in a run folder, or in the run folders of a `wandb/` folder. */
export function findWandbFiles(path: string): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  const direct = readdirSync(path)
    .filter((n) => n.endsWith('.wandb'))
    .sort()
    .map((n) => join(path, n));
  if (direct.length > 0) return direct;
  const out: string[] = [];
  for (const sub of readdirSync(path, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const n of readdirSync(join(path, sub))
      .filter((x) => x.endsWith('.wandb'))
      .sort())
      out.push(join(path, sub, n));
  }
  return out;
}

interface Target {
  state: RunState;
  exitCode: number | null;
  finishedAt: number | null;
  runtime: number;
  step: number;
}

function targetOf(p: ParsedRun): Target {
  const last = p.rows.lastStep();
  const wandb = p.summary['_wandb'] as { runtime?: unknown } | undefined;
  const runtime = p.exit && p.exit.runtime > 0 ? p.exit.runtime : typeof wandb?.runtime === 'number' ? wandb.runtime : Math.max(0, p.lastTime - p.startTime);
  // No exit record: the process ended without finishing (W&B's sync marks such a run failed).
  const state: RunState = p.exit === null ? 'crashed' : p.exit.code === 0 ? 'finished' : 'failed';
  return { state, exitCode: p.exit?.code ?? null, finishedAt: p.exit ? p.lastTime : null, runtime, step: last === undefined ? 0 : last + 1 };
}

/** True when the stored run already holds exactly what the file says. */
function sameContent(store: Store, run: RunRecord, p: ParsedRun, t: Target): boolean {
  const meta =
    run.displayName === p.displayName &&
    run.notes === p.notes &&
    run.group === p.group &&
    run.jobType === p.jobType &&
    run.entity === p.entity &&
    run.state === t.state &&
    run.exitCode === t.exitCode &&
    run.historyCount === p.rows.length &&
    JSON.stringify(run.tags) === JSON.stringify(p.tags) &&
    stringifyExtended(run.config) === stringifyExtended(p.config) &&
    stringifyExtended(run.summary) === stringifyExtended(p.summary);
  if (!meta) return false;
  const alerts = store.alerts
    .forRun(run.key)
    .filter((a) => !a.suppressed)
    .map((a) => [a.title, a.text, a.level, a.waitDuration]);
  if (JSON.stringify(alerts) !== JSON.stringify(p.alerts.map((a) => [a.title, a.text, a.level, a.waitDuration]))) return false;
  const batch = 5000;
  for (let from = 0; from < p.rows.length; from += batch) {
    const stored = store.history.lines(run.key, from, batch);
    for (let i = 0; i < stored.length; i++) {
      if (from + i >= p.rows.length || stored[i]?.step !== p.rows.stepAt(from + i) || stored[i]?.line !== p.rows.lineAt(from + i)) return false;
    }
  }
  return true;
}

function writeRun(store: Store, p: ParsedRun, t: Target, project: string, existing: RunRecord | undefined, files: Array<{ name: string; path: string }>): void {
  const wf = store.wandbFiles;
  let run = existing;
  const meta = {
    displayName: p.displayName,
    config: p.config,
    tags: p.tags,
    notes: p.notes,
    group: p.group,
    jobType: p.jobType,
    entity: p.entity,
    state: t.state,
    runtimeBase: t.runtime,
    segmentStart: p.startTime,
    finishedAt: t.finishedAt,
    exitCode: t.exitCode,
    now: p.lastTime,
  };
  if (run === undefined) {
    run = store.runs.insert({
      project,
      id: p.runId,
      entity: p.entity,
      displayName: p.displayName,
      state: t.state,
      config: p.config,
      tags: p.tags,
      notes: p.notes,
      group: p.group,
      jobType: p.jobType,
      username: null,
      host: p.host,
      sweepId: null,
      now: p.startTime,
    });
  } else {
    wf.clearRunContent(run.key);
    wf.setCreatedAt(run.key, p.startTime);
    store.summaries.delete(run.key);
  }
  store.runs.saveMeta(run.key, meta);
  const key = run.key;
  wf.appendHistory(key, 0, p.rows);
  store.runs.saveProgress(key, {
    state: t.state,
    step: t.step,
    historyCount: p.rows.length,
    summary: { value: p.summary, seq: p.rows.length },
    pendingRow: null,
    heartbeatAt: p.lastTime,
    finishedAt: t.finishedAt,
    exitCode: t.exitCode,
  });
  const alerts = store.alerts;
  for (const a of p.alerts) {
    const level = (['INFO', 'WARN', 'ERROR'].includes(a.level) ? a.level : 'INFO') as AlertLevel;
    alerts.insert({
      id: randomUUID(),
      runKey: key,
      title: a.title,
      text: a.text,
      level,
      waitDuration: a.waitDuration,
      suppressed: false,
      ruleId: null,
      metric: null,
      value: null,
      step: a.step,
      createdAt: a.createdAt,
    });
  }
  const table = store.runFiles;
  for (const f of files) table.add(key, f.name, f.path);
}

/** A run-relative file name that stays inside the files folder (no absolute path, no `..`, no glob). */
function safeRel(name: string): boolean {
  if (isAbsolute(name) || /[*?[\\\0]/.test(name)) return false;
  return name.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

function importOne(store: Store, dir: string, file: string, opts: Pick<WandbImportOptions, 'project' | 'replace'>): ImportedRun {
  const out: ImportedRun = { path: file, status: 'failed' };
  const parsed = parseRunFile(readFileSync(file));
  const project = opts.project ?? (parsed.project || 'uncategorized');
  Object.assign(out, { runId: parsed.runId, project, historyRows: parsed.rows.length });
  if (parsed.stopped) out.stopped = parsed.stopped;
  const t = targetOf(parsed);
  const existing = store.runs.get(project, parsed.runId);
  if (existing !== undefined && sameContent(store, existing, parsed, t)) return { ...out, status: 'unchanged', files: 0 };
  if (existing !== undefined && opts.replace !== true) {
    return {
      ...out,
      status: 'conflict',
      error: { code: 'CONFLICT', message: `run ${project}/${parsed.runId} exists with other content; import with replace (--replace) to overwrite it` },
    };
  }
  // Files first (content-named, so copying again is harmless), then the run in one transaction.
  const srcDir = join(dirname(file), 'files');
  const destDir = runFilesDir(dir, project, parsed.runId);
  const copied: Array<{ name: string; path: string }> = [];
  const missing: string[] = [];
  for (const name of parsed.files) {
    const src = join(srcDir, ...name.split('/'));
    if (!safeRel(name) || !existsSync(src) || !statSync(src).isFile()) {
      missing.push(name);
      continue;
    }
    const dest = join(destDir, ...name.split('/'));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(src, dest);
    copied.push({ name, path: dest });
  }
  store.write(() => {
    const now = store.runs.get(project, parsed.runId);
    if (now !== undefined && existing === undefined && opts.replace !== true) {
      throw new SkillError('CONFLICT', `run ${project}/${parsed.runId} appeared while importing`);
    }
    writeRun(store, parsed, t, project, now, copied);
  });
  return { ...out, status: existing === undefined ? 'imported' : 'replaced', files: copied.length, ...(missing.length > 0 ? { missingFiles: missing } : {}) };
}

/** Imports W&B offline runs from files or folders; each run on its own, so one bad file spoils no other. */
export async function importWandbRuns(paths: readonly string[], options: WandbImportOptions = {}): Promise<WandbImportResult> {
  const session = openSession(options, { mode: 'offline' }, 'import');
  try {
    return importWandbRunsInto(session.store, session.scope.settings, paths, options);
  } finally {
    session.close();
  }
}

/** Imports into an open store: relative paths resolve from `settings.cwd`, run files go under `settings.dir`. */
export function importWandbRunsInto(
  store: Store,
  settings: Pick<Settings, 'cwd' | 'dir'>,
  paths: readonly string[],
  options: Pick<WandbImportOptions, 'project' | 'replace'> = {},
): WandbImportResult {
  const imported: ImportedRun[] = [];
  for (const p of paths) {
    const abs = resolve(settings.cwd, p);
    let files: string[];
    try {
      files = findWandbFiles(abs);
    } catch (err) {
      imported.push({ path: abs, status: 'failed', error: { code: 'NOT_FOUND', message: `cannot read ${abs}: ${(err as Error).message}` } });
      continue;
    }
    if (files.length === 0) imported.push({ path: abs, status: 'failed', error: { code: 'NOT_FOUND', message: `no .wandb file in ${abs}` } });
    for (const f of files) {
      try {
        imported.push(importOne(store, settings.dir, f, options));
      } catch (err) {
        // What the file's own bytes caused (no run record, a record protobuf or JSON cannot
        // decode) is the caller's INVALID_INPUT; anything else keeps its code (our bugs stay INTERNAL).
        const e = isFileFault(err) ? { code: 'INVALID_INPUT' as const, message: `${f}: ${(err as Error).message}` } : toErrorPayload(err);
        imported.push({ path: f, status: 'failed', error: { code: e.code, message: e.message } });
      }
    }
  }
  return { imported };
}

function isFileFault(err: unknown): boolean {
  return !(err instanceof SkillError) && (err instanceof NoRunRecordError || err instanceof SyntaxError || err instanceof RangeError);
}
