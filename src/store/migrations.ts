import type { Database } from 'better-sqlite3';
import { SYNC_MIGRATIONS } from './sync.js';
import { SWEEP_MIGRATIONS } from './sweeps.js';
import { ARTIFACT_MIGRATIONS } from './artifacts.js';
import { ALERT_MIGRATIONS } from './alerts.js';
import { REPORT_MIGRATIONS } from './reports.js';
import { PANEL_MIGRATIONS } from './panels.js';
import { NOTICE_MIGRATIONS } from './notices.js';
import { RUN_MIRROR_MIGRATIONS } from './run-mirrors.js';
import { HISTORY_BUCKET_MIGRATIONS } from './history-buckets.js';
import { RUN_SEGMENT_MIGRATIONS } from './run-segments.js';
import { HISTORY_LAYOUT_MIGRATIONS } from './history-layout.js';

/** One schema change, applied once per store and recorded by name. */
export interface Migration {
  name: string;
  sql: string;
  /** When given and false for this store, the change is recorded as applied without running `sql` (it is there already). */
  needed?: (db: Database) => boolean;
}

/** Runs, their committed history rows, and the pending (uncommitted) row kept on the run. */
export const RUN_MIGRATIONS: readonly Migration[] = [
  {
    name: '001-runs',
    sql: `
  CREATE TABLE runs (
    key            INTEGER PRIMARY KEY,
    project        TEXT NOT NULL,
    id             TEXT NOT NULL,
    entity         TEXT,
    display_name   TEXT NOT NULL,
    state          TEXT NOT NULL,
    config         TEXT NOT NULL DEFAULT '{}',
    summary        TEXT NOT NULL DEFAULT '{}',
    summary_seq    INTEGER NOT NULL DEFAULT 0,
    tags           TEXT NOT NULL DEFAULT '[]',
    notes          TEXT,
    group_name     TEXT,
    job_type       TEXT,
    username       TEXT,
    host           TEXT,
    sweep_id       TEXT,
    created_at     REAL NOT NULL,
    updated_at     REAL NOT NULL,
    heartbeat_at   REAL NOT NULL,
    finished_at    REAL,
    exit_code      INTEGER,
    step           INTEGER NOT NULL DEFAULT 0,
    history_count  INTEGER NOT NULL DEFAULT 0,
    runtime_base   REAL NOT NULL DEFAULT 0,
    segment_start  REAL NOT NULL,
    pending_row    TEXT,
    UNIQUE (project, id)
  );
  CREATE INDEX runs_by_id ON runs (id);
  CREATE INDEX runs_by_name ON runs (project, display_name, state);
  CREATE INDEX runs_by_created ON runs (project, created_at);
  -- WITHOUT ROWID: one b-tree keyed by (run, line) instead of a table plus an index, so a log()
  -- writes one page less; rows are small (a large one spills to overflow pages as usual).
  CREATE TABLE history (
    run_key  INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    step     INTEGER NOT NULL,
    row      TEXT NOT NULL,
    PRIMARY KEY (run_key, seq)
  ) WITHOUT ROWID;`,
  },
  {
    // Stores made before 001 said WITHOUT ROWID have history as a table plus its key's index (two
    // b-trees a log() writes): rebuilt once, in key order, in the migration's one transaction.
    name: '011-history-without-rowid',
    needed: (db) =>
      !/WITHOUT\s+ROWID/i.test((db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'history'").pluck().get() as string) ?? ''),
    sql: `
  CREATE TABLE history_rebuilt (
    run_key  INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    step     INTEGER NOT NULL,
    row      TEXT NOT NULL,
    PRIMARY KEY (run_key, seq)
  ) WITHOUT ROWID;
  INSERT INTO history_rebuilt (run_key, seq, step, row) SELECT run_key, seq, step, row FROM history ORDER BY run_key, seq;
  DROP TABLE history;
  ALTER TABLE history_rebuilt RENAME TO history;`,
  },
];

/**
 * Every migration, in order. Each feature keeps its tables' SQL in its own store file and adds its
 * list here; names are never reused or edited once released.
 */
export const MIGRATIONS: readonly Migration[] = [
  ...RUN_MIGRATIONS,
  ...SYNC_MIGRATIONS,
  ...SWEEP_MIGRATIONS,
  ...ARTIFACT_MIGRATIONS,
  ...ALERT_MIGRATIONS,
  ...REPORT_MIGRATIONS,
  ...PANEL_MIGRATIONS,
  ...NOTICE_MIGRATIONS,
  ...RUN_MIRROR_MIGRATIONS,
  ...HISTORY_BUCKET_MIGRATIONS,
  ...RUN_SEGMENT_MIGRATIONS,
  ...HISTORY_LAYOUT_MIGRATIONS,
];

/** Brings a store up to date; safe when several processes open a new store at once. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)');
  const applied = () => new Set((db.prepare('SELECT name FROM schema_migrations').all() as Array<{ name: string }>).map((r) => r.name));
  // Read once: every open of a current store (each one-call CLI process) takes this path.
  const before = applied();
  if (migrations.every((m) => before.has(m.name))) return;
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const done = applied();
    const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      if (m.needed === undefined || m.needed(db)) db.exec(m.sql);
      record.run(m.name, Date.now() / 1000);
    }
  }).immediate();
}
