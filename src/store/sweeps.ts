import type { Statement } from 'better-sqlite3';
import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';
import { parseExtended, stringifyExtended } from '../json/extended-json.js';
import { toRecord as runRecord, type RunRecord, type RunRow, type RunState } from './runs.js';
import { RUN_COLUMNS } from './run-live.js';

/**
 * The sweeps tables. A sweep's runs are rows of `runs` with `sweep_id` set; beside them live the
 * stop marks (early termination or a server `stop` command) and an incremental copy of each sweep
 * run's metric values, so hyperband and bayes never re-read whole histories.
 */
export const SWEEP_MIGRATIONS: readonly Migration[] = [
  {
    name: '201-sweeps',
    sql: `
  CREATE TABLE sweeps (
    key          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL,
    project      TEXT NOT NULL,
    entity       TEXT,
    config       TEXT NOT NULL,
    method       TEXT NOT NULL,
    state        TEXT NOT NULL,
    seed         TEXT NOT NULL,
    suggestions  INTEGER NOT NULL DEFAULT 0,
    controller   TEXT NOT NULL,
    remote_id    TEXT,
    done_reason  TEXT,
    created_at   REAL NOT NULL,
    updated_at   REAL NOT NULL,
    UNIQUE (project, id)
  );
  CREATE INDEX sweeps_by_id ON sweeps (id);
  CREATE INDEX IF NOT EXISTS runs_by_sweep ON runs (sweep_id, project);
  CREATE TABLE sweep_stops (
    run_key    INTEGER PRIMARY KEY REFERENCES runs (key) ON DELETE CASCADE,
    sweep_key  INTEGER NOT NULL REFERENCES sweeps (key) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    at         REAL NOT NULL
  );
  CREATE TABLE sweep_metric_scan (
    run_key      INTEGER PRIMARY KEY REFERENCES runs (key) ON DELETE CASCADE,
    sweep_key    INTEGER NOT NULL REFERENCES sweeps (key) ON DELETE CASCADE,
    scanned_seq  INTEGER NOT NULL,
    count        INTEGER NOT NULL
  );
  CREATE TABLE sweep_metric_values (
    run_key    INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    sweep_key  INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    value      REAL NOT NULL,
    PRIMARY KEY (run_key, n)
  );
  CREATE INDEX sweep_metric_values_by_sweep ON sweep_metric_values (sweep_key, run_key, n);`,
  },
  {
    // The processes working on an agent's trial (and, with the same columns, the process of a
    // createTracker run: pid = agent_pid) (the trial program, or the agent itself for a
    // function trial, and the agent) and their host: a trial whose processes are both gone
    // without ending its run is marked crashed.
    name: '202-sweep-run-owners',
    sql: `
  CREATE TABLE sweep_run_owners (
    run_key  INTEGER PRIMARY KEY REFERENCES runs (key) ON DELETE CASCADE,
    host     TEXT NOT NULL,
    pid       INTEGER NOT NULL,
    agent_pid INTEGER NOT NULL,
    since     REAL NOT NULL
  );`,
  },
  {
    // What a local sweep's search carries from one suggestion to the next (bayes: the fitted GP
    // hyperparameters it warm-starts from), written in the transaction that hands out the run.
    name: '203-sweep-search-state',
    sql: `ALTER TABLE sweeps ADD COLUMN search_state TEXT;`,
  },
];

/** Who works on an agent's trial: the trial's process and its agent's, on one host. */
export interface TrialOwner {
  host: string;
  pid: number;
  agentPid: number;
}

export type SweepState = 'RUNNING' | 'PAUSED' | 'FINISHED' | 'CANCELED';

/** A sweep as the store holds it; `config` is the caller's config (re-parsed on load). */
export interface SweepRecord {
  key: number;
  id: string;
  project: string;
  entity: string | null;
  config: Record<string, unknown>;
  method: string;
  state: SweepState;
  /** The seed of the search stream (the config's `seed`, else the sweep id). */
  seed: string;
  /** How many suggestions were handed out: the index of the next random stream. */
  suggestions: number;
  /** `local`: this store runs the search; `cloud`: W&B's server controller does. */
  controller: 'local' | 'cloud';
  /** The W&B GraphQL node id (online sweeps), for state changes. */
  remoteId: string | null;
  /** Why the sweep stopped handing out runs on its own (grid_exhausted, run_cap, ...). */
  doneReason: string | null;
  createdAt: number;
  updatedAt: number;
}

