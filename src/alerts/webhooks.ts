/**
 * Webhook delivery: POST with bounded retries. A failing webhook costs at most `totalMs`; it never
 * fails the action. Channel names carry the host only: Slack webhook URLs hold a secret in the path.
 */
import { jsonPayload, slackPayload, webhookKind, type AlertEvent, type WebhookKind } from './payloads.js';

export interface Webhook {
  url: URL;
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
    hooks.push({ url, kind, channel: `${kind}:${url.host}#${i + 1}` });
  });
  return { hooks, warnings };
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
    return err.name === 'AbortError' || err.name === 'TimeoutError' ? 'timed out' : `network error (${err.message})`;
  }
  return 'network error';
}

/**
 * Posts an alert to one webhook; retries network errors, timeouts and 408/409/425/429/5xx with
 * exponential backoff and jitter (Retry-After honoured) inside the policy's budget. Never throws.
 * Sends `Idempotency-Key: <alert id>` so a receiver can drop a retry whose first attempt got through.
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
      const res = await fetchFn(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': event.id, 'user-agent': 'wandb-experiment-tracker' },
        body,
        signal: abort.signal,
      });
      // Read the body (bounded by the same timer) so the connection is released.
      await res.arrayBuffer().catch(() => undefined);
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
