/**
 * The background checkpointer's thread (see checkpointer.ts): a connection of its own to one store
 * that copies the WAL into the database when told (a PASSIVE checkpoint, which never waits for or
 * blocks a writer), so the copy and its two fsyncs leave the thread that logs. It opens the store
 * only if the file is there (never creating one) and never writes a row.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { CLOSING, DONE, FAILED, OPEN, QUEUED, type CheckpointerData } from './checkpoint-state.js';

/** Answers the owner's ticks with checkpoints until it says close. */
function serve(port: MessagePort, { path, binding, state }: CheckpointerData): void {
  let db: Db | undefined;
  const close = (): void => {
    try {
      db?.close();
    } catch {
      // Closing only lets the connection go; nothing to report.
    }
    db = undefined;
    Atomics.store(state, OPEN, 0);
    Atomics.notify(state, OPEN);
  };
  const checkpoint = (): void => {
    // Open only while the store's owner is not closing (it waits for OPEN to drop before closing its own).
    Atomics.store(state, OPEN, 1);
    if (Atomics.load(state, CLOSING) === 1) {
      close();
      return;
    }
    try {
      db ??= new Database(path, { fileMustExist: true, timeout: 0, ...(binding !== undefined ? { nativeBinding: binding } : {}) });
      db.pragma('wal_checkpoint(PASSIVE)');
      Atomics.add(state, DONE, 1);
    } catch {
      // The file gone, replaced by another, or unreadable: stop; the owner's own checkpoints go on.
      Atomics.store(state, FAILED, 1);
      close();
    }
  };
  port.on('message', (m: 'tick' | 'close') => {
    if (m === 'close') {
      close();
      port.close();
      return;
    }
    if (Atomics.load(state, FAILED) === 0) checkpoint();
    Atomics.store(state, QUEUED, 0);
  });
}

if (parentPort === null) throw new Error('checkpoint-worker.js runs as a worker thread');
serve(parentPort, workerData as CheckpointerData);
