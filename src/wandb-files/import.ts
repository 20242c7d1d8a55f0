/**
 * `wandb-skill import`: W&B's offline run files (`.wandb` transaction logs, written by the official
 * SDK) into the store, one transaction per run, with their media copied into the run's files folder.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { SkillError, toErrorPayload } from '../errors.js';
import type { SkillOptions } from '../skill.js';
import type { Settings } from '../settings.js';
import { openSession } from '../runner/session.js';
import type { RunRecord, Store } from '../store/index.js';
import { NoRunRecordError, parseRunFile } from './parse-run.js';
import { mergeSegments, type SegmentFile } from './segments.js';
import { against, targetOf } from './compare.js';
import { importStreaming } from './import-stream.js';
import { copyFiles, entriesOf, writeRun, type ImportedRun } from './write-run.js';

export interface WandbImportOptions extends SkillOptions {
  /** Replace a stored run of the same id whose content differs (else it is a CONFLICT). */
  replace?: boolean;
  /** Import into this project instead of the one the run record names. */
  project?: string;
}

export type { ImportedRun } from './write-run.js';

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

/** Imports one run's files (its resume segments, in start order) as one run: one transaction. */
function importGroup(store: Store, dir: string, group: readonly SegmentFile[], opts: Pick<WandbImportOptions, 'project' | 'replace'>): ImportedRun[] {
  const head = (group[0] as SegmentFile).parsed;
  const project = opts.project ?? (head.project || 'uncategorized');
  const runId = head.runId;
  const done = entriesOf(group, project, runId);
  const existing = store.runs.get(project, runId);
  let parts = group;
  let append = false;
  if (existing !== undefined) {
    const how = against(store, existing, group);
    if (how === 'unchanged') return done('unchanged', { files: 0 });
    if (how !== 'conflict') {
      parts = how.append;
      append = true;
    } else if (opts.replace !== true) {
      return done('conflict', {
        error: { code: 'CONFLICT', message: `run ${project}/${runId} exists with other content; import with replace (--replace) to overwrite it` },
      });
    }
  }
  const m = mergeSegments(parts, append ? (existing as RunRecord).historyCount : 0, append ? existing : undefined);
  const t = targetOf(m, append ? existing : undefined);
  // Files first (content-named, so copying again is harmless), then the run in one transaction.
  const { copied, missing } = copyFiles(dir, project, runId, m.files);
  store.write(() => {
    const now = store.runs.get(project, runId);
    if ((now === undefined) !== (existing === undefined) || (now !== undefined && now.historyCount !== existing?.historyCount)) {
      throw new SkillError('CONFLICT', `run ${project}/${runId} changed while importing`);
    }
    writeRun(store, m, t, project, now, copied, append);
  });
  const status = existing === undefined ? 'imported' : append ? 'imported' : 'replaced';
  return done(status, { files: copied.length, ...(missing.length > 0 ? { missingFiles: missing } : {}) });
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
  // Files named alike (`run-<id>.wandb`), under any of the paths, may be segments of one run: read together, imported as one.
  const byName = new Map<string, string[]>();
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
      const same = byName.get(basename(f)) ?? [];
      if (!same.includes(f)) same.push(f);
      byName.set(basename(f), same);
    }
  }
  for (const same of byName.values()) imported.push(...importFiles(store, settings.dir, same, options));
  return { imported };
}

/** Parses files of one name, then imports each run among them (grouped by project and id, segments in start order). */
function importFiles(store: Store, dir: string, files: readonly string[], options: Pick<WandbImportOptions, 'project' | 'replace'>): ImportedRun[] {
  const out: ImportedRun[] = [];
  const runs = new Map<string, SegmentFile[]>();
  const fail = (paths: readonly string[], err: unknown): void => {
    for (const f of paths) {
      // What the file's own bytes caused (no run record, a record protobuf or JSON cannot
      // decode) is the caller's INVALID_INPUT; anything else keeps its code (our bugs stay INTERNAL).
      const e = isFileFault(err) ? { code: 'INVALID_INPUT' as const, message: `${f}: ${(err as Error).message}` } : toErrorPayload(err);
      out.push({ path: f, status: 'failed', error: { code: e.code, message: e.message } });
    }
  };
  for (const f of files) {
    try {
      // A file alone of its name is one run: imported in one pass when it is new to the store.
      const streamed = files.length === 1 ? importStreaming(store, dir, f, options.project) : undefined;
      if (streamed !== undefined && 'imported' in streamed) {
        out.push(...streamed.imported);
        continue;
      }
      const parsed = streamed?.parsed ?? parseRunFile(readFileSync(f));
      const k = JSON.stringify([options.project ?? (parsed.project || 'uncategorized'), parsed.runId]);
      runs.set(k, [...(runs.get(k) ?? []), { path: f, parsed }]);
    } catch (err) {
      fail([f], err);
    }
  }
  for (const group of runs.values()) {
    group.sort((a, b) => a.parsed.startTime - b.parsed.startTime);
    try {
      out.push(...importGroup(store, dir, group, options));
    } catch (err) {
      fail(
        group.map((g) => g.path),
        err,
      );
    }
  }
  return out;
}

function isFileFault(err: unknown): boolean {
  return !(err instanceof SkillError) && (err instanceof NoRunRecordError || err instanceof SyntaxError || err instanceof RangeError);
}
