/**
 * A hashing worker thread of store-pool.ts: stores the files it is sent, one at a time, through one
 * reused 1 MiB buffer (its write mode learned across them), and answers each with its digest or its error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createStoreThread, storeFileSync } from './store-file.js';
import { type WorkerReply, type WorkerRequest, failureOf } from './store-pool.js';
import type { WriteModeOptions } from './write-mode.js';

const port = parentPort;
if (port === null) throw new Error('store-worker.js runs as a worker thread');
const thread = createStoreThread(workerData as WriteModeOptions);

port.on('message', (req: WorkerRequest) => {
  const onBytes = req.progress ? (n: number): void => port.postMessage({ id: req.id, bytes: n } satisfies WorkerReply) : undefined;
  let reply: WorkerReply;
  try {
    reply = { id: req.id, result: storeFileSync(req.job, thread, onBytes) };
  } catch (err) {
    reply = { id: req.id, error: failureOf(err) };
  }
  port.postMessage(reply);
});
