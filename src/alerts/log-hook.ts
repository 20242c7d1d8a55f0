import type { LogHook, LogHookResult } from '../runs/log-hooks.js';
import type { AlertRecord, RuleRecord } from '../store/alerts.js';
import { wireNumber } from './payloads.js';
import { alertEvent, raiseAlert, withinWait, type AlertCall } from './raise.js';
import { firstMatch } from './rules.js';

/**
 * Alert rules: checked on every committed log of a run that has rules; a rule that holds in any row
 * of the call fires its alert once (stored inside log's transaction, delivered after the commit) and
 * is listed in the log's `alerts`. While the same title is inside its waitDuration the rule stays
 * quiet and stores nothing, so a loss that stays NaN for 10,000 steps is one alert, not 10,000
 * suppressed ones. A run without rules costs one indexed lookup.
 */
export const alertLogHook: LogHook<AlertCall> = ({ ctx, store, run, committed }) => {
  if (committed.length === 0) return undefined;
  const rules = store.alerts.rulesFor(run.key);
  if (rules.length === 0) return undefined;
  const alerts = store.alerts;
  const fired: Array<{ rule: RuleRecord; record: AlertRecord; value: number; step: number | null }> = [];
  for (const rule of rules) {
    const match = firstMatch(rule, committed);
    if (match === undefined || withinWait(ctx, alerts, run, rule.title, rule.waitDuration)) continue;
    const record = raiseAlert(ctx, alerts, run, {
      title: rule.title,
      text: rule.text,
      level: rule.level,
      waitDuration: rule.waitDuration,
      rule,
      value: match.value,
      step: match.step,
    });
    fired.push({ rule, record, value: match.value, step: match.step });
  }
  if (fired.length === 0) return undefined;
  return async (): Promise<LogHookResult> => {
    const out = await Promise.all(
      fired.map(async ({ rule, record, value, step }) => {
        // Delivery (webhooks, the W&B client) loads only when a rule fires, not on every log().
        const { deliverAlert } = await import('./deliver.js');
        const view = await deliverAlert(ctx, store, run, record, alertEvent(ctx, run, record, rule));
        return {
          ...view,
          metric: rule.metric,
          value: wireNumber(value),
          step,
          rule: { metric: rule.metric, op: rule.op, ...(rule.value !== null ? { value: rule.value } : {}) },
        };
      }),
    );
    return { alerts: out };
  };
};
