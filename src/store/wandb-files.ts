import type { StoreDb } from './db.js';

/**
 * The few statements importing and exporting W&B's offline run files need beyond the runs and
 * history tables: replacing a run's content in place, its start time, and the list of its files.
 */
export interface WandbFilesTable {
  /** Removes a run's history rows, alerts, files list and sync cursor (before its content is replaced). */
  clearRunContent(runKey: number): void;
  /** Sets when the run started (W&B's start time), which `insert` takes from the clock. */
  setCreatedAt(runKey: number, createdAt: number): void;
  /** Every file recorded for the run (run-relative name, local path), uploaded or not. */
  runFiles(runKey: number): Array<{ name: string; path: string }>;
}

export function createWandbFilesTable(store: StoreDb): WandbFilesTable {
  const { db } = store;
  const delHistory = db.prepare('DELETE FROM history WHERE run_key = ?');
  const delFiles = db.prepare('DELETE FROM run_files WHERE run_key = ?');
  const delSync = db.prepare('DELETE FROM run_sync WHERE run_key = ?');
  const delAlerts = db.prepare('DELETE FROM alerts WHERE run_key = ?');
  const created = db.prepare('UPDATE runs SET created_at = ? WHERE key = ?');
  const files = db.prepare('SELECT name, path FROM run_files WHERE run_key = ? ORDER BY name');
  return {
    clearRunContent(runKey) {
      delHistory.run(runKey);
      delFiles.run(runKey);
      delSync.run(runKey);
      delAlerts.run(runKey);
    },
    setCreatedAt(runKey, createdAt) {
      created.run(createdAt, runKey);
    },
    runFiles: (runKey) => files.all(runKey) as Array<{ name: string; path: string }>,
  };
}

/** The keys of every run in the store, oldest first (export with no run named). */
export function allRunKeys(store: StoreDb): number[] {
  return (store.db.prepare('SELECT key FROM runs ORDER BY created_at, key').all() as Array<{ key: number }>).map((r) => r.key);
}
