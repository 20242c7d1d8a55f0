/**
 * Collecting the files of a file or directory for an artifact, never holding a whole file in
 * memory. Every entry must stay inside the walked root: a `..` in the input path that leaves
 * `root`, or a symbolic link resolving outside the directory, is refused with INVALID_INPUT
 * naming `artifactConfig.path` (configurable). Links that stay inside are followed once.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { SkillError, invalidInput } from '../errors.js';
import { type FileHashes, comparePaths, hashFile } from './digest.js';
import { assertEntryPath, isInside } from './entry-path.js';
import { mapLimit } from '../concurrency.js';

export interface WalkOptions {
  /** When given, the input path is resolved against it and must stay inside it. */
  root?: string;
  /** Entry path (single file) or entry prefix (directory) inside the artifact; W&B's `name`. */
  name?: string;
  /** `details.issues[].path` for refusals (default `artifactConfig.path`). */
  issuePath?: string;
  /**
   * Why an entry (its real path and stat; the walk's real start) is left out, or undefined to keep
   * it: the tool's own store and data folders. A start that is itself left out is refused.
   */
  skip?: (realPath: string, info: Stats, startReal: string) => string | undefined;
  /** Told of each entry left out by `skip`. */
  onSkip?: (entryPath: string, reason: string) => void;
}

export interface WalkEntry {
  /** Path inside the artifact, `/`-separated. */
  path: string;
  absPath: string;
  size: number;
}

export interface CollectProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface CollectOptions extends WalkOptions {
  onProgress?: (p: CollectProgress) => void;
}

export type CollectedFile = WalkEntry & FileHashes;

function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}

async function resolveStart(path: string, opts: WalkOptions, issue: string): Promise<{ real: string; realRoot: string | undefined }> {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) throw invalidInput(issue, 'path must be a non-empty string');
  const abs = resolve(opts.root ?? process.cwd(), path);
  let realRoot: string | undefined;
  if (opts.root !== undefined) {
    realRoot = await realpath(resolve(opts.root)).catch((err: unknown) => {
      throw new SkillError('INTERNAL', `artifact root ${opts.root ?? ''} is not readable (${errnoOf(err)})`, { cause: err });
    });
    if (!isInside(resolve(opts.root), abs)) throw invalidInput(issue, `path "${path}" leaves the allowed directory`);
  }
  const real = await realpath(abs).catch((err: unknown) => {
    throw invalidInput(issue, `cannot read ${path} (${errnoOf(err)})`);
  });
  if (realRoot !== undefined && !isInside(realRoot, real)) {
    throw invalidInput(issue, `path "${path}" leads outside the allowed directory through a symbolic link`);
  }
  return { real, realRoot };
}

/** Yields the regular files under `path` (or `path` itself), sorted by entry path. */
export async function* walkFiles(path: string, opts: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const issue = opts.issuePath ?? 'artifactConfig.path';
  const { real } = await resolveStart(path, opts, issue);
  const top = await stat(real);
  if (opts.name !== undefined) assertEntryPath(opts.name, issue);
  if (top.isFile()) {
    const why = opts.skip?.(real, top, real);
    if (why !== undefined) throw invalidInput(issue, `${path} is ${why}; it is never put in an artifact`);
    yield { path: opts.name ?? basename(resolve(path)), absPath: real, size: top.size };
    return;
  }
  if (!top.isDirectory()) throw invalidInput(issue, `${path} is neither a file nor a directory`);
  const visited = new Set<string>([real]);
  yield* walkDir(real, real, opts.name === undefined ? '' : `${opts.name}/`, issue, visited, opts);
}

async function* walkDir(rootReal: string, dir: string, prefix: string, issue: string, visited: Set<string>, opts: WalkOptions): AsyncGenerator<WalkEntry> {
  const names = (await readdir(dir)).sort(comparePaths);
  // A folder's entries are looked at 64 at a time (the thread pool overlaps them; a bound keeps a
  // folder of millions of files from holding millions of pending calls), then walked in order.
  const infos = await mapLimit(names, 64, (name) => lstat(join(dir, name)).catch((err: unknown) => err as Error));
  for (const [i, name] of names.entries()) {
    const abs = join(dir, name);
    const entryPath = `${prefix}${name}`;
    let info = infos[i] as Stats | Error;
    if (info instanceof Error) throw invalidInput(issue, `cannot read entry "${entryPath}" (${errnoOf(info)})`);
    let target = abs;
    if (info.isSymbolicLink()) {
      target = await realpath(abs).catch((err: unknown) => {
        throw invalidInput(issue, `entry "${entryPath}" is a broken symbolic link (${errnoOf(err)})`);
      });
      if (!isInside(rootReal, target)) {
        throw invalidInput(issue, `entry "${entryPath}" is a symbolic link leading outside the directory`);
      }
      info = await stat(target);
    }
    const why = opts.skip?.(target, info, rootReal);
    if (why !== undefined) {
      opts.onSkip?.(entryPath, why);
      continue;
    }
    if (info.isDirectory()) {
      if (visited.has(target)) continue; // a link back to a directory already walked
      visited.add(target);
      yield* walkDir(rootReal, target, `${entryPath}/`, issue, visited, opts);
    } else if (info.isFile()) {
      assertEntryPath(entryPath, issue);
      yield { path: entryPath, absPath: target, size: info.size };
    } else {
      throw invalidInput(issue, `entry "${entryPath}" is not a regular file (socket, FIFO or device)`);
    }
  }
}

/** Walks `path`, then hashes every file as a stream, reporting progress after each chunk. */
export async function collectFiles(path: string, opts: CollectOptions = {}): Promise<CollectedFile[]> {
  const entries: WalkEntry[] = [];
  for await (const e of walkFiles(path, opts)) entries.push(e);
  const progress: CollectProgress = {
    filesDone: 0,
    filesTotal: entries.length,
    bytesDone: 0,
    bytesTotal: entries.reduce((n, e) => n + e.size, 0),
  };
  const out: CollectedFile[] = [];
  for (const e of entries) {
    const hashes = await hashFile(e.absPath, (n) => {
      progress.bytesDone += n;
      opts.onProgress?.({ ...progress });
    });
    out.push({ ...e, ...hashes });
    progress.filesDone += 1;
    opts.onProgress?.({ ...progress });
  }
  return out;
}
