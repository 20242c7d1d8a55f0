/**
 * Turning `artifactConfig.path` and `artifactConfig.references` into manifest entries, with every
 * refusal (escapes, unreadable files, duplicate entry paths) raised before a byte is stored, then
 * streaming the files into the content store (each distinct content stored once).
 */
import type { Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { invalidInput } from '../../errors.js';
import {
  type ContentStore,
  type ManifestEntry,
  type WalkEntry,
  createReferenceEntries,
  walkFiles,
} from '../../artifacts/index.js';
import { StoreFilesError, storeAll, storeFailureError } from '../../artifacts/store-pool.js';
import { STALE_TEMP_MS, removeStaleTemps } from '../../artifacts/cas.js';
import { type ToolPaths, collectSkipReason } from '../../protected-paths.js';
import { tempPrefix } from '../../artifacts/temp-name.js';
import type { Liveness } from '../../liveness.js';
import type { Logger } from 'pino';
import type { StoreFileResult } from '../../artifacts/store-file.js';

/** Progress of a log: bytes read (hashed, and copied when new) over the bytes of all files. */
export interface LogProgress {
  phase: 'hash';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface PlannedFiles {
  files: WalkEntry[];
  references: Record<string, ManifestEntry>;
}

/** Most skipped entries a warning lists by name (the count is always given). */
const SKIPPED_NAMED = 10;

/**
 * Walks the path (relative paths inside `dir`) and resolves references; stores nothing. With `tool`,
 * the tool's own store files and data folders met in the walk are left out, and `warn` says which.
 */
export async function planEntries(
  dir: string,
  path: string | undefined,
  references: readonly string[] | undefined,
  guard: { tool?: ToolPaths; warn?: (message: string) => void } = {},
): Promise<PlannedFiles> {
  const files: WalkEntry[] = [];
  const skipped: string[] = [];
  const { tool } = guard;
  const skipOpts = tool === undefined ? {} : {
    skip: (real: string, info: Stats, start: string) => collectSkipReason(tool, real, info, start),
    onSkip: (entry: string, why: string) => skipped.push(`${entry} (${why})`),
  };
  if (path !== undefined) {
    if (isAbsolute(path)) {
      // An absolute path is the caller's explicit choice, but a `..` in it hides where it points.
      if (path.split(/[\\/]/).includes('..')) throw invalidInput('artifactConfig.path', 'an absolute path must not hold ".." segments');
      for await (const e of walkFiles(path, skipOpts)) files.push(e);
    } else {
      for await (const e of walkFiles(path, { root: dir, ...skipOpts })) files.push(e);
    }
  }
  if (skipped.length > 0) {
    const more = skipped.length > SKIPPED_NAMED ? ` and ${skipped.length - SKIPPED_NAMED} more` : '';
    guard.warn?.(`left out of the artifact ${skipped.length} entr${skipped.length === 1 ? 'y' : 'ies'} that are the tool's own store or data (never captured, so a later download cannot overwrite them): ${skipped.slice(0, SKIPPED_NAMED).join(', ')}${more}`);
  }
  const refs: Record<string, ManifestEntry> = {};
  const seen = new Set(files.map((f) => f.path));
  for (const [i, uri] of (references ?? []).entries()) {
    const issue = `artifactConfig.references[${i}]`;
    for (const [entryPath, entry] of Object.entries(await createReferenceEntries(uri, { issuePath: issue }))) {
      if (seen.has(entryPath)) throw invalidInput(issue, `entry path "${entryPath}" is already in the artifact`);
      seen.add(entryPath);
      refs[entryPath] = entry;
    }
  }
  return { files, references: refs };
}

/**
 * Puts every file into the content store and returns its manifest entries, hashing on several
 * threads for big folders (store-pool.ts). A file the previous version held with the same size is
 * probably unchanged: it is hashed first and copied only if its content is new, so a re-log costs
 * one read. Any other file is copied while it is hashed (one read, one write), then kept or dropped
 * by its digest.
 */
export async function storeFiles(
  cas: ContentStore,
  files: readonly WalkEntry[],
  previous: ReadonlyMap<string, number>,
  opts: { onProgress?: (p: LogProgress) => void; logger?: Logger; liveness?: Liveness } = {},
): Promise<Record<string, ManifestEntry>> {
  const { onProgress, logger, liveness } = opts;
  // File ages are the file system's: judged by the real clock, never a caller's injected one.
  // A dead writer's copies (named by its pid) go at once; others after the age rule.
  const stale = await removeStaleTemps(cas.root, Date.now(), STALE_TEMP_MS, liveness);
  if (stale > 0) logger?.info({ removed: stale }, 'removed temporary copies left by a killed log');
  const started = performance.now();
  let threads = 0;
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  const p: LogProgress = { phase: 'hash', filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal };
  await mkdir(join(cas.root, 'tmp'), { recursive: true });
  const prefix = liveness === undefined ? undefined : tempPrefix(liveness);
  const jobs = files.map((f) => ({ src: f.absPath, root: cas.root, hashFirst: previous.get(f.path) === f.size, ...(prefix !== undefined ? { tempPrefix: prefix } : {}) }));
  let results;
  try {
    results = await storeAll(jobs, bytesTotal, {
      onStart: (n) => (threads = n),
      ...(onProgress === undefined ? {} : {
        onBytes: (n: number) => {
          p.bytesDone += n;
          onProgress({ ...p });
        },
        onFileDone: () => {
          p.filesDone += 1;
          onProgress({ ...p });
        },
      }),
    });
  } catch (err) {
    if (!(err instanceof StoreFilesError)) throw err;
    throw storeFailureError(err, (files[err.index] as WalkEntry).path);
  }
  logger?.debug({ files: files.length, bytes: bytesTotal, threads, ms: Math.round(performance.now() - started) }, 'artifact files stored');
  const contents: Record<string, ManifestEntry> = {};
  files.forEach((f, i) => {
    const r = results[i] as StoreFileResult;
    contents[f.path] = { digest: r.md5, size: r.size };
  });
  return contents;
}
