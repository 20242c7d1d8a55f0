/**
 * The one HTTP request function of the W&B client: per-attempt timeout, a status → error-code
 * table, retries with backoff for transient failures, and secrets kept out of every error and log.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { SkillError, type ErrorCode } from '../errors.js';
import { readBoundedText } from '../http-body.js';
import { redactUrl, redactUrlsInText } from '../redact-url.js';
import { isUnreachable, isUnsendable, networkErrorCode } from './network-errors.js';
import { createRedactor, redactDeep, safeUrl, type Redactor } from './redact.js';
import { serverMessage } from './server-message.js';
export { serverMessage } from './server-message.js';

/** Any pino logger (child loggers and custom levels included); only these methods are used. */
export type WandbLogger = Pick<Logger, 'trace' | 'debug' | 'info' | 'warn' | 'error'>;

/** The subset of the global `fetch` the client needs; inject one in tests or for proxies. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Retry policy; every field has a default. */
export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** Backoff base in ms (default 500): delay = min(max, base·2^n)·(1 − jitter·random). */
  initialDelayMs?: number;
  /** Backoff cap in ms (default 30 000). */
  maxDelayMs?: number;
  /** Fraction of the delay removed at random (default 0.25). */
  jitter?: number;
  /** Longest `Retry-After` honoured, in ms (default 60 000, W&B's own backoff cap); longer waits fail at once. */
  maxRetryAfterMs?: number;
  /** Statuses retried besides 5xx (default 408, 409, 429). */
  retryStatuses?: readonly number[];
}

/** Time sources, injectable so tests need not wait. */
export interface HttpTiming {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** Transport settings shared by the GraphQL client, the file stream and uploads. */
export interface HttpTransportOptions extends HttpTiming {
  fetch?: FetchLike;
  /** Per-attempt timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** Overall budget in ms across all attempts and waits (default: none). */
  deadlineMs?: number;
  retry?: RetryOptions | false;
  logger?: WandbLogger;
  signal?: AbortSignal;
}

export interface HttpRequestOptions extends HttpTransportOptions {
  url: string;
  /** A name for errors and logs, e.g. the GraphQL operation name or `file_stream`. */
  operation: string;
  method?: string;
  headers?: Record<string, string>;
  /** A body, or a factory called once per attempt (streams cannot be re-read). */
  body?: string | Uint8Array | (() => NonNullable<RequestInit['body']>);
  /** Strings that must never appear in errors or logs (the API key). */
  secrets?: ReadonlyArray<string | undefined>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
  attempts: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY: Required<RetryOptions> = {
  maxRetries: 4,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  jitter: 0.25,
  maxRetryAfterMs: 60_000,
  retryStatuses: [408, 409, 429],
};

/** The status → code table (the only one in the client). */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'AUTH_FAILED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 408) return 'TIMEOUT';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'BACKEND_UNAVAILABLE';
  if (status >= 400) return 'INVALID_INPUT';
  return 'BACKEND_UNAVAILABLE';
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

/** Exponential backoff with jitter and a cap; `attempt` is 0 for the first retry. */
export function backoffDelay(attempt: number, retry: Required<RetryOptions>, random: () => number): number {
  const raw = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** attempt);
  return Math.max(0, Math.round(raw * (1 - retry.jitter * random())));
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal === undefined ? undefined : { signal });
}

type Attempt =
  | { kind: 'response'; status: number; headers: Headers; body: string }
  | { kind: 'redirect'; status: number; location: string | undefined }
  | { kind: 'network'; error: unknown }
  | { kind: 'timeout' }
  | { kind: 'aborted'; error: unknown };

async function attemptOnce(
  fetchFn: FetchLike,
  options: HttpRequestOptions,
  timeoutMs: number,
): Promise<Attempt> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('attempt timed out'));
  }, timeoutMs);
  const outer = options.signal;
  const onAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  try {
    const body = typeof options.body === 'function' ? options.body() : options.body;
    const init: RequestInit & { duplex?: 'half' } = {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      signal: controller.signal,
      // No redirect is followed: it would send our request somewhere the user never configured.
      redirect: 'manual',
    };
    if (body !== undefined) {
      init.body = body as NonNullable<RequestInit['body']>;
      // Node's fetch needs `duplex` for streamed request bodies.
      if (typeof body === 'object' && body !== null && !(body instanceof Uint8Array)) init.duplex = 'half';
    }
    const res = await fetchFn(options.url, init);
    if (res.redirected || (res.status >= 300 && res.status < 400)) {
      res.body?.cancel().catch(() => undefined);
      const location = res.redirected ? res.url : res.headers.get('location') ?? undefined;
      return { kind: 'redirect', status: res.status, location: location === undefined ? undefined : absolute(location, options.url) };
    }
    // The body is read under the same timer: a server may send headers and then stall. An error
    // body is only quoted in the error, so at most 64 KiB of it is read.
    const text = res.ok ? await res.text() : (await readBoundedText(res)).text;
    return { kind: 'response', status: res.status, headers: res.headers, body: text };
  } catch (error) {
    if (timedOut) return { kind: 'timeout' };
    if (outer?.aborted === true) return { kind: 'aborted', error };
    return { kind: 'network', error };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}

