import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { SkillError } from '../errors.js';
import { migrate } from './migrations.js';
import { ensureDir } from '../safe-dir.js';
import { copyTemplate, defaultTemplate } from './template.js';
import { createCheckpointer } from './checkpointer.js';

export interface StoreOptions {
  /** The SQLite file. */
  path: string;
  /** How long a writer waits for another process's lock before STORE_BUSY (ms). */
  busyTimeoutMs?: number;
  /** The variable or option that chose the store, named by errors (default `WANDB_DIR`). */
  field?: string;
  /**
   * The WAL size, in pages, at which a commit of this connection checkpoints it into the database
   * (SQLite's wal_autocheckpoint, default 1000). A process that leaves its connection open at exit
   * (the one-call CLI) sets it lower: the next process's SQLite reads the whole WAL to rebuild its
   * index (about 2 us a page), while a checkpoint costs a few ms once per that many pages.
   */
  walAutocheckpointPages?: number;
  /**
   * The empty store a new one is copied from (see template.ts): default the package's own, false to
   * make the schema in place (as the build does to make the template).
   */
  template?: string | false;
  /**
   * Whether a worker thread checkpoints the WAL every CHECKPOINT_EVERY commits (see
   * checkpointer.ts; default true). The worker starts at the first of them, so a short process never starts one.
   */
  backgroundCheckpoints?: boolean;
}

/** A file's device and inode numbers. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

export interface StoreDb {
  readonly path: string;
  /** The store file's identity when it was opened (the runner's stale check, the checkpoint worker's target). */
  readonly file: FileIdentity;
  readonly db: Db;
  /** Runs `fn` in one IMMEDIATE transaction (takes the write lock first, so read-then-write is safe across processes). */
  write<T>(fn: () => T): T;
  /**
   * A number that changes whenever another connection (another process, another open store) commits:
   * SQLite's data_version, read once per write transaction. Rows this connection keeps in memory
   * (run records, alert rules) are valid while it is unchanged and this connection's own writes keep
   * them current; a write of this connection that does not must call `forget()`.
   */
  otherCommits(): number;
  /** Checkpoints the background worker has done (see checkpointer.ts). */
  backgroundCheckpoints(): number;
  /** Registers what to drop on `forget()`: an in-memory copy of rows. */
  onForget(drop: () => void): void;
  /** Drops every in-memory copy of rows (also done when a write rolls back). */
  forget(): void;
  close(): void;
}

/**
 * The addon's path, given to better-sqlite3 directly: its default lookup (the `bindings` package)
 * probes a dozen paths, a measurable part of a one-call process's start-up. The folders Node's
 * lookup visits are tried first, as plain file checks (the resolver reads package.json files and
 * resolves symlinks: about half a millisecond of a one-call CLI process).
 */
export function nativeBinding(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ;) {
    if (basename(dir) !== 'node_modules' && existsSync(join(dir, 'node_modules', 'better-sqlite3'))) {
      const addon = join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
      if (existsSync(addon)) return addon;
      break; // the package Node would load has no Release build: let the resolver decide
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined; // an unusual install: let better-sqlite3 find it
  }
}

/** SQLite's default wal_autocheckpoint, and the one kept while a checkpoint worker runs (see checkpointer.ts). */
const SQLITE_WAL_PAGES = 1000;
const WORKER_WAL_PAGES = 4000;

/** The first bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Where the header's file format write and read versions are (1 each for a rollback journal, 2 each for WAL). */
const WAL_VERSION_AT = 18;
const HEADER_READ = WAL_VERSION_AT + 2;

function storeError(field: string, message: string, cause?: unknown): SkillError {
  return new SkillError('INVALID_INPUT', `${field}: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { issues: [{ path: field, message }] },
  });
}

/**
 * Refuses a store path that is not a database before SQLite touches it: opening a device, a folder
 * or someone's file would fail late (or create side files beside `/dev/null`), and a file that is
 * not a database is never overwritten. A missing or empty file becomes a new store. Says whether the
 * file is a database in WAL mode already (its header's format versions are 2), which is then not
 * set again: SQLite keeps the journal mode in the file, and setting it costs a one-call process a read.
 */
function checkStoreFile(path: string, field: string): { wal: boolean; missing?: true; id?: FileIdentity } {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch (cause) {
    // ENOTDIR (a part of the path is a file), EACCES, ELOOP: the caller's path, not our bug.
    throw storeError(field, `${path} cannot be used: ${(cause as { code?: string }).code ?? 'error'} (is a part of it a file, not a folder?)`, cause);
  }
  if (st === undefined) return { wal: false, missing: true };
  if (st.isDirectory()) throw storeError(field, `${path} is a folder; name the store's file (e.g. <folder>/skill-store.sqlite)`);
  if (!st.isFile()) throw storeError(field, `${path} is not a regular file (a device, FIFO or socket) and cannot hold the store`);
  const id = { dev: st.dev, ino: st.ino };
  if (st.size === 0) return { wal: false, id };
  const head = Buffer.alloc(HEADER_READ);
  let got: number;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    got = readSync(fd, head, 0, head.length, 0);
  } catch (cause) {
    throw storeError(field, `the store file ${path} cannot be read`, cause);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER))
    throw storeError(field, `${path} is not a SQLite database (and is left as it is); name another file for the store`);
  return { wal: got === HEADER_READ && head[WAL_VERSION_AT] === 2 && head[WAL_VERSION_AT + 1] === 2, id };
}

