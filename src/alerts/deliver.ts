/**
 * Delivering a stored alert: the log, every configured webhook and (online) W&B, all at once; each
 * outcome is recorded in the store. Nothing here throws: a failed channel is an outcome.
 */
import type { Logger } from 'pino';
import type { AlertRecord } from '../store/alerts.js';
import type { RunRecord, Store } from '../store/index.js';
import type { AlertEvent } from './payloads.js';
import type { AlertCall } from './raise.js';
import { redactUrlsInText } from '../redact-url.js';
import { deliverToWandb } from '../online/alerts.js';
import { DEFAULT_RETRY, parseWebhooks, postWebhook, type DeliveryOutcome, type DeliveryBudget } from './webhooks.js';

export interface DeliveryOptions {
  retry?: DeliveryBudget;
}

/** One channel's result as the output shows it. */
export interface DeliveryView {
  channel: string;
  ok: boolean;
  attempts: number;
  error?: string;
  [extra: string]: unknown;
}

/** The output's `alert` object (and the items of a log's `alerts`). */
export interface AlertView {
  id: string;
  title: string;
  level: AlertRecord['level'];
  suppressed: boolean;
  deliveries: DeliveryView[];
  createdAt: string;
  [extra: string]: unknown;
}

function writeToLog(logger: Logger, run: RunRecord, a: AlertRecord): void {
  const fields = { alertId: a.id, runId: run.id, project: run.project, title: a.title, level: a.level, suppressed: a.suppressed };
  const msg = `alert${a.suppressed ? ' (suppressed)' : ''}: ${a.title}${a.text ? ` - ${a.text}` : ''}`;
  if (a.level === 'ERROR') logger.error(fields, msg);
  else if (a.level === 'WARN') logger.warn(fields, msg);
  else logger.info(fields, msg);
}

/** Delivers one alert everywhere it should go and records the outcomes; a suppressed alert goes nowhere. */
export async function deliverAlert(
  ctx: AlertCall,
  store: Store,
  run: RunRecord,
  a: AlertRecord,
  event: AlertEvent,
  options: DeliveryOptions = {},
): Promise<AlertView> {
  writeToLog(ctx.logger, run, a);
  const view: AlertView = {
    id: a.id,
    title: a.title,
    level: a.level,
    suppressed: a.suppressed,
    deliveries: [],
    createdAt: new Date(a.createdAt * 1000).toISOString(),
  };
  if (a.suppressed) return view;
  const { hooks, warnings } = parseWebhooks(ctx.settings.alertWebhooks.join(','));
  for (const w of warnings) ctx.warn(w);
  const jobs: Array<Promise<DeliveryOutcome>> = hooks.map((h) =>
    postWebhook(
      ctx.fetch,
      h,
      event,
      options.retry ?? { ...DEFAULT_RETRY, sleep: ctx.sleep, ...(ctx.retry?.webhooks !== undefined ? { retry: ctx.retry.webhooks } : {}) },
      (m) => ctx.random(m),
    ),
  );
  if (ctx.settings.mode === 'online') jobs.push(deliverToWandb(ctx, store, run, event));
  // Errors may quote a URL (fetch echoes it): redacted once here, before the store, the log and the output see them.
  const outcomes = (await Promise.all(jobs)).map((o) => (o.error === undefined ? o : { ...o, error: redactUrlsInText(o.error) }));
  if (outcomes.length > 0) {
    try {
      const alerts = store.alerts;
      const at = ctx.now() / 1000;
      store.write(() => {
        for (const o of outcomes) {
          alerts.recordDelivery({
            alertId: a.id,
            channel: o.channel,
            ok: o.ok,
            attempts: o.attempts,
            error: o.error ?? null,
            status: o.status ?? null,
            finishedAt: at,
          });
        }
      });
    } catch (err) {
      // The alert itself is already stored; losing the delivery record must not fail the call.
      ctx.warn(`alert ${a.id}: delivery results could not be recorded (${redactUrlsInText(err instanceof Error ? err.message : String(err))})`);
    }
  }
  for (const o of outcomes) {
    const d: DeliveryView = { channel: o.channel, ok: o.ok, attempts: o.attempts };
    if (o.error !== undefined) d.error = o.error;
    view.deliveries.push(d);
    if (!o.ok) ctx.logger.warn({ alertId: a.id, channel: o.channel, attempts: o.attempts, error: o.error }, 'alert delivery failed');
  }
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0)
    ctx.warn(`alert "${a.title}": delivery failed on ${failed.map((o) => `${o.channel} (${o.error ?? 'error'})`).join(', ')}; the alert is stored`);
  return view;
}
