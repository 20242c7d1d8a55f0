/**
 * Checkpoints on a thread of their own. In WAL mode every commit appends to the -wal file, and once
 * it holds SQLite's wal_autocheckpoint pages (1000) the committing call copies them into the
 * database and fsyncs both files: a few ms, every few hundred log calls, on the caller's thread
 * (about a fifth of a tight log loop's time, measured with raw better-sqlite3). SQLite's docs
 * suggest running checkpoints on another thread; here a worker with its own connection runs a
 * PASSIVE checkpoint every CHECKPOINT_EVERY commits of the owner. A PASSIVE checkpoint never blocks a
 * writer, so the owner keeps its own autocheckpoint: it now finds most pages copied already, finishes
 * the rest and lets the next write start the WAL afresh, which only a connection that is not writing
 * meanwhile can make possible (so the WAL stays as small as before).
 *
 * The worker starts at the first tick (a process that commits less never starts it), is unref'd
 * (it never keeps a process alive), and `close()` waits for it to let its connection go, so the
 * owner's close is the store's last and removes the WAL as before. Without the compiled worker
 * module (running from sources) nothing starts and checkpoints stay where they were.
 *
 * While the worker's checkpoint runs it holds SQLite's checkpoint lock, so the owner's own
 * autocheckpoint finds it busy and the WAL grows by what the owner commits meanwhile. On a disk
 * whose fsync is slow (network storage, a busy HDD) that is no longer bounded by the page count:
 * when SLOW_TICKS ticks in a row find the last checkpoint still running (once the worker has started),
 * the committing call waits for it to end, as it would wait for SQLite's own checkpoint.
 */
import type { Worker } from 'node:worker_threads';
import { compiledModule, startWorker } from '../worker-thread.js';
import { CLOSING, FAILED, DONE, OPEN, QUEUED, READY, SLOTS, type CheckpointerData } from './checkpoint-state.js';

/** The owner ticks the worker once per this many commits. */
export const CHECKPOINT_EVERY = 128;
/** How long `close()` waits for the worker to close its connection (a checkpoint in flight finishes first). */
const CLOSE_WAIT_MS = 5000;
/** Ticks in a row that find the worker's last checkpoint still running before the owner waits for it (8 x 128 commits). */
export const SLOW_TICKS = 8;
/** How long the owner waits for a slow checkpoint before it takes the worker for stuck and lets it go. */
const SLOW_WAIT_MS = 10_000;

export interface Checkpointer {
  /** Called after each commit of the owner's connection. */
  committed(): void;
  /** Checkpoints the worker has run (0 when none started). */
  done(): number;
  /** Waits for the worker to close its connection, then stops it. */
  close(): void;
}

/** What the worker checkpoints: the store's file as the owner opened it (see CheckpointerData). */
export type CheckpointTarget = Pick<CheckpointerData, 'path' | 'dev' | 'ino' | 'binding'>;

/**
 * `active(on)` hears when the worker starts checkpointing (true) and when it stops for good (false):
 * the owner may then let its own autocheckpoint wait longer (see db.ts). `module`: the worker's
 * compiled module (default: found in dist at the first tick); `slowWaitMs`: see SLOW_WAIT_MS.
 */
export function createCheckpointer(
  target: CheckpointTarget,
  active: (on: boolean) => void = () => undefined,
  module?: string,
  slowWaitMs = SLOW_WAIT_MS,
): Checkpointer {
  const state = new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
  let worker: Worker | undefined;
  let commits = 0;
  let off = false;
  let slow = 0;
  const stop = (): void => {
    if (off) return;
    off = true;
    if (worker === undefined) return;
    // The worker lets its connection go and ends (its memory with it); close() still waits for that.
    worker.postMessage('close');
    active(false);
  };
  const start = (): Worker | undefined => {
    const file = module ?? compiledModule('store', 'checkpoint-worker.js');
    if (file === undefined) {
      off = true;
      return undefined;
    }
    try {
      const w = startWorker(file, { ...target, state } satisfies CheckpointerData);
      w.unref();
      // A worker that fails (it cannot load its addon, say) only ends background checkpoints.
      w.on('error', stop);
      active(true);
      return w;
    } catch {
      off = true;
      return undefined;
    }
  };
  return {
    committed() {
      if (++commits < CHECKPOINT_EVERY || off) return;
      commits = 0;
      if (Atomics.load(state, FAILED) === 1) {
        stop();
        return;
      }
      // One tick at a time: a checkpoint still running takes the next one's pages too. One running
      // for SLOW_TICKS ticks (counted once the worker has started: its 35-70 ms start-up is not a
      // slow disk) makes this call wait for it, as SQLite's own would; one that never ends lets the worker go.
      if (Atomics.load(state, QUEUED) === 1) {
        if (Atomics.load(state, READY) === 1 && ++slow >= SLOW_TICKS) {
          slow = 0;
          if (Atomics.wait(state, QUEUED, 1, slowWaitMs) === 'timed-out') stop();
        }
        return;
      }
      slow = 0;
      worker ??= start();
      if (worker === undefined) return;
      Atomics.store(state, QUEUED, 1);
      worker.postMessage('tick');
    },
    done: () => Atomics.load(state, DONE),
    close() {
      off = true;
      if (worker === undefined) return;
      Atomics.store(state, CLOSING, 1);
      worker.postMessage('close');
      // The worker checks CLOSING after marking OPEN, so it either never opens or is waited for here.
      if (Atomics.load(state, OPEN) === 1) Atomics.wait(state, OPEN, 1, CLOSE_WAIT_MS);
      void worker.terminate();
      worker = undefined;
    },
  };
}
