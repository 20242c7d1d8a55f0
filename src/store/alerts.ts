import type { Migration } from './migrations.js';
import type { StoreDb } from './db.js';
import { lazyStatements } from './statements.js';

/**
 * Alerts raised by runs (every one, suppressed or not), their deliveries (one row per channel), and
 * the rules registered on runs. Suppression reads the newest unsuppressed alert of a title, hence
 * the (run_key, title, created_at) index.
 */
export const ALERT_MIGRATIONS: readonly Migration[] = [
  {
    name: '301-alerts',
    sql: `
  CREATE TABLE alerts (
    id             TEXT PRIMARY KEY,
    run_key        INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    text           TEXT NOT NULL,
    level          TEXT NOT NULL,
    wait_duration  REAL NOT NULL,
    suppressed     INTEGER NOT NULL,
    rule_id        TEXT,
    metric         TEXT,
    value          TEXT,
    step           INTEGER,
    created_at     REAL NOT NULL
  );
  CREATE INDEX alerts_by_title ON alerts (run_key, title, created_at);
  CREATE TABLE alert_deliveries (
    alert_id    TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    attempts    INTEGER NOT NULL,
    error       TEXT,
    status      INTEGER,
    finished_at REAL NOT NULL,
    PRIMARY KEY (alert_id, channel)
  );
  CREATE TABLE alert_rules (
    id             TEXT PRIMARY KEY,
    run_key        INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    text           TEXT NOT NULL,
    level          TEXT NOT NULL,
    wait_duration  REAL NOT NULL,
    metric         TEXT NOT NULL,
    op             TEXT NOT NULL,
    value          REAL,
    created_at     REAL NOT NULL,
    UNIQUE (run_key, title)
  );`,
  },
];

export type AlertLevel = 'INFO' | 'WARN' | 'ERROR';
export type RuleOp = '>' | '>=' | '<' | '<=' | '==' | '!=' | 'nan' | 'non-finite';

export interface AlertRecord {
  id: string;
  runKey: number;
  title: string;
  text: string;
  level: AlertLevel;
  /** Seconds. */
  waitDuration: number;
  suppressed: boolean;
  ruleId: string | null;
  metric: string | null;
  /** The metric's value that fired a rule, as extended JSON text (NaN survives). */
  value: string | null;
  step: number | null;
  /** Unix seconds. */
  createdAt: number;
}

export interface RuleRecord {
  id: string;
  runKey: number;
  title: string;
  text: string;
  level: AlertLevel;
  waitDuration: number;
  metric: string;
  op: RuleOp;
  value: number | null;
  createdAt: number;
}

export interface DeliveryRecord {
  alertId: string;
  channel: string;
  ok: boolean;
  attempts: number;
  error: string | null;
  status: number | null;
  finishedAt: number;
}

/** An alert as a run's page lists it. */
export interface RecentAlert {
  title: string;
  text: string;
  level: string;
  suppressed: boolean;
  /** Unix seconds. */
  createdAt: number;
}

export interface AlertsTable {
  insert(a: AlertRecord): void;
  /** When the newest unsuppressed alert of this title on this run was raised (Unix seconds). */
  lastDelivered(runKey: number, title: string): number | undefined;
  forRun(runKey: number): AlertRecord[];
  get(id: string): AlertRecord | undefined;
  /** Adds or replaces the rule with this title on the run; returns the stored rule and whether one was replaced. */
  upsertRule(r: RuleRecord): { rule: RuleRecord; replaced: boolean };
  rulesFor(runKey: number): RuleRecord[];
  recordDelivery(d: DeliveryRecord): void;
  deliveries(alertId: string): DeliveryRecord[];
  /** The run's newest alerts first (suppressed ones included), at most `limit`. */
  recent(runKey: number, limit: number): RecentAlert[];
}

interface AlertRow {
  id: string;
  run_key: number;
  title: string;
  text: string;
  level: string;
  wait_duration: number;
  suppressed: number;
  rule_id: string | null;
  metric: string | null;
  value: string | null;
  step: number | null;
  created_at: number;
}

interface RuleRow {
  id: string;
  run_key: number;
  title: string;
  text: string;
  level: string;
  wait_duration: number;
  metric: string;
  op: string;
  value: number | null;
  created_at: number;
}

const toAlert = (r: AlertRow): AlertRecord => ({
  id: r.id,
  runKey: r.run_key,
  title: r.title,
  text: r.text,
  level: r.level as AlertLevel,
  waitDuration: r.wait_duration,
  suppressed: r.suppressed === 1,
  ruleId: r.rule_id,
  metric: r.metric,
  value: r.value,
  step: r.step,
  createdAt: r.created_at,
});

