import { SkillError, invalidInput } from '../errors.js';
import type { ActionContext, ActionHandler, ActionResult } from './context.js';
import { isActive, namedRunId, requireNamedRun, runUrl } from '../runs/lifecycle.js';
import type { RunRecord, Store } from '../store/index.js';
import type { AlertLevel, RuleRecord } from '../store/alerts.js';
import { deliverAlert } from '../alerts/deliver.js';
import { alertEvent, DEFAULT_WAIT_SECONDS, raiseAlert } from '../alerts/raise.js';
import { randomId } from '../random-id.js';
import { COMPARISONS, describeRule } from '../alerts/rules.js';

/**
 * `alert`: W&B's run.alert. Stores the alert with its run (suppressed when the same title was sent
 * less than waitDuration seconds ago), then delivers it: log, webhooks, and W&B online.
 *
 * With `alertConfig.rule` nothing is sent now: the rule is registered on the run (replacing a rule
 * with the same title) and checked on every later committed log, which lists what fired in `alerts`.
 * W&B has no rules; sending at registration would alert on a condition nobody has seen yet.
 */
export const alert: ActionHandler = async (ctx): Promise<ActionResult> => {
  const cfg = ctx.input.alertConfig;
  if (cfg === undefined) throw invalidInput('alertConfig', 'required for the alert action');
  if (cfg.title.trim() === '') throw invalidInput('alertConfig.title', 'must not be blank');
  const level: AlertLevel = cfg.level ?? 'INFO';
  const waitDuration = cfg.waitDuration ?? DEFAULT_WAIT_SECONDS;
  const text = cfg.text ?? '';
  const rule = cfg.rule;
  if (rule !== undefined && COMPARISONS.has(rule.op) && rule.value === undefined) {
    throw invalidInput('alertConfig.rule.value', `op "${rule.op}" compares with a value; give alertConfig.rule.value`);
  }
  if (ctx.settings.mode === 'disabled') {
    return { alert: { id: randomId(ctx, 'al-'), level, suppressed: false, deliveries: [] } };
  }
  const store = ctx.store();
  if (rule !== undefined) {
    const { run, registered, replaced } = store.write(() => {
      const run = targetRun(ctx, store);
      const stored = store.alerts.upsertRule({
        id: randomId(ctx, 'rl-'),
        runKey: run.key,
        title: cfg.title,
        text,
        level,
        waitDuration,
        metric: rule.metric,
        op: rule.op,
        value: COMPARISONS.has(rule.op) ? (rule.value ?? null) : null,
        createdAt: ctx.now() / 1000,
      });
      return { run, registered: stored.rule, replaced: stored.replaced };
    });
    if (!isActive(run)) ctx.warn(`run ${run.id} is ${run.state}: the rule is checked only when the run logs again (resume it first)`);
    return { ...runFields(ctx, run), alert: ruleView(registered, replaced) };
  }
  const { run, record } = store.write(() => {
    const run = targetRun(ctx, store);
    return { run, record: raiseAlert(ctx, store.alerts, run, { title: cfg.title, text, level, waitDuration }) };
  });
  const view = await deliverAlert(ctx, store, run, record, alertEvent(ctx, run, record));
  if (record.suppressed) ctx.warn(`alert "${record.title}" suppressed: one with the same title was sent less than ${waitDuration} s ago`);
  return { ...runFields(ctx, run), alert: view };
};

function runFields(ctx: ActionContext, run: RunRecord): ActionResult {
  return { runId: run.id, runUrl: runUrl(ctx, run), project: run.project, runName: run.displayName };
}

function ruleView(rule: RuleRecord, replaced: boolean): NonNullable<ActionResult['alert']> {
  const r = { metric: rule.metric, op: rule.op, ...(rule.value !== null ? { value: rule.value } : {}) };
  return {
    id: rule.id,
    title: rule.title,
    level: rule.level,
    suppressed: false,
    deliveries: [],
    registered: true,
    replaced,
    rule: r,
    waitDuration: rule.waitDuration,
    note: `rule registered: fires on a later committed log when ${describeRule(r)}, then at most once per ${rule.waitDuration} s; nothing was sent now`,
  };
}

/** The run an alert belongs to: runId, else WANDB_RUN_ID, else the running run named runConfig.name. */
function targetRun(ctx: ActionContext, store: Store): RunRecord {
  const { input, settings } = ctx;
  const named = namedRunId(ctx);
  if (named !== undefined) return requireNamedRun(ctx, store, named);
  const name = input.runConfig?.name ?? settings.runDefaults.name;
  if (name !== undefined) {
    const run = store.runs.findRunningByName(settings.project, name);
    if (run !== undefined) return run;
    throw new SkillError('NOT_FOUND', `no running run named "${name}" in project ${settings.project}`, {
      details: { issues: [{ path: 'runConfig.name', message: 'no running run with this name' }] },
    });
  }
  throw invalidInput('runId', 'an alert belongs to a run: give runId (or runConfig.name of a running run)');
}
