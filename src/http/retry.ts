/**
 * Retry policy of every outbound HTTP call (W&B client, webhooks): which answers are worth another
 * attempt, how long to wait before it, and how long a server may ask us to wait. Pure: no I/O.
 */

/** A retry policy; every field has a default chosen by the caller (see `resolveRetry`). */
export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Backoff base in ms: delay = min(max, base·2^n)·(1 − jitter·random). */
  initialDelayMs?: number;
  /** Backoff cap in ms. */
  maxDelayMs?: number;
  /** Fraction of the delay removed at random (0 = none, 0.5 = up to half). */
  jitter?: number;
  /** Longest `Retry-After` honoured, in ms; a server asking for more fails the call at once. */
  maxRetryAfterMs?: number;
  /** Statuses retried besides 5xx. */
  retryStatuses?: readonly number[];
}

/** A policy with every field set. */
export type RetryPolicy = Required<RetryOptions>;

/**
 * Retry policies per outbound caller, as `SkillOptions.retry` takes them: each field overrides the
 * caller's default; `false` turns retries off.
 * @example createSkillRunner({ retry: { wandb: { maxRetries: 8 }, webhooks: false } })
 */
export interface HttpRetrySettings {
  /** The W&B client (GraphQL, file stream, uploads); default 4 retries, 0.5–30 s backoff, Retry-After up to 60 s. */
  wandb?: RetryOptions | false;
  /** Alert webhooks; default 3 retries, 0.2–2 s backoff, Retry-After up to 60 s, all inside a 6 s budget. */
  webhooks?: RetryOptions | false;
}

/** The caller's defaults with `options` laid over them; `false` means no retry at all. */
export function resolveRetry(defaults: RetryPolicy, options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...defaults, maxRetries: 0 };
  const set = Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) as RetryOptions;
  return { ...defaults, ...set };
}

/** Whether an HTTP status is worth another attempt: 5xx, or one the policy lists (408, 409, 429, ...). */
export function isRetryableStatus(status: number, retry: RetryPolicy): boolean {
  return status >= 500 || retry.retryStatuses.includes(status);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Exponential backoff with jitter and a cap; `attempt` is 0 for the first retry, `random` in [0, 1]. */
export function backoffDelay(attempt: number, retry: RetryPolicy, random: () => number): number {
  const raw = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** attempt);
  return Math.max(0, Math.round(raw * (1 - retry.jitter * random())));
}