const toRule = (r: RuleRow): RuleRecord => ({
  id: r.id,
  runKey: r.run_key,
  title: r.title,
  text: r.text,
  level: r.level as AlertLevel,
  waitDuration: r.wait_duration,
  metric: r.metric,
  op: r.op as RuleOp,
  value: r.value,
  createdAt: r.created_at,
});

/**
 * Statements over the alert tables, each prepared on first use: log()'s hook reads a run's rules on
 * every committed log, and must not prepare the whole family for that one lookup.
 */
export function createAlertsTable(store: StoreDb): AlertsTable {
  const s = lazyStatements(store.db, {
    insert: `INSERT INTO alerts (id, run_key, title, text, level, wait_duration, suppressed, rule_id, metric, value, step, created_at)
      VALUES (@id, @runKey, @title, @text, @level, @waitDuration, @suppressed, @ruleId, @metric, @value, @step, @createdAt)`,
    last: 'SELECT max(created_at) AS t FROM alerts WHERE run_key = ? AND title = ? AND suppressed = 0',
    forRun: 'SELECT * FROM alerts WHERE run_key = ? ORDER BY created_at, rowid',
    get: 'SELECT * FROM alerts WHERE id = ?',
    ruleByTitle: 'SELECT * FROM alert_rules WHERE run_key = ? AND title = ?',
    upsertRule: `INSERT INTO alert_rules (id, run_key, title, text, level, wait_duration, metric, op, value, created_at)
      VALUES (@id, @runKey, @title, @text, @level, @waitDuration, @metric, @op, @value, @createdAt)
      ON CONFLICT (run_key, title) DO UPDATE SET text = excluded.text, level = excluded.level,
      wait_duration = excluded.wait_duration, metric = excluded.metric, op = excluded.op, value = excluded.value`,
    delivery: `INSERT INTO alert_deliveries (alert_id, channel, ok, attempts, error, status, finished_at)
      VALUES (@alertId, @channel, @ok, @attempts, @error, @status, @finishedAt)
      ON CONFLICT (alert_id, channel) DO UPDATE SET ok = excluded.ok, attempts = excluded.attempts,
      error = excluded.error, status = excluded.status, finished_at = excluded.finished_at`,
    deliveries: 'SELECT * FROM alert_deliveries WHERE alert_id = ? ORDER BY rowid',
    rules: 'SELECT * FROM alert_rules WHERE run_key = ? ORDER BY created_at, id',
    recent: 'SELECT title, text, level, suppressed, created_at AS createdAt FROM alerts WHERE run_key = ? ORDER BY created_at DESC LIMIT ?',
  });
  // Runs known to have no rules, and the store's otherCommits() when that was read.
  const noRules = new Map<number, number>();
  store.onForget(() => noRules.clear());
  return {
    insert(a) {
      s.insert.run({ ...a, suppressed: a.suppressed ? 1 : 0 });
    },
    lastDelivered(runKey, title) {
      const t = (s.last.get(runKey, title) as { t: number | null }).t;
      return t === null ? undefined : t;
    },
    forRun: (runKey) => (s.forRun.all(runKey) as AlertRow[]).map(toAlert),
    get(id) {
      const row = s.get.get(id) as AlertRow | undefined;
      return row === undefined ? undefined : toAlert(row);
    },
    upsertRule(r) {
      noRules.delete(r.runKey);
      const before = s.ruleByTitle.get(r.runKey, r.title) as RuleRow | undefined;
      s.upsertRule.run(r);
      return { rule: toRule(s.ruleByTitle.get(r.runKey, r.title) as RuleRow), replaced: before !== undefined };
    },
    rulesFor(runKey) {
      // A run without rules (the usual case) is remembered as such until another connection commits.
      const version = store.otherCommits();
      if (noRules.get(runKey) === version) return [];
      const rows = s.rules.all(runKey) as RuleRow[];
      if (rows.length > 0) return rows.map(toRule);
      if (noRules.size >= 256) noRules.clear();
      noRules.set(runKey, version);
      return [];
    },
    recent: (runKey, limit) =>
      (s.recent.all(runKey, limit) as Array<Omit<RecentAlert, 'suppressed'> & { suppressed: number }>).map((a) => ({ ...a, suppressed: a.suppressed === 1 })),
    recordDelivery(d) {
      s.delivery.run({ ...d, ok: d.ok ? 1 : 0 });
    },
    deliveries(alertId) {
      type Row = { alert_id: string; channel: string; ok: number; attempts: number; error: string | null; status: number | null; finished_at: number };
      return (s.deliveries.all(alertId) as Row[]).map((r) => ({
        alertId: r.alert_id,
        channel: r.channel,
        ok: r.ok === 1,
        attempts: r.attempts,
        error: r.error,
        status: r.status,
        finishedAt: r.finished_at,
      }));
    },
  };
}
