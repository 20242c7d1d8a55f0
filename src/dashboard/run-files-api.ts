/**
 * A run page's overview from its files folder: the files it logged (regular files only, never
 * through a symlink, at most 500), W&B's `wandb-metadata.json` facts when present (program, args,
 * git commit, host, os), and the tail of its console output (`output.log`) when it recorded one.
 */
import { closeSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

const MAX_FILES = 500;
/** Names in natural order (sample_2 before sample_10, as W&B's file browser lists them), the same on every machine. */
const byName = new Intl.Collator('en', { numeric: true }).compare;
const CONSOLE_TAIL = 64 * 1024;

export interface RunFilesInfo {
  files: Array<{ path: string; size: number }>;
  truncated: boolean;
  metadata: Record<string, unknown> | null;
  console: { text: string; bytes: number; truncated: boolean } | null;
}

function tail(path: string, max: number): { text: string; bytes: number; truncated: boolean } | null {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const fd = openSync(path, 'r');
  try {
    const n = Math.min(max, st.size);
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, st.size - n);
    return { text: buf.toString('utf8'), bytes: st.size, truncated: st.size > n };
  } finally {
    closeSync(fd);
  }
}

/** The overview of the run whose files live in `root` (an absent folder: no files). */
export function runFilesInfo(root: string): RunFilesInfo {
  const files: Array<{ path: string; size: number }> = [];
  let truncated = false;
  const walk = (dir: string, rel: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort(byName);
    } catch {
      return;
    }
    for (const name of names) {
      if (files.length >= MAX_FILES) {
        truncated = true;
        return;
      }
      const abs = join(dir, name);
      const st = lstatSync(abs);
      if (st.isDirectory() && depth < 8) walk(abs, `${rel}${name}/`, depth + 1);
      else if (st.isFile()) files.push({ path: rel + name, size: st.size });
    }
  };
  walk(root, '', 0);
  let metadata: Record<string, unknown> | null = null;
  const meta = tail(join(root, 'wandb-metadata.json'), 256 * 1024);
  if (meta && !meta.truncated) {
    try {
      const v = JSON.parse(meta.text) as unknown;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) metadata = v as Record<string, unknown>;
    } catch {
      metadata = null;
    }
  }
  return { files, truncated, metadata, console: tail(join(root, 'output.log'), CONSOLE_TAIL) };
}
