/**
 * Where a report goes and writing it: `reportConfig.outputPath` (relative to the caller's working
 * directory, as artifact paths and the CLI's --output are: the W&B dir may be a work tree's root), else
 * `<dir>/wandb/reports/<slug>-<UTC time>.<ext>`. Markdown's charts and images go in a folder beside
 * the .md file named after it, so reports sharing a folder never share assets.
 */
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { SkillError, invalidInput } from '../../errors.js';
import { type ToolPaths, protectedReason } from '../../protected-paths.js';
import { isOurReport } from '../../report/marker.js';
import { callerWriteError, ensureDir, removeCreated } from '../../safe-dir.js';
import type { ReportFile, ReportFormat } from '../../report/index.js';
import { writeTemp } from '../../replace-file.js';

const FIELD = 'reportConfig.outputPath';

export const EXTENSIONS: Record<ReportFormat, string> = { html: 'html', markdown: 'md', json: 'json' };

/** `My Report: v2!` -> `my-report-v2`. */
export function slugify(title: string): string {
  const s = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s === '' ? 'report' : s;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function exists(p: string): 'file' | 'dir' | 'other' | undefined {
  try {
    const st = statSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return undefined;
  }
}

/** The report's file: checks a caller's outputPath, or picks a fresh default name. */
export function reportPath(opts: {
  dir: string;
  /** Where a relative outputPath starts (the caller's working directory). */
  cwd: string;
  outputPath?: string | undefined;
  title: string;
  format: ReportFormat;
  nowMs: number;
  /** Replace an existing file that is not one of our reports. */
  overwrite?: boolean | undefined;
  /** The tool's store and data folders, which a report never replaces. */
  tool: ToolPaths;
}): string {
  if (opts.outputPath !== undefined) {
    const raw = opts.outputPath;
    if (raw.includes('\0')) throw invalidInput(FIELD, 'must not contain NUL');
    const p = resolve(opts.cwd, raw);
    const kind = exists(p);
    if (kind === 'dir' || raw.endsWith('/') || raw.endsWith(sep)) throw invalidInput(FIELD, `${p} is a directory; give a file path`);
    if (kind === 'other') throw invalidInput(FIELD, `${p} is not a regular file`);
    if (exists(dirname(p)) !== 'dir') throw invalidInput(FIELD, `the folder ${dirname(p)} does not exist`);
    const why = protectedReason(opts.tool, p);
    if (why !== undefined) throw invalidInput(FIELD, `${p} is ${why}; a report never replaces it`);
    // Our own reports are replaced freely (the mark is explained in report/marker.ts); any other
    // file only when the call says so.
    if (kind === 'file' && opts.overwrite !== true && !isOurReport(p)) {
      throw new SkillError('CONFLICT', `${FIELD}: ${p} already exists and is not a report of this tool; set reportConfig.overwrite: true to replace it`, {
        details: { issues: [{ path: FIELD, message: `${p} exists` }], path: p },
      });
    }
    return p;
  }
  const folder = join(opts.dir, 'wandb', 'reports');
  mkdirSync(folder, { recursive: true });
  const base = `${slugify(opts.title)}-${stamp(opts.nowMs)}`;
  const ext = EXTENSIONS[opts.format];
  let p = join(folder, `${base}.${ext}`);
  for (let i = 2; exists(p) !== undefined; i++) p = join(folder, `${base}-${i}.${ext}`);
  return p;
}

/** The Markdown asset folder name for a report file (relative to it). */
export function assetDirFor(path: string): string {
  return `${basename(path, extname(path))}-assets`;
}

/**
 * Writes the report and the files beside it; returns the paths of those files. Everything is
 * written to temp files first and renamed into place only when all were written (a reader never
 * sees half a report), so a failed call leaves no partial files; the asset folders it made go too.
 */
export function writeReport(path: string, content: string, files: readonly ReportFile[], tool?: ToolPaths): string[] {
  const root = dirname(path);
  const staged: Array<{ tmp: string; target: string }> = [];
  const created: string[] = [];
  try {
    for (const f of files) {
      const target = resolve(root, f.name);
      const rel = relative(root, target);
      // Names come from the renderer, but a path that climbs out is never written.
      if (rel.startsWith('..') || resolve(root, rel) !== target) continue;
      const why = tool === undefined ? undefined : protectedReason(tool, target);
      if (why !== undefined) throw invalidInput(FIELD, `the report's file ${target} would be written onto ${why}`);
      created.push(...ensureDir(dirname(target), FIELD));
      staged.push({ tmp: writeTemp(target, f.content), target });
    }
    staged.push({ tmp: writeTemp(path, content), target: path });
    for (const s of staged) renameSync(s.tmp, s.target);
  } catch (err) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    removeCreated(created);
    throw callerWriteError(err, FIELD, path);
  }
  return staged.slice(0, -1).map((s) => s.target);
}
