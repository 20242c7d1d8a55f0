import { stringifyExtended } from '../json/extended-json.js';
import { heldRecord, toRecord, type ParsedColumns, type RunRecord, type RunRow, type RunState } from './run-records.js';
import type { StoreDb } from './db.js';
import { createRowCache } from './held-rows.js';
import { RUN_COLUMNS } from './run-live.js';
import { lazyStatements } from './statements.js';

export { toRecord, type RunRecord, type RunRow, type RunState } from './run-records.js';

export type NewRun = Pick<
  RunRecord,
  'project' | 'id' | 'entity' | 'displayName' | 'state' | 'config' | 'tags' | 'notes' | 'group' | 'jobType' | 'username' | 'host' | 'sweepId'
> & {
  now: number;
};

/** The fields a log/finish/resume changes on a run, written back in one statement. */
export interface RunProgress {
  state: RunState;
  step: number;
  historyCount: number;
  /** A newly folded summary and how many rows it covers; omitted, the stored one stays. */
  summary?: { value: Record<string, unknown>; seq: number } | undefined;
  pendingRow: Record<string, unknown> | null;
  heartbeatAt: number;
  finishedAt: number | null;
  exitCode: number | null;
}

/** log()'s progress; `pendingLine`, the pending row's extended JSON when the caller has it (not serialised again). */
export type LogProgress = Pick<RunProgress, 'step' | 'historyCount' | 'pendingRow' | 'heartbeatAt' | 'summary'> & { pendingLine?: string | undefined };

export interface RunMeta {
  displayName: string;
  config: Record<string, unknown>;
  tags: string[];
  notes: string | null;
  group: string | null;
  jobType: string | null;
  entity: string | null;
  state: RunState;
  runtimeBase: number;
  segmentStart: number;
  finishedAt: number | null;
  exitCode: number | null;
  now: number;
}

export interface RunsTable {
  get(project: string, id: string): RunRecord | undefined;
  getByKey(key: number): RunRecord | undefined;
  /** Runs with this id in any project (a run id alone usually names one run). */
  findById(id: string): RunRecord[];
  /** The newest running run of a project with this display name. */
  findRunningByName(project: string, displayName: string): RunRecord | undefined;
  countInProject(project: string): number;
  insert(run: NewRun): RunRecord;
  saveProgress(key: number, p: RunProgress): void;
  /**
   * log()'s update of a running run: only the columns a log changes, so SQLite touches no index
   * (an UPDATE that names an indexed column rewrites its index entry even when the value is equal).
   */
  saveLogProgress(key: number, p: LogProgress): void;
  /**
   * A plain append (see run-live.ts): the rows are in history and the run row stays as it is (its
   * step and count are read live); the held copy of the row takes the run's new step and count.
   */
  noteAppended(key: number, step: number, historyCount: number): void;
  saveMeta(key: number, m: RunMeta): void;
  list(project: string, limit: number, offset: number): RunRecord[];
}

