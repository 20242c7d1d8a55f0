import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../paths.js';
import type { HistoryJob, HistoryResult } from './history-worker.js';
import type { RunHistory } from './history.js';

/** The compiled worker (shipped in dist/src), found from the package root so the bundled CLI finds it too. */
function workerPath(): string | undefined {
  try {
    const p = join(packageRoot(import.meta.url), 'dist', 'src', 'actions', 'report', 'history-worker.js');
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

function addonPath(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined;
  }
}

/**
 * Reads some runs' histories in a worker thread while the caller reads the others. Resolves to
 * undefined when no worker can be started (the caller then reads them itself).
 */
export function readInWorker(job: Omit<HistoryJob, 'nativeBinding'>): Promise<Map<number, RunHistory> | undefined> {
  const path = workerPath();
  if (path === undefined || job.runKeys.length === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      // No inherited node flags: `--input-type` or a loader given to the caller's process stops a worker from starting.
      worker = new Worker(path, { execArgv: [], workerData: { ...job, nativeBinding: addonPath() } satisfies HistoryJob });
    } catch {
      resolve(undefined);
      return;
    }
    worker.once('message', (r: HistoryResult) => resolve(r.ok ? new Map(r.histories) : undefined));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}
