/**
 * The one HTTP request function of the W&B client: the shared transport (src/http/) with W&B's
 * policy, a status → error-code table, and secrets kept out of every error and log.
 */
import type { Logger } from 'pino';
import { SkillError, type ErrorCode } from '../errors.js';
import { readBoundedText } from '../http-body.js';
import { resolveRetry, type RetryOptions, type RetryPolicy } from '../http/retry.js';
import { sendWithRetries, type Attempt, type FetchLike, type HttpTiming } from '../http/transport.js';
import { redactUrl, redactUrlsInText } from '../redact-url.js';
import { isUnreachable, isUnsendable, networkErrorCode } from './network-errors.js';
import { createRedactor, redactDeep, safeUrl, type Redactor } from './redact.js';
import { serverMessage } from './server-message.js';
export { serverMessage } from './server-message.js';

/** Any pino logger (child loggers and custom levels included); only these methods are used. */
export type WandbLogger = Pick<Logger, 'trace' | 'debug' | 'info' | 'warn' | 'error'>;

// The transport and its retry policy live in src/http/; re-exported for the client's users.
export type { FetchLike, HttpTiming } from '../http/transport.js';
export type { RetryOptions } from '../http/retry.js';
export { backoffDelay, parseRetryAfter } from '../http/retry.js';

/** Transport settings shared by the GraphQL client, the file stream and uploads. */
export interface HttpTransportOptions extends HttpTiming {
  fetch?: FetchLike;
  /** Per-attempt timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** Overall budget in ms across all attempts and waits (default: none). */
  deadlineMs?: number;
  /** Overrides of `WANDB_RETRY` (`SkillOptions.retry.wandb` reaches here); `false`: one attempt only. */
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
/** W&B's retry policy: 4 retries, 0.5–30 s backoff, `Retry-After` honoured up to 60 s (W&B's own backoff cap). */
export const WANDB_RETRY: RetryPolicy = {
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

function errorLabel(error: unknown): string {
  const code = networkErrorCode(error);
  if (code !== undefined) return code;
  // fetch's own messages may quote the URL (with its credentials).
  return redactUrlsInText(error instanceof Error ? error.message : String(error));
}

function failure(redact: Redactor, code: ErrorCode, message: string, details: Record<string, unknown>, cause: unknown): SkillError {
  return new SkillError(code, redact(message), {
    details: redactDeep(details, redact) as Record<string, unknown>,
    cause,
  });
}

/** The error of a failed last attempt; messages and details pass through the redactor. */
function attemptError(a: Attempt, ctx: { redact: Redactor; operation: string; url: string; attempts: number }): SkillError {
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
      return failure(ctx.redact, 'TIMEOUT', `${ctx.operation}: no answer within ${a.timeoutMs} ms`, { ...base, timeoutMs: a.timeoutMs }, undefined);
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
  const secrets = createRedactor(options.secrets ?? []);
  const redact: Redactor = (text) => redactUrlsInText(secrets(text));
  const log = options.logger;
  const result = await sendWithRetries(
    {
      url: options.url,
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      ...(options.body !== undefined ? { body: options.body } : {}),
      // An error body is only quoted in the error, so at most 64 KiB of it is read.
      read: async (res) => (res.ok ? res.text() : (await readBoundedText(res)).text),
      signal: options.signal,
    },
    {
      fetch: options.fetch ?? ((url, init) => fetch(url, init)),
      retry: resolveRetry(WANDB_RETRY, options.retry),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      deadlineMs: options.deadlineMs,
      ...(options.now !== undefined ? { now: options.now } : {}),
      ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
      ...(options.random !== undefined ? { random: options.random } : {}),
      // A refused connection or an unknown host fails at once: waiting would not change the answer.
      retryNetworkError: (error) => !isUnreachable(error) && !isUnsendable(error),
      onRetry: ({ attempt, attempts, waitMs }) =>
        log?.warn(
          redactDeep(
            { operation: options.operation, attempt: attempts, status: attempt.kind === 'response' ? attempt.status : attempt.kind, waitMs },
            redact,
          ) as object,
          'retrying W&B request',
        ),
    },
  );
  const a = result.attempt;
  if (result.ok && a.kind === 'response') return { status: a.status, headers: a.headers, body: a.body, attempts: result.attempts };
  const stop = result.stop;
  if (stop?.reason === 'wait-aborted') {
    throw failure(redact, 'TIMEOUT', `${options.operation}: aborted by the caller`, { operation: options.operation, aborted: true }, stop.cause);
  }
  const error = attemptError(a, { redact, operation: options.operation, url: options.url, attempts: result.attempts });
  if (stop?.reason === 'retry-after' && error.details !== undefined) error.details['retryAfterMs'] = stop.retryAfterMs;
  if (stop?.reason === 'deadline' && error.details !== undefined) error.details['deadlineMs'] = options.deadlineMs;
  throw error;
}