/** Prepared statements over the `runs` table. */
export function createRunsTable(store: StoreDb): RunsTable {
  const { db } = store;
  // Prepared on first use: a log call needs two or three of these.
  const stmts = lazyStatements(db, {
    get: `SELECT ${RUN_COLUMNS} FROM runs WHERE project = ? AND id = ?`,
    byKey: `SELECT ${RUN_COLUMNS} FROM runs WHERE key = ?`,
    byId: `SELECT ${RUN_COLUMNS} FROM runs WHERE id = ? ORDER BY created_at DESC LIMIT 16`,
    byName: `SELECT ${RUN_COLUMNS} FROM runs WHERE project = ? AND display_name = ? AND state = 'running' ORDER BY created_at DESC, key DESC LIMIT 1`,
    count: 'SELECT count(*) AS n FROM runs WHERE project = ?',
    insert: `INSERT INTO runs (project, id, entity, display_name, state, config, tags, notes, group_name,
      job_type, username, host, sweep_id, created_at, updated_at, heartbeat_at, segment_start)
      VALUES (@project, @id, @entity, @displayName, @state, @config, @tags, @notes, @group, @jobType, @username,
      @host, @sweepId, @now, @now, @now, @now)`,
    progress: `UPDATE runs SET state = @state, step = @step, history_count = @historyCount,
      summary = coalesce(@summary, summary), summary_seq = coalesce(@summarySeq, summary_seq), pending_row = @pendingRow, heartbeat_at = @heartbeatAt, updated_at = @heartbeatAt,
      finished_at = @finishedAt, exit_code = @exitCode WHERE key = @key`,
    // Positional: log() runs one of these on every call (named parameters cost an object and a lookup each).
    logProgress: 'UPDATE runs SET step = ?, history_count = ?, pending_row = ?, heartbeat_at = ?, updated_at = ? WHERE key = ?',
    logProgressSummary: `UPDATE runs SET step = ?, history_count = ?, pending_row = ?, heartbeat_at = ?, updated_at = ?,
      summary = ?, summary_seq = ? WHERE key = ?`,
    meta: `UPDATE runs SET display_name = @displayName, config = @config, tags = @tags, notes = @notes,
      group_name = @group, job_type = @jobType, entity = @entity, state = @state, runtime_base = @runtimeBase,
      segment_start = @segmentStart, finished_at = @finishedAt, exit_code = @exitCode, updated_at = @now,
      heartbeat_at = @now WHERE key = @key`,
    list: `SELECT ${RUN_COLUMNS} FROM runs WHERE project = ? ORDER BY created_at DESC, key DESC LIMIT ? OFFSET ?`,
  });
  const cache = createRowCache(store);
  const parsed = new WeakMap<RunRow, ParsedColumns>();
  // The version is read before the row: a commit between the two then makes the entry stale, never the reverse.
  const one = (row: unknown, version = store.otherCommits()): RunRecord | undefined =>
    row === undefined ? undefined : toRecord(cache.keep(row as RunRow, version));
  return {
    get(project, id) {
      const version = store.otherCommits();
      const held = cache.byName(project, id, version);
      return held !== undefined ? heldRecord(held, parsed) : one(stmts.get.get(project, id), version);
    },
    getByKey(key) {
      const version = store.otherCommits();
      const held = cache.byKey(key, version);
      return held !== undefined ? heldRecord(held, parsed) : one(stmts.byKey.get(key), version);
    },
    findById: (id) => (stmts.byId.all(id) as RunRow[]).map(toRecord),
    findRunningByName(project, name) {
      const version = store.otherCommits();
      return one(stmts.byName.get(project, name), version);
    },
    countInProject: (project) => (stmts.count.get(project) as { n: number }).n,
    insert(run) {
      stmts.insert.run({
        ...run,
        config: stringifyExtended(run.config),
        tags: JSON.stringify(run.tags),
      });
      const version = store.otherCommits();
      return one(stmts.get.get(run.project, run.id), version) as RunRecord;
    },
    saveProgress(key, p) {
      cache.drop(key);
      stmts.progress.run({
        key,
        state: p.state,
        step: p.step,
        historyCount: p.historyCount,
        summary: p.summary === undefined ? null : stringifyExtended(p.summary.value),
        summarySeq: p.summary === undefined ? null : p.summary.seq,
        pendingRow: p.pendingRow === null ? null : stringifyExtended(p.pendingRow),
        heartbeatAt: p.heartbeatAt,
        finishedAt: p.finishedAt,
        exitCode: p.exitCode,
      });
    },
    saveLogProgress(key, p) {
      const pending = p.pendingRow === null ? null : (p.pendingLine ?? stringifyExtended(p.pendingRow));
      const at = p.heartbeatAt;
      const row = cache.held(key);
      if (p.summary === undefined) {
        stmts.logProgress.run(p.step, p.historyCount, pending, at, at, key);
        // The fields a record copies when it is made: set in place.
        if (row !== undefined) {
          row.step = p.step;
          row.history_count = p.historyCount;
          row.pending_row = pending;
          row.heartbeat_at = at;
          row.updated_at = at;
        }
      } else {
        const summary = stringifyExtended(p.summary.value);
        stmts.logProgressSummary.run(p.step, p.historyCount, pending, at, at, summary, p.summary.seq, key);
        // A copy: records made from the old row read its summary lazily.
        if (row !== undefined)
          cache.replace({
            ...row,
            step: p.step,
            history_count: p.historyCount,
            pending_row: pending,
            heartbeat_at: at,
            updated_at: at,
            summary,
            summary_seq: p.summary.seq,
          });
      }
    },
    noteAppended(key, step, historyCount) {
      const row = cache.held(key);
      if (row === undefined) return;
      row.step = step;
      row.history_count = historyCount;
    },
    saveMeta(key, m) {
      cache.drop(key);
      stmts.meta.run({ ...m, key, config: stringifyExtended(m.config), tags: JSON.stringify(m.tags) });
    },
    list: (project, limit, offset) => (stmts.list.all(project, limit, offset) as RunRow[]).map(toRecord),
  };
}
