/**
 * A worker thread that reads long run histories into report series, so a report over many long runs
 * uses the second core (reading and extracting a million rows is most of a big report's time).
 * It opens the store read-only on its own connection: SQLite's WAL lets it read beside the caller.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { StoreDb } from '../../store/db.js';
import type { Store } from '../../store/index.js';
import { createHistoryTable } from '../../store/history.js';
import { createHistoryReader, type HistoryReadOptions, type RunHistory } from './history.js';

export interface HistoryJob {
  storePath: string;
  nativeBinding?: string | undefined;
  runKeys: number[];
  metrics: string[];
  xAxis: string;
  options?: HistoryReadOptions | undefined;
}

export type HistoryResult = { ok: true; histories: Array<[number, RunHistory]> } | { ok: false; error: string };

function run(job: HistoryJob): HistoryResult {
  const db = new Database(job.storePath, { readonly: true, fileMustExist: true, ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}) });
  try {
    const storeDb = { path: job.storePath, db, write: () => { throw new Error('read-only'); }, close: () => db.close() } as unknown as StoreDb;
    const store = { db: storeDb, history: createHistoryTable(storeDb) } as unknown as Store;
    const reader = createHistoryReader(store, job.options);
    return { ok: true, histories: job.runKeys.map((k) => [k, reader.read(k, job.metrics, job.xAxis)]) };
  } finally {
    db.close();
  }
}

if (parentPort !== null) {
  let result: HistoryResult;
  try {
    result = run(workerData as HistoryJob);
  } catch (err) {
    result = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort.postMessage(result);
}
