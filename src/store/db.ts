import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { SkillError } from '../errors.js';
import { migrate } from './migrations.js';

export interface StoreOptions {
  /** The SQLite file. */
  path: string;
  /** How long a writer waits for another process's lock before STORE_BUSY (ms). */
  busyTimeoutMs?: number;
}

export interface StoreDb {
  readonly path: string;
  readonly db: Db;
  /** Runs `fn` in one IMMEDIATE transaction (takes the write lock first, so read-then-write is safe across processes). */
  write<T>(fn: () => T): T;
  close(): void;
}

/**
 * The addon's path, given to better-sqlite3 directly: its default lookup (the `bindings` package)
 * probes a dozen paths, a measurable part of a one-call process's start-up.
 */
export function nativeBinding(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined; // an unusual install: let better-sqlite3 find it
  }
}

/** Opens (creating if needed) the embedded store: WAL mode, so many processes may read and write at once. */
export function openStoreDb(options: StoreOptions): StoreDb {
  try {
    mkdirSync(dirname(options.path), { recursive: true });
  } catch (cause) {
    throw new SkillError('INVALID_INPUT', `cannot create the store's folder ${dirname(options.path)}`, {
      cause,
      details: { issues: [{ path: 'WANDB_DIR', message: 'the folder for the store cannot be created' }] },
    });
  }
  let db: Db;
  try {
    const addon = nativeBinding();
    db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 15000, ...(addon !== undefined ? { nativeBinding: addon } : {}) });
  } catch (cause) {
    throw new SkillError('INVALID_INPUT', `cannot open the store at ${options.path}`, {
      cause,
      details: { issues: [{ path: 'WANDB_DIR', message: 'the store file cannot be opened' }] },
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a killed process loses nothing that was committed; only a power loss can
    // drop the last transactions. FULL would fsync every log() call.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (cause) {
    db.close();
    throw cause;
  }
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  return {
    path: options.path,
    db,
    write<T>(fn: () => T): T {
      begin.run();
      try {
        const result = fn();
        commit.run();
        return result;
      } catch (err) {
        if (db.inTransaction) rollback.run();
        throw err;
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}
