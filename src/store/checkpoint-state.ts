/** The state a store's owner and its checkpoint worker share (see checkpointer.ts): slots of an Int32Array. */

/** A tick was sent and is not done yet. */
export const QUEUED = 0;
/** The worker's connection is open (or about to be). */
export const OPEN = 1;
/** The owner is closing: the worker opens nothing more. */
export const CLOSING = 2;
/** Checkpoints the worker has done. */
export const DONE = 3;
/** The worker gave up (the file gone or unreadable). */
export const FAILED = 4;
/** The worker has started (its start-up, 35-70 ms, is not a slow checkpoint). */
export const READY = 5;
export const SLOTS = 6;

export interface CheckpointerData {
  /** The store's file (absolute), and its device and inode when the owner opened it: the worker checkpoints that file only. */
  path: string;
  dev: number;
  ino: number;
  /** better-sqlite3's addon (see db.ts nativeBinding). */
  binding: string | undefined;
  state: Int32Array;
}