/** A Location header resolved against the request URL (it may be relative). */
function absolute(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function errorLabel(error: unknown): string {
  const code = networkErrorCode(error);
  if (code !== undefined) return code;
  // fetch's own messages may quote the URL (with its credentials).
  return redactUrlsInText(error instanceof Error ? error.message : String(error));
}

function failure(
  redact: Redactor,
  code: ErrorCode,
  message: string,
  details: Record<string, unknown>,
  cause: unknown,
): SkillError {
  return new SkillError(code, redact(message), {
    details: redactDeep(details, redact) as Record<string, unknown>,
    cause,
  });
}

function attemptError(a: Exclude<Attempt, { kind: 'response' }> | (Attempt & { kind: 'response' }), ctx: {
  redact: Redactor;
  operation: string;
  url: string;
  attempts: number;
  timeoutMs: number;
}): SkillError {
  const base = { operation: ctx.operation, url: safeUrl(ctx.url), attempts: ctx.attempts };
  switch (a.kind) {
    case 'redirect':
      return failure(
        ctx.redact,
        'BACKEND_UNAVAILABLE',
        `${ctx.operation}: HTTP ${a.status}: redirect${a.location === undefined ? '' : ` to ${redactUrl(a.location)}`} not followed`,
        { ...base, status: a.status },
        undefined,
      );
    case 'response': {
      const msg = serverMessage(a.body);
      return failure(
        ctx.redact,
        codeForStatus(a.status),
        `${ctx.operation}: HTTP ${a.status}${msg === undefined ? '' : `: ${msg}`}`,
        { ...base, status: a.status },
        undefined,
      );
    }
    case 'timeout':
      return failure(ctx.redact, 'TIMEOUT', `${ctx.operation}: no answer within ${ctx.timeoutMs} ms`, { ...base, timeoutMs: ctx.timeoutMs }, undefined);
    case 'aborted':
      return failure(ctx.redact, 'TIMEOUT', `${ctx.operation}: aborted by the caller`, { ...base, aborted: true }, a.error);
    case 'network':
      return failure(ctx.redact, 'BACKEND_UNAVAILABLE', `${ctx.operation}: network error (${errorLabel(a.error)})`, base, a.error);
  }
}

/**
 * Sends one HTTP request with retries; resolves with any 2xx response, throws `SkillError` otherwise.
 * @example
 * const res = await httpRequest({ url, operation: 'file_stream', method: 'POST', body, headers });
 */
export async function httpRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const retry: Required<RetryOptions> =
    options.retry === false ? { ...DEFAULT_RETRY, maxRetries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets = createRedactor(options.secrets ?? []);
  const redact: Redactor = (text) => redactUrlsInText(secrets(text));
  const started = now();
  const deadlineAt = options.deadlineMs === undefined ? Infinity : started + options.deadlineMs;
  const log = options.logger;

  for (let attempt = 0; ; attempt++) {
    const remaining = deadlineAt - now();
    const attemptTimeout = Math.max(1, Math.min(timeoutMs, remaining));
    const a = await attemptOnce(fetchFn, options, attemptTimeout);
    const ctx = { redact, operation: options.operation, url: options.url, attempts: attempt + 1, timeoutMs: attemptTimeout };
    if (a.kind === 'response' && a.status >= 200 && a.status < 300) {
      return { status: a.status, headers: a.headers, body: a.body, attempts: attempt + 1 };
    }
    const error = attemptError(a, ctx);
    if (a.kind === 'aborted') throw error;
    // A refused connection or an unknown host fails at once: waiting would not change the answer.
    const retryable =
      a.kind === 'response' ? a.status >= 500 || retry.retryStatuses.includes(a.status) : a.kind !== 'redirect' && !(a.kind === 'network' && (isUnreachable(a.error) || isUnsendable(a.error)));
    if (!retryable || attempt >= retry.maxRetries) throw error;

    let wait = backoffDelay(attempt, retry, random);
    if (a.kind === 'response') {
      const after = parseRetryAfter(a.headers.get('retry-after'), now());
      if (after !== undefined) {
        if (after > retry.maxRetryAfterMs) {
          if (error.details !== undefined) error.details['retryAfterMs'] = after;
          throw error;
        }
        wait = after;
      }
    }
    if (now() + wait >= deadlineAt) {
      if (error.details !== undefined) error.details['deadlineMs'] = options.deadlineMs;
      throw error;
    }
    log?.warn(
      redactDeep(
        { operation: options.operation, attempt: attempt + 1, status: a.kind === 'response' ? a.status : a.kind, waitMs: wait },
        redact,
      ) as object,
      'retrying W&B request',
    );
    try {
      await sleep(wait, options.signal);
    } catch (cause) {
      throw failure(redact, 'TIMEOUT', `${options.operation}: aborted by the caller`, { operation: options.operation, aborted: true }, cause);
    }
  }
}
