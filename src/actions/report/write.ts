/**
 * Where a report goes and writing it: `reportConfig.outputPath` (relative to the W&B dir), else
 * `<dir>/wandb/reports/<slug>-<UTC time>.<ext>`. Markdown's charts and images go in a folder beside
 * the .md file named after it, so reports sharing a folder never share assets.
 */
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { invalidInput } from '../../errors.js';
import type { ReportFile, ReportFormat } from '../../report/index.js';

export const EXTENSIONS: Record<ReportFormat, string> = { html: 'html', markdown: 'md', json: 'json' };

/** `My Report: v2!` -> `my-report-v2`. */
export function slugify(title: string): string {
  const s = title.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
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
export function reportPath(opts: { dir: string; outputPath?: string | undefined; title: string; format: ReportFormat; nowMs: number }): string {
  if (opts.outputPath !== undefined) {
    const raw = opts.outputPath;
    const p = resolve(opts.dir, raw);
    const kind = exists(p);
    if (kind === 'dir' || raw.endsWith('/') || raw.endsWith(sep)) throw invalidInput('reportConfig.outputPath', `${p} is a directory; give a file path`);
    if (kind === 'other') throw invalidInput('reportConfig.outputPath', `${p} is not a regular file`);
    if (exists(dirname(p)) !== 'dir') throw invalidInput('reportConfig.outputPath', `the folder ${dirname(p)} does not exist`);
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

/** Writes atomically (temp file + rename), so a reader never sees half a report. */
function writeAtomic(p: string, content: string | Uint8Array): void {
  const tmp = `${p}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, p);
}

/** Writes the report and the files beside it; returns the paths of those files. */
export function writeReport(path: string, content: string, files: readonly ReportFile[]): string[] {
  const root = dirname(path);
  const written: string[] = [];
  for (const f of files) {
    const target = resolve(root, f.name);
    const rel = relative(root, target);
    // Names come from the renderer, but a path that climbs out is never written.
    if (rel.startsWith('..') || resolve(root, rel) !== target) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeAtomic(target, f.content);
    written.push(target);
  }
  writeAtomic(path, content);
  return written;
}
