import type { StoreDb } from './db.js';
import type { RunRow } from './runs.js';
/** How many run rows a store keeps in memory (the runs a process logs to; the oldest go first). */
const HELD_ROWS = 64;

/**
 * Run rows as last read or written by this connection, so log() does not read its run's row back on
 * every call: an entry is used while no other connection has committed since it was held (the
 * store's `otherCommits`), and this connection's writes of a run update or drop it.
 */
export function createRowCache(store: StoreDb) {
  const rows = new Map<number, { row: RunRow; version: number }>();
  const keys = new Map<string, number>();
  store.onForget(() => {
    rows.clear();
    keys.clear();
  });
  const byKey = (key: number, version: number): RunRow | undefined => {
    const e = rows.get(key);
    if (e === undefined) return undefined;
    if (e.version === version) return e.row;
    rows.delete(key);
    return undefined;
  };
  return {
    byKey,
    byName(project: string, id: string, version: number): RunRow | undefined {
      const key = keys.get(`${project}\u0000${id}`);
      return key === undefined ? undefined : byKey(key, version);
    },
    keep(row: RunRow, version: number): RunRow {
      if (rows.size >= HELD_ROWS) {
        rows.clear();
        keys.clear();
      }
      rows.set(row.key, { row, version });
      keys.set(`${row.project}\u0000${row.id}`, row.key);
      return row;
    },
    /** The held row of a run, inside the write that is changing it (the caller updates it with what it writes); a stale one goes. */
    held(key: number): RunRow | undefined {
      return byKey(key, store.otherCommits());
    },
    /** Replaces a held row with what was just written. */
    replace(row: RunRow): void {
      const e = rows.get(row.key);
      if (e !== undefined) e.row = row;
    },
    drop: (key: number) => void rows.delete(key),
  };
}
