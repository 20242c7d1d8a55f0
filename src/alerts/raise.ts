/**
 * Raising an alert: the stored record (W&B's suppression applied) and the event channels deliver.
 * Runs inside a write transaction, so two processes raising the same title see each other.
 */
import type { Services } from '../services.js';
import { randomId } from '../random-id.js';
import type { Settings } from '../settings.js';
import { runUrl } from '../runs/lifecycle.js';
import type { AlertLevel, AlertRecord, AlertsTable, RuleRecord } from '../store/alerts.js';
import type { RunRecord } from '../store/index.js';
import { stringifyExtended } from '../json/extended-json.js';
import { wireNumber, type AlertEvent } from './payloads.js';

/** What raising and delivering an alert needs of the call: the services, its settings, and its warnings. */
export interface AlertCall extends Services {
  readonly settings: Settings;
  /** The runner's memo (the W&B connection's viewer, for the W&B channel). */
  readonly cache: Map<string, unknown>;
  /** Adds a line to the output's `warnings`. */
  warn(message: string): void;
}

/** W&B's default waitDuration: one minute. */
export const DEFAULT_WAIT_SECONDS = 60;

export interface RaiseInput {
  title: string;
  text: string;
  level: AlertLevel;
  /** Seconds. */
  waitDuration: number;
  rule?: RuleRecord;
  value?: number;
  step?: number | null;
}

/**
 * Stores an alert. It is suppressed when an unsuppressed alert with the same title was raised on the
 * same run less than `waitDuration` seconds ago (W&B's rule; its server applies the same one).
 */
export function raiseAlert(ctx: Pick<Services, 'now' | 'random'>, alerts: AlertsTable, run: RunRecord, input: RaiseInput): AlertRecord {
  const nowSec = ctx.now() / 1000;
  const last = alerts.lastDelivered(run.key, input.title);
  const suppressed = last !== undefined && nowSec - last < input.waitDuration;
  const record: AlertRecord = {
    id: randomId(ctx, 'al-'),
    runKey: run.key,
    title: input.title,
    text: input.text,
    level: input.level,
    waitDuration: input.waitDuration,
    suppressed,
    ruleId: input.rule?.id ?? null,
    metric: input.rule?.metric ?? null,
    value: input.value === undefined ? null : stringifyExtended(input.value),
    step: input.step ?? null,
    createdAt: nowSec,
  };
  alerts.insert(record);
  return record;
}

/** Whether an alert with this title would be suppressed now (the rule check, without storing anything). */
export function withinWait(ctx: Pick<Services, 'now'>, alerts: AlertsTable, run: RunRecord, title: string, waitDuration: number): boolean {
  const last = alerts.lastDelivered(run.key, title);
  return last !== undefined && ctx.now() / 1000 - last < waitDuration;
}

/** The event the channels deliver. */
export function alertEvent(
  ctx: { readonly settings: Pick<Settings, 'mode' | 'appUrl' | 'dashboardUrl'> },
  run: RunRecord,
  a: AlertRecord,
  rule?: RuleRecord,
): AlertEvent {
  const e: AlertEvent = {
    id: a.id,
    title: a.title,
    text: a.text,
    level: a.level,
    waitDuration: a.waitDuration,
    time: Math.round(a.createdAt * 1000),
    run: { id: run.id, name: run.displayName, url: runUrl(ctx, run), project: run.project, entity: run.entity },
  };
  if (rule) {
    e.rule = { metric: rule.metric, op: rule.op, value: rule.value };
    if (a.value !== null) {
      const v = a.value === 'NaN' ? NaN : a.value === 'Infinity' ? Infinity : a.value === '-Infinity' ? -Infinity : Number(a.value);
      e.value = wireNumber(v);
    }
    if (a.step !== null) e.step = a.step;
  }
  return e;
}
