/**
 * Webhook delivery: POST with bounded retries. A failing webhook costs at most `totalMs`; it never
 * fails the action. Channel names carry the host only: Slack webhook URLs hold a secret in the path,
 * and every error passes through the URL redactor.
 */
import { readBoundedText } from '../http-body.js';
import { resolveRetry, type RetryOptions, type RetryPolicy } from '../http/retry.js';
import { sendWithRetries, type Attempt, type FetchLike } from '../http/transport.js';
import { redactUrl, redactUrlsInText } from '../redact-url.js';
import { jsonPayload, slackPayload, webhookKind, type AlertEvent, type WebhookKind } from './payloads.js';

export interface Webhook {
  /** Where to POST, without userinfo (fetch refuses URLs that carry credentials). */
  url: URL;
  /** `Basic …` from the URL's userinfo, sent as a header instead. */
  authorization?: string;
  kind: WebhookKind;
  /** `slack:hooks.slack.com#1`, `webhook:example.org#2`: kind, host, position in the list. */
  channel: string;
}

/** How hard one delivery tries: the shared retry policy (`WEBHOOK_RETRY`) inside a time budget. */
export interface DeliveryBudget {
  /** Overrides of `WEBHOOK_RETRY` (`SkillOptions.retry.webhooks` reaches here); `false`: one attempt only. */
  retry?: RetryOptions | false;
  /** Per-attempt timeout. */
  attemptTimeoutMs: number;
  /** Budget for all attempts and waits of one channel. */
  totalMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic clock for the budget (ms). */
  clock?: () => number;
}

/**
 * Four attempts, 0.2–2 s apart (as the W&B client: timeouts, conflicts, rate limits, server errors,
 * and 425 Too Early); a `Retry-After` over 60 s ends the delivery rather than being waited for.
 */
export const WEBHOOK_RETRY: RetryPolicy = {
  maxRetries: 3,
  initialDelayMs: 200,
  maxDelayMs: 2000,
  jitter: 0.5,
  maxRetryAfterMs: 60_000,
  retryStatuses: [408, 409, 425, 429],
};

/**
 * Within six seconds: a webhook that answers 500 three times then 200 gets the alert once, and a
 * hung one delays the call by six seconds at most.
 */
export const DEFAULT_RETRY: DeliveryBudget = { attemptTimeoutMs: 2500, totalMs: 6000 };

export interface DeliveryOutcome {
  channel: string;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

/** Parses WANDB_SKILL_ALERT_WEBHOOKS (comma-separated URLs); bad entries become warnings, never errors. */
export function parseWebhooks(value: string | undefined): { hooks: Webhook[]; warnings: string[] } {
  const hooks: Webhook[] = [];
  const warnings: string[] = [];
  if (value === undefined) return { hooks, warnings };
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  entries.forEach((raw, i) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      warnings.push(`WANDB_SKILL_ALERT_WEBHOOKS: entry ${i + 1} is not a URL; skipped`);
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      warnings.push(`WANDB_SKILL_ALERT_WEBHOOKS: entry ${i + 1} is not http(s); skipped`);
      return;
    }
    const kind = webhookKind(url);
    const hook: Webhook = { url, kind, channel: `${kind}:${url.host}#${i + 1}` };
    if (url.username !== '' || url.password !== '') {
      const user = safeDecode(url.username);
      const pass = safeDecode(url.password);
      hook.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    hooks.push(hook);
  });
  return { hooks, warnings };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return `network error (${cause.code})`;
    // fetch's own messages may quote the URL: redacted like every URL we show.
    return err.name === 'AbortError' || err.name === 'TimeoutError' ? 'timed out' : `network error (${redactUrlsInText(err.message)})`;
  }
  return 'network error';
}

/** A 3xx answer, named with where it pointed (redacted): a webhook that moved must be reconfigured. */
function redirectError(a: Extract<Attempt, { kind: 'redirect' }>): string {
  if (a.followed) return `redirected to ${redactUrl(a.location ?? '')}: redirects are not followed`;
  const { status, location } = a;
  return `HTTP ${status}: redirect${location === undefined ? '' : ` to ${redactUrl(location)}`} not followed`;
}

/** The outcome of a failed last attempt. */
function failedOutcome(a: Attempt, attempts: number, hook: Webhook): DeliveryOutcome {
  const out: DeliveryOutcome = { channel: hook.channel, ok: false, attempts };
  if (a.kind === 'response') return { ...out, status: a.status, error: `HTTP ${a.status}` };
  if (a.kind === 'redirect') return { ...out, status: a.status, error: redirectError(a) };
  if (a.kind === 'timeout') return { ...out, error: `timed out after ${Math.round(a.timeoutMs)} ms` };
  return { ...out, error: describe(a.error) };
}

/**
 * Posts an alert to one webhook through the shared transport; retries network errors, timeouts and
 * 408/409/425/429/5xx with exponential backoff and jitter (Retry-After honoured up to its cap) inside
 * the policy's budget. Never throws.
 * Sends `Idempotency-Key: <alert id>` so a receiver can drop a retry whose first attempt got through.
 * Redirects are not followed (a 3xx is a failed delivery: the alert must not land on another host),
 * and at most 64 KiB of the answer is read.
 */
export async function postWebhook(
  fetchFn: typeof fetch,
  hook: Webhook,
  event: AlertEvent,
  policy: DeliveryBudget = DEFAULT_RETRY,
  random: (max: number) => number = (m) => Math.floor(Math.random() * m),
): Promise<DeliveryOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': event.id, 'user-agent': 'wandb-experiment-tracker' };
  if (hook.authorization !== undefined) headers['authorization'] = hook.authorization;
  const result = await sendWithRetries(
    {
      url: hook.url.href,
      method: 'POST',
      headers,
      body: JSON.stringify(hook.kind === 'slack' ? slackPayload(event) : jsonPayload(event)),
      // A bounded part of the answer is read (under the attempt's timer) and dropped; a failed read still counts the status.
      read: (res) =>
        readBoundedText(res).then(
          () => '',
          () => '',
        ),
    },
    {
      fetch: fetchFn as FetchLike,
      retry: resolveRetry(WEBHOOK_RETRY, policy.retry),
      timeoutMs: policy.attemptTimeoutMs,
      deadlineMs: policy.totalMs,
      now: policy.clock ?? (() => performance.now()),
      dateNow: Date.now,
      // 1 − random(1000)/1000: the jitter draws as before (delay · (0.5 + random(1000)/2000)).
      random: () => 1 - random(1000) / 1000,
      ...(policy.sleep !== undefined ? { sleep: policy.sleep } : {}),
    },
  );
  if (result.ok) return { channel: hook.channel, ok: true, attempts: result.attempts, status: (result.attempt as { status: number }).status };
  const last = failedOutcome(result.attempt, result.attempts, hook);
  if (last.attempts > 1 && last.error !== undefined) last.error = `${last.error} (after ${last.attempts} attempts)`;
  return last;
}
