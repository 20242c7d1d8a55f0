// What a fuzz case may not touch: the store's tables (watched between two moments) and the files
// under the working folder, so a refused input is shown to have written nothing.
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';

/** Every table of the store as text, rows in a stable order (blobs as base64). */
export function dumpStore(path: string): string {
  if (!existsSync(path)) return '(no store)';
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return dumpTables(db);
  } finally {
    db.close();
  }
}

function dumpTables(db: Database.Database): string {
  {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    const out: Record<string, string[]> = {};
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all() as Array<Record<string, unknown>>;
      out[name] = rows
        .map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v)))
        .sort();
    }
    return JSON.stringify(out);
  }
}

/**
 * Watches a store for changes between two moments. SQLite's data_version moves whenever another
 * connection commits, so an unchanged version proves nothing was written; only when it moved are
 * the tables dumped and compared (a commit that wrote the same rows back still counts as unchanged).
 */
export interface StoreWatcher {
  mark(): void;
  unchanged(): boolean;
  close(): void;
}

export function createStoreWatcher(path: string): StoreWatcher {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  // The connection keeps reading the file it opened: a store replaced on disk is seen by its inode and header.
  const ino = statSync(path).ino;
  const sameFile = (): boolean => {
    const st = statSync(path);
    if (st.ino !== ino) return false;
    const head = Buffer.alloc(16);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
    return head.toString('latin1') === 'SQLite format 3\u0000';
  };
  const version = (): number => db.pragma('data_version', { simple: true }) as number;
  let snapshot = dumpTables(db);
  let at = version();
  return {
    /** Takes a fresh snapshot if the store moved since the last one. */
    mark(): void {
      const v = version();
      if (v !== at) {
        snapshot = dumpTables(db);
        at = v;
      }
    },
    /** Whether the store is as it was at the last mark(). */
    unchanged(): boolean {
      return sameFile() && (version() === at || dumpTables(db) === snapshot);
    },
    close: () => db.close(),
  };
}

/** Every file and folder under `dir` with its size, except the store's own files (WAL checkpoints move bytes). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (/^wandb\/skill-store\.sqlite(-wal|-shm|-journal)?$/.test(rel)) continue;
      const st = lstatSync(p);
      if (st.isDirectory()) {
        out.push(`${rel}/`);
        walk(p);
      } else out.push(`${rel} ${st.size}`);
    }
  };
  walk(dir);
  return out.sort();
}
