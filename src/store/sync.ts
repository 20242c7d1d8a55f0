import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';
import { liveHistoryCount } from './run-live.js';

/**
 * Replication cursors: what of each run the W&B server has already acknowledged. History line N of
 * the store is line `line_offset + N` of the run's wandb-history.jsonl on the server, so a retry
 * re-sends the same offsets and the server never sees a line twice or a gap.
 */
export const SYNC_MIGRATIONS: readonly Migration[] = [
  {
    name: '002-run-sync',
    sql: `
  CREATE TABLE run_sync (
    run_key        INTEGER PRIMARY KEY REFERENCES runs (key) ON DELETE CASCADE,
    base_url       TEXT NOT NULL,
    storage_id     TEXT,
    entity         TEXT,
    line_offset    INTEGER NOT NULL DEFAULT 0,
    history_sent   INTEGER NOT NULL DEFAULT 0,
    meta_hash      TEXT,
    summary_hash   TEXT,
    files_sent     INTEGER NOT NULL DEFAULT 0,
    complete_sent  INTEGER NOT NULL DEFAULT 0,
    stop_requested INTEGER NOT NULL DEFAULT 0,
    lease_until    REAL NOT NULL DEFAULT 0,
    lease_owner    TEXT,
    last_error     TEXT,
    last_attempt   REAL
  );`,
  },
  {
    // Run files (logged media) waiting to be uploaded to the W&B server.
    name: '003-run-files',
    sql: `
  CREATE TABLE run_files (
    run_key   INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    path      TEXT NOT NULL,
    uploaded  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_key, name)
  );`,
  },
];

export interface RunFilesTable {
  /** Records a file of the run (run-relative name, local path) for upload; idempotent. */
  add(runKey: number, name: string, path: string): void;
  pending(runKey: number, limit: number): Array<{ name: string; path: string }>;
  markUploaded(runKey: number, names: readonly string[]): void;
}

export function createRunFilesTable(store: StoreDb): RunFilesTable {
  const add = store.db.prepare('INSERT OR IGNORE INTO run_files (run_key, name, path) VALUES (?, ?, ?)');
  const pending = store.db.prepare('SELECT name, path FROM run_files WHERE run_key = ? AND uploaded = 0 ORDER BY name LIMIT ?');
  const mark = store.db.prepare('UPDATE run_files SET uploaded = 1 WHERE run_key = ? AND name = ?');
  return {
    add: (runKey, name, path) => {
      add.run(runKey, name, path);
    },
    pending: (runKey, limit) => pending.all(runKey, limit) as Array<{ name: string; path: string }>,
    markUploaded: (runKey, names) => {
      for (const n of names) mark.run(runKey, n);
    },
  };
}

export interface SyncRow {
  runKey: number;
  baseUrl: string;
  storageId: string | null;
  entity: string | null;
  lineOffset: number;
  historySent: number;
  metaHash: string | null;
  summaryHash: string | null;
  filesSent: boolean;
  completeSent: boolean;
  stopRequested: boolean;
  leaseUntil: number;
  leaseOwner: string | null;
  lastError: string | null;
}

interface Raw {
  run_key: number;
  base_url: string;
  storage_id: string | null;
  entity: string | null;
  line_offset: number;
  history_sent: number;
  meta_hash: string | null;
  summary_hash: string | null;
  files_sent: number;
  complete_sent: number;
  stop_requested: number;
  lease_until: number;
  lease_owner: string | null;
  last_error: string | null;
}

const toRow = (r: Raw): SyncRow => ({
  runKey: r.run_key,
  baseUrl: r.base_url,
  storageId: r.storage_id,
  entity: r.entity,
  lineOffset: r.line_offset,
  historySent: r.history_sent,
  metaHash: r.meta_hash,
  summaryHash: r.summary_hash,
  filesSent: r.files_sent === 1,
  completeSent: r.complete_sent === 1,
  stopRequested: r.stop_requested === 1,
  leaseUntil: r.lease_until,
  leaseOwner: r.lease_owner,
  lastError: r.last_error,
});

export type SyncPatch = Partial<Omit<SyncRow, 'runKey'>>;

const COLUMNS: Record<keyof SyncPatch, string> = {
  baseUrl: 'base_url',
  storageId: 'storage_id',
  entity: 'entity',
  lineOffset: 'line_offset',
  historySent: 'history_sent',
  metaHash: 'meta_hash',
  summaryHash: 'summary_hash',
  filesSent: 'files_sent',
  completeSent: 'complete_sent',
  stopRequested: 'stop_requested',
  leaseUntil: 'lease_until',
  leaseOwner: 'lease_owner',
  lastError: 'last_error',
};

export interface SyncTable {
  get(runKey: number): SyncRow | undefined;
  /** Creates the row if missing (the run is to be replicated to `baseUrl`). */
  ensure(runKey: number, baseUrl: string): SyncRow;
  update(runKey: number, patch: SyncPatch): void;
  /** Takes the run's replication lease unless another writer holds an unexpired one. */
  tryLease(runKey: number, owner: string, nowMs: number, ttlMs: number): boolean;
  release(runKey: number, owner: string): void;
  /** Keys of runs with anything not yet on the server (all runs without a sync row count). */
  unsentRunKeys(): number[];
}

export function createSyncTable(store: StoreDb): SyncTable {
  const { db } = store;
  const get = db.prepare('SELECT * FROM run_sync WHERE run_key = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO run_sync (run_key, base_url) VALUES (?, ?)');
  const lease = db.prepare(
    'UPDATE run_sync SET lease_until = @until, lease_owner = @owner WHERE run_key = @key AND (lease_until < @now OR lease_owner = @owner)',
  );
  const release = db.prepare('UPDATE run_sync SET lease_until = 0, lease_owner = NULL WHERE run_key = ? AND lease_owner = ?');
  const unsent = db.prepare(`SELECT r.key FROM runs r LEFT JOIN run_sync s ON s.run_key = r.key
    WHERE s.run_key IS NULL OR s.storage_id IS NULL OR s.history_sent < ${liveHistoryCount('r')}
      OR (r.state NOT IN ('running', 'pending') AND s.complete_sent = 0) ORDER BY r.created_at, r.key`);
  const updates = new Map<string, ReturnType<typeof db.prepare>>();
  return {
    get: (runKey) => {
      const r = get.get(runKey) as Raw | undefined;
      return r === undefined ? undefined : toRow(r);
    },
    ensure(runKey, baseUrl) {
      insert.run(runKey, baseUrl);
      return toRow(get.get(runKey) as Raw);
    },
    update(runKey, patch) {
      const keys = Object.keys(patch).filter((k) => patch[k as keyof SyncPatch] !== undefined) as Array<keyof SyncPatch>;
      if (keys.length === 0) return;
      const sig = keys.join(',');
      let stmt = updates.get(sig);
      if (stmt === undefined) {
        stmt = db.prepare(`UPDATE run_sync SET ${keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ')} WHERE run_key = @runKey`);
        updates.set(sig, stmt);
      }
      const params: Record<string, unknown> = { runKey };
      for (const k of keys) {
        const v = patch[k];
        params[k] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      }
      stmt.run(params);
    },
    tryLease: (runKey, owner, nowMs, ttlMs) => lease.run({ key: runKey, owner, now: nowMs, until: nowMs + ttlMs }).changes === 1,
    release: (runKey, owner) => {
      release.run(runKey, owner);
    },
    unsentRunKeys: () => (unsent.all() as Array<{ key: number }>).map((r) => r.key),
  };
}
