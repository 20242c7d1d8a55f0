import type { Database } from 'better-sqlite3';

/**
 * The store's schema, one entry per version (PRAGMA user_version). Entries are only ever appended:
 * later issues add their tables as new migrations.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs, their committed history rows, and the pending (uncommitted) row kept on the run.
  `
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
  CREATE TABLE history (
    run_key  INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    step     INTEGER NOT NULL,
    row      TEXT NOT NULL,
    PRIMARY KEY (run_key, seq)
  );
  `,
];

/** Brings a store up to the newest schema; safe when several processes open a new store at once. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current >= MIGRATIONS.length) return;
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] as string);
    }
    if (version < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
