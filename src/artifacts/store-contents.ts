/**
 * Streaming files into the content store: each distinct content stored once, hashed on several
 * threads for big folders. Shared by a user's artifact log and the artifacts the tracker logs itself.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ContentStore } from './cas.js';
import type { ManifestEntry } from './digest.js';
import type { WalkEntry } from './walk.js';
import { StoreFilesError, storeAll, storeFailureError } from './store-pool.js';
import { STALE_TEMP_MS, removeStaleTemps } from './cas.js';
import { tempPrefix } from './temp-name.js';
import type { StoreFileResult } from './store-file.js';
import type { Liveness } from '../liveness.js';

/** Progress of a log: bytes read (hashed, and copied when new) over the bytes of all files. */
export interface LogProgress {
  phase: 'hash';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
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
  const jobs = files.map((f) => ({
    src: f.absPath,
    root: cas.root,
    hashFirst: previous.get(f.path) === f.size,
    ...(prefix !== undefined ? { tempPrefix: prefix } : {}),
  }));
  let results;
  try {
    results = await storeAll(jobs, bytesTotal, {
      onStart: (n) => (threads = n),
      ...(onProgress === undefined
        ? {}
        : {
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
