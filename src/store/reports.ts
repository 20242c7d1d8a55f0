import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';

/** Reports written by the report action, for the dashboard's reports page. */
export const REPORT_MIGRATIONS: readonly Migration[] = [
  {
    name: '401-reports',
    sql: `
  CREATE TABLE reports (
    id          TEXT PRIMARY KEY,
    project     TEXT NOT NULL,
    title       TEXT NOT NULL,
    format      TEXT NOT NULL,
    path        TEXT NOT NULL,
    url         TEXT,
    view_id     TEXT,
    sweep_id    TEXT,
    run_ids     TEXT NOT NULL,
    created_at  REAL NOT NULL
  );
  CREATE INDEX reports_by_project ON reports (project, created_at);`,
  },
];

export interface ReportRecord {
  id: string;
  project: string;
  title: string;
  format: 'html' | 'markdown' | 'json';
  /** Absolute path of the written file. */
  path: string;
  /** W&B URL when the report was also created online. */
  url: string | null;
  viewId: string | null;
  sweepId: string | null;
  runIds: string[];
  /** Unix seconds. */
  createdAt: number;
}

export interface ReportsTable {
  insert(r: ReportRecord): void;
  setOnline(id: string, url: string, viewId: string): void;
  /** Newest first. */
  list(project: string, limit: number): ReportRecord[];
  get(id: string): ReportRecord | undefined;
}

interface Row {
  id: string;
  project: string;
  title: string;
  format: string;
  path: string;
  url: string | null;
  view_id: string | null;
  sweep_id: string | null;
  run_ids: string;
  created_at: number;
}

const toRecord = (r: Row): ReportRecord => ({
  id: r.id,
  project: r.project,
  title: r.title,
  format: r.format as ReportRecord['format'],
  path: r.path,
  url: r.url,
  viewId: r.view_id,
  sweepId: r.sweep_id,
  runIds: JSON.parse(r.run_ids) as string[],
  createdAt: r.created_at,
});

/** Prepared statements over the `reports` table. */
export function createReportsTable(store: StoreDb): ReportsTable {
  const { db } = store;
  const insert = db.prepare(`INSERT INTO reports (id, project, title, format, path, url, view_id, sweep_id, run_ids, created_at)
    VALUES (@id, @project, @title, @format, @path, @url, @viewId, @sweepId, @runIds, @createdAt)`);
  const online = db.prepare('UPDATE reports SET url = ?, view_id = ? WHERE id = ?');
  const list = db.prepare('SELECT * FROM reports WHERE project = ? ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const get = db.prepare('SELECT * FROM reports WHERE id = ?');
  return {
    insert: (r) => void insert.run({ ...r, runIds: JSON.stringify(r.runIds) }),
    setOnline: (id, url, viewId) => void online.run(url, viewId, id),
    list: (project, limit) => (list.all(project, limit) as Row[]).map(toRecord),
    get(id) {
      const row = get.get(id) as Row | undefined;
      return row === undefined ? undefined : toRecord(row);
    },
  };
}
