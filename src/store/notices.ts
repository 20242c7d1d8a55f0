import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';

/** Notices shown once per store (such as "running offline"), so a warning keeps its meaning. */
export const NOTICE_MIGRATIONS: readonly Migration[] = [
  {
    name: '080-notices',
    sql: `
  CREATE TABLE notices (
    name      TEXT PRIMARY KEY,
    shown_at  REAL NOT NULL
  );`,
  },
];

export interface NoticesTable {
  /** True the first time `name` is asked for in this store (and records it); false ever after. */
  firstTime(name: string, nowSec: number): boolean;
}

/** Prepared statements over the `notices` table. */
export function createNoticesTable(store: StoreDb): NoticesTable {
  const { db } = store;
  const get = db.prepare('SELECT 1 FROM notices WHERE name = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO notices (name, shown_at) VALUES (?, ?)');
  return {
    firstTime(name, nowSec) {
      // A read first: after the first call no write lock is taken.
      if (get.get(name) !== undefined) return false;
      return store.write(() => insert.run(name, nowSec).changes === 1);
    },
  };
}
