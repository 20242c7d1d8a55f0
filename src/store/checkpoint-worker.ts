/**
 * The background checkpointer's thread (see checkpointer.ts): a connection of its own to one store
 * that copies the WAL into the database when told (a PASSIVE checkpoint, which never waits for or
 * blocks a writer), so the copy and its two fsyncs leave the thread that logs. It opens the store
 * only if the file is there (never creating one) and is still the file its owner opened (another
 * file renamed over it must not get the owner's WAL), looks again before every checkpoint, and
 * never writes a row.
 */
import { statSync } from 'node:fs';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { CLOSING, DONE, FAILED, OPEN, QUEUED, READY, type CheckpointerData } from './checkpoint-state.js';

/** Answers the owner's ticks with checkpoints until it says close. */
function serve(port: MessagePort, { path, dev, ino, binding, state }: CheckpointerData): void {
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
  /** Whether the path still names the owner's file. */
  const same = (): boolean => {
    const st = statSync(path, { throwIfNoEntry: false });
    return st !== undefined && st.dev === dev && st.ino === ino;
  };
  const checkpoint = (): void => {
    // Open only while the store's owner is not closing (it waits for OPEN to drop before closing its own).
    Atomics.store(state, OPEN, 1);
    if (Atomics.load(state, CLOSING) === 1) {
      close();
      return;
    }
    try {
      if (!same()) throw new Error('the store file is gone or another file');
      db ??= new Database(path, { fileMustExist: true, timeout: 0, ...(binding !== undefined ? { nativeBinding: binding } : {}) });
      // Opened by path: still the owner's file (else its WAL would be read as this one's)?
      if (!same()) throw new Error('the store file was replaced');
      db.pragma('wal_checkpoint(PASSIVE)');
      Atomics.add(state, DONE, 1);
    } catch {
      // The file gone, replaced by another, or unreadable: stop; the owner's own checkpoints go on.
      Atomics.store(state, FAILED, 1);
      close();
    }
  };
  Atomics.store(state, READY, 1);
  port.on('message', (m: 'tick' | 'close') => {
    if (m === 'tick' && Atomics.load(state, FAILED) === 0) checkpoint();
    Atomics.store(state, QUEUED, 0);
    // An owner waiting for a slow checkpoint (see checkpointer.ts) goes on.
    Atomics.notify(state, QUEUED);
    if (m === 'close' || Atomics.load(state, FAILED) === 1) {
      close();
      // Nothing else holds the thread: it ends.
      port.close();
    }
  });
}

if (parentPort === null) throw new Error('checkpoint-worker.js runs as a worker thread');
serve(parentPort, workerData as CheckpointerData);
