/**
 * Writing one imported run into the store (inside the caller's transaction), and what goes with it:
 * its files copied into the run's files folder and the entries the import answers for its files.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { runFilesDir } from '../runs/paths.js';
import type { AlertLevel } from '../store/alerts.js';
import { randomUUID } from 'node:crypto';
import type { RunMeta, RunRecord, RunState, Store } from '../store/index.js';
import type { ParsedRun } from './parse-run.js';
import type { MergedRun, SegmentFile } from './segments.js';
import type { Target } from './compare.js';

export interface ImportedRun {
  /** The `.wandb` file. */
  path: string;
  runId?: string;
  project?: string;
  /** imported (new), unchanged (already in the store as is), replaced, conflict, failed. */
  status: 'imported' | 'unchanged' | 'replaced' | 'conflict' | 'failed';
  historyRows?: number;
  /** When several files hold resume segments of one run: which one this is (they import as one run). */
  segment?: number;
  files?: number;
  missingFiles?: string[];
  /** Where reading stopped before the end of the file (damage or an unknown record); what came before was imported. */
  stopped?: { offset: number; record: number; reason: string };
  error?: { code: string; message: string };
}

/** The answer's entries for a run's files (as `failed`), and `done` to give them their outcome. */
export function entriesOf(
  group: readonly SegmentFile[],
  project: string,
  runId: string,
): (status: ImportedRun['status'], extra?: Partial<ImportedRun>) => ImportedRun[] {
  const entries: ImportedRun[] = group.map((g, i) => ({
    path: g.path,
    status: 'failed',
    runId,
    project,
    historyRows: g.parsed.rows.length,
    ...(group.length > 1 ? { segment: i + 1 } : {}),
    ...(g.parsed.stopped ? { stopped: g.parsed.stopped } : {}),
  }));
  return (status, extra = {}) => entries.map((e) => ({ ...e, status, ...extra }));
}

/** Copies the run's files (content-named, so copying again is harmless) into its files folder; names missing or unsafe are listed. */
export function copyFiles(
  dir: string,
  project: string,
  runId: string,
  files: MergedRun['files'],
): { copied: Array<{ name: string; path: string }>; missing: string[] } {
  const destDir = runFilesDir(dir, project, runId);
  const copied: Array<{ name: string; path: string }> = [];
  const missing: string[] = [];
  for (const { name, srcDir } of files) {
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
  return { copied, missing };
}

/**
 * Writes the run: new, replacing the stored one, or (`append`) continuing it with later segments
 * (its rows, alerts and files kept; `p` already holds its config and summary merged with theirs).
 */
export function writeRun(
  store: Store,
  p: MergedRun,
  t: Target,
  project: string,
  existing: RunRecord | undefined,
  files: Array<{ name: string; path: string }>,
  append: boolean,
): void {
  const wf = store.wandbFiles;
  let run = existing;
  const meta = metaOf(p, t);
  if (run === undefined) {
    run = insertRun(store, p, project, t.state);
  } else if (!append) {
    wf.clearRunContent(run.key);
    wf.setCreatedAt(run.key, p.startTime);
    store.summaries.delete(run.key);
  } else store.summaries.delete(run.key);
  store.runs.saveMeta(run.key, meta);
  const base = append && existing !== undefined ? existing.historyCount : 0;
  wf.appendHistory(run.key, base, p.rows);
  finishRun(store, run.key, p, t, base, files);
}

/** Inserts a new run: the fields that only an insert sets (project, id, host, start time) and the first values of the rest. */
export function insertRun(store: Store, p: Omit<ParsedRun, 'rows' | 'files'>, project: string, state: RunState): RunRecord {
  return store.runs.insert({
    project,
    id: p.runId,
    entity: p.entity,
    displayName: p.displayName,
    state,
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
}

/** The run's metadata as the import leaves it (it overwrites what the insert took, but the insert-only fields). */
export function metaOf(p: MergedRun, t: Target): RunMeta {
  return {
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
}

/** What follows the run's rows: its segments, progress and summary, alerts and files. */
export function finishRun(store: Store, key: number, p: MergedRun, t: Target, base: number, files: Array<{ name: string; path: string }>): void {
  for (const seg of p.segments) store.runSegments.add(key, seg);
  store.runs.saveProgress(key, {
    state: t.state,
    step: t.step,
    historyCount: base + p.rows.length,
    summary: { value: p.summary, seq: base + p.rows.length },
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
