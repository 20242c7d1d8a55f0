/**
 * What an alert looks like on the wire: Slack's incoming-webhook `{text}` body for Slack URLs, a
 * plain JSON document for any other webhook.
 */
import type { AlertLevel, RuleOp } from '../store/alerts.js';

/** Everything a channel needs to deliver one alert. */
export interface AlertEvent {
  id: string;
  title: string;
  text: string;
  level: AlertLevel;
  /** Seconds. */
  waitDuration: number;
  /** Milliseconds since the epoch. */
  time: number;
  run: { id: string; name: string; url: string; project: string; entity: string | null };
  /** Set when a rule fired the alert. */
  rule?: { metric: string; op: RuleOp; value: number | null };
  /** The metric value that fired the rule (NaN/Infinity as the strings "NaN", "Infinity"). */
  value?: number | string;
  step?: number;
}

export type WebhookKind = 'slack' | 'webhook';

/** Slack incoming webhooks live on hooks.slack.com (and its enterprise-grid twin). */
export function webhookKind(url: URL): WebhookKind {
  const host = url.hostname.toLowerCase();
  return host === 'hooks.slack.com' || host === 'hooks.slack-gov.com' ? 'slack' : 'webhook';
}

/** Slack's mrkdwn treats only &, < and > as control characters. */
function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const EMOJI: Record<AlertLevel, string> = { INFO: ':information_source:', WARN: ':warning:', ERROR: ':rotating_light:' };

/** Slack's payload: one mrkdwn `text` (W&B's own Slack alerts are a title line, the text, the run link). */
export function slackPayload(e: AlertEvent): { text: string } {
  const lines = [`${EMOJI[e.level]} *[${e.level}] ${slackEscape(e.title)}*`];
  if (e.text !== '') lines.push(slackEscape(e.text));
  if (e.rule) lines.push(`Rule: \`${slackEscape(ruleText(e.rule))}\` (value ${String(e.value)}${e.step !== undefined ? ` at step ${e.step}` : ''})`);
  lines.push(`Run <${e.run.url}|${slackEscape(e.run.name)}> (${slackEscape(e.run.id)}) in project ${slackEscape(e.run.project)}`);
  return { text: lines.join('\n') };
}

function ruleText(r: NonNullable<AlertEvent['rule']>): string {
  if (r.op === 'nan' || r.op === 'non-finite') return `${r.metric} ${r.op}`;
  return `${r.metric} ${r.op} ${String(r.value)}`;
}

/** The generic payload: run, project, title, text, level and time (ISO 8601), plus the alert id to de-duplicate retries. */
export function jsonPayload(e: AlertEvent): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: e.id,
    run: { id: e.run.id, name: e.run.name, url: e.run.url },
    project: e.run.project,
    entity: e.run.entity,
    title: e.title,
    text: e.text,
    level: e.level,
    time: new Date(e.time).toISOString(),
    source: 'wandb-experiment-tracker',
  };
  if (e.rule) body['rule'] = e.rule;
  if (e.value !== undefined) body['value'] = e.value;
  if (e.step !== undefined) body['step'] = e.step;
  return body;
}

/** JSON numbers cannot hold NaN/Infinity: those travel as strings, as in the CLI's output. */
export function wireNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}