/** SQLite's answers meaning "this file is not a usable store" (rather than a bug of ours). */
function isBadFile(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT|CANTOPEN|IOERR|READONLY|PERM|AUTH)/.test(code);
}

/** Opens (creating if needed) the embedded store: WAL mode, so many processes may read and write at once. */
export function openStoreDb(options: StoreOptions): StoreDb {
  const field = options.field ?? 'WANDB_DIR';
  const checked = checkStoreFile(options.path, field);
  ensureDir(dirname(options.path), field);
  // A new store: a copy of the empty one the build made, when there is one.
  const template = checked.missing === true ? (options.template ?? defaultTemplate()) : false;
  const copied = template !== false && template !== undefined && copyTemplate(template, options.path);
  const wal = checked.wal || copied;
  let db: Db;
  const addon = nativeBinding();
  try {
    db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 15000, ...(addon !== undefined ? { nativeBinding: addon } : {}) });
  } catch (cause) {
    throw storeError(field, `cannot open the store at ${options.path}`, cause);
  }
  try {
    if (!wal) db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a killed process loses nothing that was committed; only a power loss can
    // drop the last transactions. FULL would fsync every log() call. (One exec: pragma() prepares
    // and steps a statement for each.)
    const pages = options.walAutocheckpointPages;
    db.exec(
      `PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON${pages === undefined ? '' : `; PRAGMA wal_autocheckpoint = ${Math.max(1, Math.floor(pages))}`}`,
    );
    migrate(db);
    // The template's migrations are stamped with the build's time: this store got them now.
    if (copied) db.prepare('UPDATE schema_migrations SET applied_at = ?').run(Date.now() / 1000);
  } catch (cause) {
    db.close();
    if (isBadFile(cause))
      throw storeError(field, `the store at ${options.path} cannot be used (${(cause as { code: string }).code}: ${(cause as Error).message})`, cause);
    throw cause;
  }
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const drops: Array<() => void> = [];
  const forget = () => {
    for (const drop of drops) drop();
  };
  // The file as checked before the open; a new store's (made by the template copy or SQLite) looked at now.
  let file = checked.id;
  if (file === undefined) {
    const st = statSync(options.path);
    file = { dev: st.dev, ino: st.ino };
  }
  // Inside a write: the data_version read once (the IMMEDIATE lock keeps other writers out until it ends).
  const txn = { open: false, version: -1 };
  // While the worker checkpoints, this connection's own autocheckpoint (which finishes what the
  // worker's left and lets the WAL start afresh) waits for WORKER_WAL_PAGES: 4 times fewer of its fsyncs.
  const checkpoints =
    options.backgroundCheckpoints === false
      ? undefined
      : createCheckpointer({ path: resolve(options.path), ...file, binding: addon }, (on) => {
          if (options.walAutocheckpointPages === undefined && db.open) db.exec(`PRAGMA wal_autocheckpoint = ${on ? WORKER_WAL_PAGES : SQLITE_WAL_PAGES}`);
        });
  return {
    path: options.path,
    file,
    db,
    write<T>(fn: () => T): T {
      begin.run();
      txn.open = true;
      txn.version = -1;
      try {
        const result = fn();
        txn.open = false;
        commit.run();
        checkpoints?.committed();
        return result;
      } catch (err) {
        txn.open = false;
        forget();
        if (db.inTransaction) rollback.run();
        throw err;
      }
    },
    otherCommits() {
      if (!txn.open) return dataVersion.get() as number;
      if (txn.version < 0) txn.version = dataVersion.get() as number;
      return txn.version;
    },
    onForget: (drop) => void drops.push(drop),
    forget,
    backgroundCheckpoints: () => checkpoints?.done() ?? 0,
    close() {
      // The worker's connection goes first, so this one is the last and its close removes the WAL.
      checkpoints?.close();
      if (db.open) db.close();
    },
  };
}
