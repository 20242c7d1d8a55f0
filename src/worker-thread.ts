/**
 * Starting this package's own worker threads (the report's history reader, the artifact hashing
 * pool): finding their compiled module, and starting them clean.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { packageRoot } from './paths.js';

/**
 * The compiled module `dist/src/<...segments>` of this package, found from the package root so
 * the bundled CLI finds it too; undefined when it is not there (e.g. running from sources).
 */
export function compiledModule(...segments: string[]): string | undefined {
  try {
    const p = join(packageRoot(import.meta.url), 'dist', 'src', ...segments);
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a worker on `path` with no inherited node flags: `--input-type` or a loader given to the caller's process would stop it from starting. */
export function startWorker(path: string, workerData: unknown): Worker {
  // Loaded when a worker starts, not with this module: node:worker_threads loads node:stream, which a
  // one-call CLI log (whose store may start a checkpoint worker after many commits) never needs.
  const { Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');
  return new WorkerThread(path, { execArgv: [], workerData });
}
