import type { Worker } from 'node:worker_threads';
import { compiledModule, startWorker } from '../../worker-thread.js';
import { nativeBinding } from '../../store/index.js';
import type { HistoryJob, HistoryResult } from './history-worker.js';
import type { RunHistory } from './history.js';

/**
 * Reads some runs' histories in a worker thread while the caller reads the others. Resolves to
 * undefined when no worker can be started (the caller then reads them itself).
 */
export function readInWorker(job: Omit<HistoryJob, 'nativeBinding'>): Promise<Map<number, RunHistory> | undefined> {
  const path = compiledModule('actions', 'report', 'history-worker.js');
  if (path === undefined || job.runKeys.length === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = startWorker(path, { ...job, nativeBinding: nativeBinding() } satisfies HistoryJob);
    } catch {
      resolve(undefined);
      return;
    }
    worker.once('message', (r: HistoryResult) => resolve(r.ok ? new Map(r.histories) : undefined));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}
