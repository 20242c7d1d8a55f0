/**
 * A worker thread that reads long run histories into report series, so a report over many long runs
 * uses the second core (reading and extracting a million rows is most of a big report's time).
 * It opens the store read-only on its own connection: SQLite's WAL lets it read beside the caller.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openHistoryReader } from '../../store/index.js';
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
  const store = openHistoryReader(job.storePath, job.nativeBinding);
  try {
    const reader = createHistoryReader(store.history, job.options);
    return { ok: true, histories: job.runKeys.map((k) => [k, reader.read(k, job.metrics, job.xAxis)]) };
  } finally {
    store.close();
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