interface SweepRow {
  key: number;
  id: string;
  project: string;
  entity: string | null;
  config: string;
  method: string;
  state: string;
  seed: string;
  suggestions: number;
  controller: string;
  remote_id: string | null;
  done_reason: string | null;
  created_at: number;
  updated_at: number;
}

function toRecord(r: SweepRow): SweepRecord {
  // The config is parsed on first use: the log hook reads the sweep row on every log of a sweep run
  // and takes the parsed config from the runner's memo (sweep-runs' loadSweep). An accessor in the
  // literal, enumerable like data, so a spread copy reads it.
  let config: Record<string, unknown> | undefined;
  return {
    key: r.key,
    id: r.id,
    project: r.project,
    entity: r.entity,
    // Extended JSON, as run configs: a grid value NaN or ±Infinity must not come back as null.
    get config() {
      return (config ??= parseExtended(r.config) as Record<string, unknown>);
    },
    set config(v: Record<string, unknown>) {
      config = v;
    },
    method: r.method,
    state: r.state as SweepState,
    seed: r.seed,
    suggestions: r.suggestions,
    controller: r.controller === 'cloud' ? 'cloud' : 'local',
    remoteId: r.remote_id,
    doneReason: r.done_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type NewSweep = Pick<SweepRecord, 'id' | 'project' | 'entity' | 'config' | 'method' | 'state' | 'seed' | 'controller' | 'remoteId'> & { now: number };

/** A run of a sweep as its search reads it (`SweepsTable.trials`). */
export interface SweepTrialRow {
  key: number;
  id: string;
  state: RunState;
  /** The run's config column: extended JSON text. */
  configText: string;
}

/** A sweep as a project's list shows it. */
export interface SweepListing {
  id: string;
  state: string;
  method: string;
}

export interface SweepsTable {
  get(project: string, id: string): SweepRecord | undefined;
  /** Sweeps with this id in any project. */
  findById(id: string): SweepRecord[];
  insert(s: NewSweep): SweepRecord;
  setState(key: number, state: SweepState, doneReason: string | null, now: number): void;
  /** Counts one handed-out suggestion. */
  bumpSuggestions(key: number, now: number): void;
  /** The search's state after the last suggestion (plain JSON), if it keeps one. */
  searchState(key: number): unknown;
  setSearchState(key: number, state: unknown): void;
  /** Ids of the sweep's runs, oldest first. */
  runIds(project: string, sweepId: string): string[];
  /** The sweep's runs, oldest first (one query, in the order of `runIds`). */
  runs(project: string, sweepId: string): RunRecord[];
  /**
   * The sweep's runs as its search reads them, in the order of `runIds`: key, id, state and the
   * config as stored (extended JSON text, parsed by the caller, which can keep it while the text is
   * the same). `sweep next` reads every run of the sweep; whole rows cost ten times more.
   */
  trials(project: string, sweepId: string): SweepTrialRow[];
  /** Marks a run to stop (first reason wins); true when newly marked. */
  markStop(runKey: number, sweepKey: number, reason: string, now: number): boolean;
  stopReason(runKey: number): string | undefined;
  /** Records the processes working on a trial's run (replacing earlier ones). */
  setOwner(runKey: number, owner: TrialOwner, now: number): void;
  clearOwner(runKey: number): void;
  /** Active runs (agent trials, tracker runs) owned by processes of `host`. */
  ownedOn(host: string): Array<TrialOwner & { runKey: number }>;
  /** A project's sweeps, newest first (at most 500). */
  listInProject(project: string): SweepListing[];
}

/** Prepared statements over `sweeps` and `sweep_stops`. */
export function createSweepsTable(store: StoreDb): SweepsTable {
  const { db } = store;
  const s: Record<string, Statement> = {
    get: db.prepare('SELECT * FROM sweeps WHERE project = ? AND id = ?'),
    byId: db.prepare('SELECT * FROM sweeps WHERE id = ? ORDER BY created_at DESC LIMIT 16'),
    insert: db.prepare(`INSERT INTO sweeps (id, project, entity, config, method, state, seed, controller, remote_id, created_at, updated_at)
      VALUES (@id, @project, @entity, @config, @method, @state, @seed, @controller, @remoteId, @now, @now)`),
    state: db.prepare('UPDATE sweeps SET state = ?, done_reason = ?, updated_at = ? WHERE key = ?'),
    bump: db.prepare('UPDATE sweeps SET suggestions = suggestions + 1, updated_at = ? WHERE key = ?'),
    searchState: db.prepare('SELECT search_state AS state FROM sweeps WHERE key = ?'),
    setSearchState: db.prepare('UPDATE sweeps SET search_state = ? WHERE key = ?'),
    runIds: db.prepare('SELECT id FROM runs WHERE sweep_id = ? AND project = ? ORDER BY created_at, key'),
    runs: db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE sweep_id = ? AND project = ? ORDER BY created_at, key`),
    trials: db.prepare('SELECT key, id, state, config AS configText FROM runs WHERE sweep_id = ? AND project = ? ORDER BY created_at, key'),
    mark: db.prepare('INSERT OR IGNORE INTO sweep_stops (run_key, sweep_key, reason, at) VALUES (?, ?, ?, ?)'),
    stop: db.prepare('SELECT reason FROM sweep_stops WHERE run_key = ?'),
    setOwner: db.prepare('INSERT OR REPLACE INTO sweep_run_owners (run_key, host, pid, agent_pid, since) VALUES (?, ?, ?, ?, ?)'),
    clearOwner: db.prepare('DELETE FROM sweep_run_owners WHERE run_key = ?'),
    ownedOn: db.prepare(`SELECT o.run_key AS runKey, o.host, o.pid, o.agent_pid AS agentPid FROM sweep_run_owners o JOIN runs r ON r.key = o.run_key
      WHERE o.host = ? AND r.state IN ('running', 'pending') ORDER BY o.run_key`),
    list: db.prepare('SELECT id, state, method FROM sweeps WHERE project = ? ORDER BY created_at DESC LIMIT 500'),
  };
  return {
    get: (project, id) => {
      const row = s.get!.get(project, id) as SweepRow | undefined;
      return row === undefined ? undefined : toRecord(row);
    },
    findById: (id) => (s.byId!.all(id) as SweepRow[]).map(toRecord),
    insert(n) {
      s.insert!.run({ ...n, config: stringifyExtended(n.config) });
      return toRecord(s.get!.get(n.project, n.id) as SweepRow);
    },
    setState: (key, state, doneReason, now) => void s.state!.run(state, doneReason, now, key),
    bumpSuggestions: (key, now) => void s.bump!.run(now, key),
    searchState(key) {
      const row = s.searchState!.get(key) as { state: string | null } | undefined;
      return row?.state == null ? undefined : (JSON.parse(row.state) as unknown);
    },
    setSearchState: (key, state) => void s.setSearchState!.run(state === undefined ? null : JSON.stringify(state), key),
    runIds: (project, sweepId) => (s.runIds!.all(sweepId, project) as Array<{ id: string }>).map((r) => r.id),
    runs: (project, sweepId) => (s.runs!.all(sweepId, project) as RunRow[]).map(runRecord),
    trials: (project, sweepId) => s.trials!.all(sweepId, project) as SweepTrialRow[],
    markStop: (runKey, sweepKey, reason, now) => s.mark!.run(runKey, sweepKey, reason, now).changes > 0,
    stopReason: (runKey) => (s.stop!.get(runKey) as { reason: string } | undefined)?.reason,
    setOwner: (runKey, o, now) => void s.setOwner!.run(runKey, o.host, o.pid, o.agentPid, now),
    clearOwner: (runKey) => void s.clearOwner!.run(runKey),
    ownedOn: (host) => s.ownedOn!.all(host) as Array<TrialOwner & { runKey: number }>,
    listInProject: (project) => s.list!.all(project) as SweepListing[],
  };
}
