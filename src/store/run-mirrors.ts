import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';
import { lazyStatements } from './statements.js';

/**
 * Runs read from the W&B server that this store did not make (a team project's runs, fetched by
 * `query` with `refresh`): kept as rows of `runs` so filters, orders and comparisons treat them
 * like local runs, marked in `run_mirrors` so a later refresh updates them, and given a complete
 * `run_sync` row so `sync` never sends them back. A run this store made is never overwritten.
 */
export const RUN_MIRROR_MIGRATIONS: readonly Migration[] = [
  {
    name: '501-run-mirrors',
    sql: `
  CREATE TABLE run_mirrors (
    run_key         INTEGER PRIMARY KEY REFERENCES runs (key) ON DELETE CASCADE,
    base_url        TEXT NOT NULL,
    storage_id      TEXT,
    history_lines   INTEGER NOT NULL DEFAULT 0,
    fetched_at      REAL NOT NULL
  );`,
  },
];

/** A run as the server describes it, in the store's terms (config values unwrapped, times in epoch seconds). */
export interface MirroredRun {
  project: string;
  entity: string;
  id: string;
  storageId: string | null;
  displayName: string;
  state: string;
  /** JSON texts (extended JSON for the summary). */
  config: string;
  summary: string;
  tags: string[];
  notes: string | null;
  group: string | null;
  jobType: string | null;
  username: string | null;
  host: string | null;
  sweepId: string | null;
  createdAt: number;
  heartbeatAt: number;
  finished: boolean;
  historyLines: number;
}

export interface RunMirrors {
  /** Stores or updates a server run; `local` when the store made a run with that id (left as it is). */
  upsert(run: MirroredRun, baseUrl: string, now: number): 'added' | 'updated' | 'local';
  /** How many runs of a project are mirrors. */
  count(project: string): number;
}

export function createRunMirrors(store: StoreDb): RunMirrors {
  const s = lazyStatements(store.db, {
    find: `SELECT r.key, m.run_key IS NOT NULL AS mirrored FROM runs r LEFT JOIN run_mirrors m ON m.run_key = r.key WHERE r.project = ? AND r.id = ?`,
    insert: `INSERT INTO runs (project, id, entity, display_name, state, config, summary, tags, notes, group_name, job_type, username, host,
      sweep_id, created_at, updated_at, heartbeat_at, finished_at, segment_start)
      VALUES (@project, @id, @entity, @displayName, @state, @config, @summary, @tags, @notes, @group, @jobType, @username, @host,
      @sweepId, @createdAt, @heartbeatAt, @heartbeatAt, @finishedAt, @createdAt)`,
    update: `UPDATE runs SET entity = @entity, display_name = @displayName, state = @state, config = @config, summary = @summary, tags = @tags,
      notes = @notes, group_name = @group, job_type = @jobType, username = @username, host = @host, sweep_id = @sweepId,
      created_at = @createdAt, updated_at = @heartbeatAt, heartbeat_at = @heartbeatAt, finished_at = @finishedAt, segment_start = @createdAt
      WHERE key = @key`,
    mark: `INSERT INTO run_mirrors (run_key, base_url, storage_id, history_lines, fetched_at) VALUES (@key, @baseUrl, @storageId, @historyLines, @now)
      ON CONFLICT (run_key) DO UPDATE SET storage_id = excluded.storage_id, history_lines = excluded.history_lines, fetched_at = excluded.fetched_at`,
    // Everything "sent": sync leaves the run alone.
    sync: `INSERT OR IGNORE INTO run_sync (run_key, base_url, storage_id, entity, files_sent, complete_sent) VALUES (@key, @baseUrl, @storageId, @entity, 1, 1)`,
    count: 'SELECT count(*) FROM run_mirrors m JOIN runs r ON r.key = m.run_key WHERE r.project = ?',
  });
  return {
    upsert(run, baseUrl, now) {
      const found = s.find.get(run.project, run.id) as { key: number; mirrored: number } | undefined;
      if (found !== undefined && found.mirrored !== 1) return 'local';
      const params = {
        ...run,
        tags: JSON.stringify(run.tags),
        finishedAt: run.finished ? run.heartbeatAt : null,
      };
      const { finished: _f, storageId: _s, historyLines: _h, ...row } = params;
      let key: number;
      if (found === undefined) key = Number(s.insert.run(row).lastInsertRowid);
      else {
        key = found.key;
        s.update.run({ ...row, key });
      }
      s.mark.run({ key, baseUrl, storageId: run.storageId, historyLines: run.historyLines, now });
      s.sync.run({ key, baseUrl, storageId: run.storageId, entity: run.entity });
      return found === undefined ? 'added' : 'updated';
    },
    count: (project) => s.count.pluck().get(project) as number,
  };
}
