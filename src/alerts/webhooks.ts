/**
 * Webhook delivery: POST with bounded retries. A failing webhook costs at most `totalMs`; it never
 * fails the action. Channel names carry the host only: Slack webhook URLs hold a secret in the path,
 * and every error passes through the URL redactor.
 */
import { readBoundedText } from '../http-body.js';
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

/** How hard a delivery tries. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Per-attempt timeout. */
  attemptTimeoutMs: number;
  /** Budget for all attempts and waits of one channel. */
  totalMs: number;
  /** First backoff; doubles per retry, with jitter, capped by `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic clock for the budget (ms). */
  clock?: () => number;
}

/**
 * Four attempts within six seconds: a webhook that answers 500 three times then 200 gets the alert
 * once, and a hung one delays the call by six seconds at most.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, attemptTimeoutMs: 2500, totalMs: 6000, baseDelayMs: 200, maxDelayMs: 2000 };

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
  const entries = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
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

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Status codes worth another attempt (as the W&B client: timeouts, conflicts, rate limits, server errors). */
function retryable(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

function retryAfterMs(res: Response): number | undefined {
  const h = res.headers.get('retry-after');
  if (h === null) return undefined;
  const secs = Number(h);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
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
function redirectError(res: Response, hook: Webhook): string {
  if (res.redirected) return `redirected to ${redactUrl(res.url)}: redirects are not followed`;
  const location = res.headers.get('location');
  let target = '';
  if (location !== null) {
    try {
      target = ` to ${redactUrl(new URL(location, hook.url).href)}`;
    } catch {
      target = '';
    }
  }
  return `HTTP ${res.status}: redirect${target} not followed`;
}

/**
 * Posts an alert to one webhook; retries network errors, timeouts and 408/409/425/429/5xx with
 * exponential backoff and jitter (Retry-After honoured) inside the policy's budget. Never throws.
 * Sends `Idempotency-Key: <alert id>` so a receiver can drop a retry whose first attempt got through.
 * Redirects are not followed (a 3xx is a failed delivery: the alert must not land on another host),
 * and at most 64 KiB of the answer is read.
 */
export async function postWebhook(
  fetchFn: typeof fetch,
  hook: Webhook,
  event: AlertEvent,
  policy: RetryPolicy = DEFAULT_RETRY,
  random: (max: number) => number = (m) => Math.floor(Math.random() * m),
): Promise<DeliveryOutcome> {
  const sleep = policy.sleep ?? defaultSleep;
  const clock = policy.clock ?? (() => performance.now());
  const deadline = clock() + policy.totalMs;
  const body = JSON.stringify(hook.kind === 'slack' ? slackPayload(event) : jsonPayload(event));
  let last: DeliveryOutcome = { channel: hook.channel, ok: false, attempts: 0, error: 'not attempted' };
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    const remaining = deadline - clock();
    if (remaining <= 0) break;
    const timeout = Math.min(policy.attemptTimeoutMs, remaining);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeout);
    let wait: number | undefined;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': event.id, 'user-agent': 'wandb-experiment-tracker' };
      if (hook.authorization !== undefined) headers['authorization'] = hook.authorization;
      const res = await fetchFn(hook.url, { method: 'POST', headers, body, signal: abort.signal, redirect: 'manual' });
      // Read a bounded part of the answer (under the same timer) and drop the rest.
      await readBoundedText(res).catch(() => undefined);
      // An injected fetch may follow redirects anyway: a response that was redirected is refused too.
      if (res.redirected || (res.status >= 300 && res.status < 400)) return { channel: hook.channel, ok: false, attempts: attempt, status: res.status, error: redirectError(res, hook) };
      if (res.ok) return { channel: hook.channel, ok: true, attempts: attempt, status: res.status };
      last = { channel: hook.channel, ok: false, attempts: attempt, status: res.status, error: `HTTP ${res.status}` };
      if (!retryable(res.status)) return last;
      wait = retryAfterMs(res);
    } catch (err) {
      last = { channel: hook.channel, ok: false, attempts: attempt, error: abort.signal.aborted ? `timed out after ${Math.round(timeout)} ms` : describe(err) };
    } finally {
      clearTimeout(timer);
    }
    if (attempt === policy.attempts) break;
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    const delay = wait ?? backoff * (0.5 + random(1000) / 2000);
    if (clock() + delay >= deadline) break;
    await sleep(delay);
  }
  if (last.attempts > 1 && last.error !== undefined) last.error = `${last.error} (after ${last.attempts} attempts)`;
  return last;
}
