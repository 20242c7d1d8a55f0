import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';

/** Custom dashboard panels: a Vega-Lite spec drawn over a run's history on every run page of a project. */
export const PANEL_MIGRATIONS: readonly Migration[] = [
  {
    name: '070-panels',
    sql: `
  CREATE TABLE panels (
    key         INTEGER PRIMARY KEY,
    project     TEXT NOT NULL,
    name        TEXT NOT NULL,
    spec        TEXT NOT NULL,
    created_at  REAL NOT NULL,
    UNIQUE (project, name)
  );`,
  },
];

/** A saved panel; `spec` is the Vega-Lite specification as the user gave it (without data). */
export interface Panel {
  project: string;
  name: string;
  spec: Record<string, unknown>;
  createdAt: number;
}

export interface PanelsTable {
  /** The project's panels, oldest first. */
  list(project: string): Panel[];
  /** Saves a panel; a panel of the same name in the project is replaced (keeping its place). */
  save(panel: Panel): Panel;
  /** Deletes the project's panel of that name; false when there was none. */
  remove(project: string, name: string): boolean;
}

interface PanelRow {
  project: string;
  name: string;
  spec: string;
  created_at: number;
}

/** Prepared statements over the `panels` table. */
export function createPanelsTable(store: StoreDb): PanelsTable {
  const { db } = store;
  const list = db.prepare('SELECT project, name, spec, created_at FROM panels WHERE project = ? ORDER BY key');
  const upsert = db.prepare(`INSERT INTO panels (project, name, spec, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (project, name) DO UPDATE SET spec = excluded.spec, created_at = excluded.created_at`);
  const del = db.prepare('DELETE FROM panels WHERE project = ? AND name = ?');
  return {
    list: (project) =>
      (list.all(project) as PanelRow[]).map((r) => ({
        project: r.project,
        name: r.name,
        spec: JSON.parse(r.spec) as Record<string, unknown>,
        createdAt: r.created_at,
      })),
    save(panel) {
      store.write(() => upsert.run(panel.project, panel.name, JSON.stringify(panel.spec), panel.createdAt));
      return panel;
    },
    remove: (project, name) => store.write(() => del.run(project, name).changes > 0),
  };
}
