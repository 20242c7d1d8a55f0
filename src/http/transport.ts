/**
 * The one outbound HTTP transport: one attempt under a timer, and the retry loop around it. Callers
 * (the W&B client, webhooks) bring their policy and turn the final attempt into their own error or
 * outcome; nothing here logs, and nothing here knows a status → error table.
 */
import { realSleep } from '../sleep.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry.js';

/** The subset of the global `fetch` the transport needs; inject one in tests or for proxies. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Time sources, injectable so tests need not wait. */
export interface HttpTiming {
  /** Waits `ms`; should end early (rejecting) when `signal` aborts. Default: `realSleep`. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock of the budget, in ms (default `Date.now`). */
  now?: () => number;
  /** The wall clock `Retry-After` dates are read against (default `now`, else `Date.now`). */
  dateNow?: () => number;
  /** A number in [0, 1] for the jitter. */
  random?: () => number;
}

/** What one request is. */
export interface OutboundRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** A body, or a factory called once per attempt (streams cannot be re-read). */
  body?: string | Uint8Array | (() => NonNullable<RequestInit['body']>);
  /** Reads the answer's body (under the attempt's timer): in full, or a bounded part. */
  read: (res: Response) => Promise<string>;
  /** The caller's own abort (a deadline of a whole sync): ends attempts and waits. */
  signal?: AbortSignal | undefined;
}

/** How hard one caller tries. */
export interface SendPolicy extends HttpTiming {
  fetch: FetchLike;
  retry: RetryPolicy;
  /** Per-attempt timeout in ms. */
  timeoutMs: number;
  /** Budget in ms for all attempts and waits (default: none). */
  deadlineMs?: number | undefined;
  /** Whether a network error is worth another attempt (default: every one). */
  retryNetworkError?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to log the retry. */
  onRetry?: (info: { attempt: Attempt; attempts: number; waitMs: number }) => void;
}

/** How one attempt ended. */
export type Attempt =
  | { kind: 'response'; status: number; headers: Headers; body: string }
  /** A 3xx answer, or (`followed`) an injected fetch that followed one anyway. */
  | { kind: 'redirect'; status: number; location: string | undefined; followed: boolean }
  | { kind: 'network'; error: unknown }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'aborted'; error: unknown };

/** The last attempt and why there was no other: success, a final answer, a refused wait, the budget, or an abort during a wait. */
export interface SendResult {
  attempt: Attempt;
  attempts: number;
  ok: boolean;
  stop?: { reason: 'retry-after'; retryAfterMs: number } | { reason: 'deadline' } | { reason: 'wait-aborted'; cause: unknown };
}

/** A Location header resolved against the request URL (it may be relative). */
function absolute(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

/** One attempt under a timer of `timeoutMs`; never throws. Redirects are never followed. */
export async function attemptOnce(fetchFn: FetchLike, req: OutboundRequest, timeoutMs: number): Promise<Attempt> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('attempt timed out'));
  }, timeoutMs);
  const outer = req.signal;
  const onAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  try {
    const body = typeof req.body === 'function' ? req.body() : req.body;
    const init: RequestInit & { duplex?: 'half' } = {
      method: req.method,
      headers: req.headers,
      signal: controller.signal,
      // No redirect is followed: it would send our request somewhere the user never configured.
      redirect: 'manual',
    };
    if (body !== undefined) {
      init.body = body as NonNullable<RequestInit['body']>;
      // Node's fetch needs `duplex` for streamed request bodies.
      if (typeof body === 'object' && body !== null && !(body instanceof Uint8Array)) init.duplex = 'half';
    }
    const res = await fetchFn(req.url, init);
    // An injected fetch may follow redirects anyway: a response that was redirected is refused too.
    if (res.redirected || (res.status >= 300 && res.status < 400)) {
      res.body?.cancel().catch(() => undefined);
      const location = res.redirected ? res.url : (res.headers.get('location') ?? undefined);
      return { kind: 'redirect', status: res.status, location: location === undefined ? undefined : absolute(location, req.url), followed: res.redirected };
    }
    // The body is read under the same timer: a server may send headers and then stall.
    const text = await req.read(res);
    return { kind: 'response', status: res.status, headers: res.headers, body: text };
  } catch (error) {
    if (timedOut) return { kind: 'timeout', timeoutMs };
    if (outer?.aborted === true) return { kind: 'aborted', error };
    return { kind: 'network', error };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}

function retryable(a: Attempt, policy: SendPolicy): boolean {
  if (a.kind === 'response') return isRetryableStatus(a.status, policy.retry);
  if (a.kind === 'network') return policy.retryNetworkError?.(a.error) ?? true;
  return a.kind === 'timeout';
}

/**
 * Sends `req` until a 2xx answer, a final failure, or the policy's end: retries only 5xx, the
 * policy's statuses, timeouts and (as the policy says) network errors, waiting exponential backoff
 * with jitter, or `Retry-After` when the server names one within `maxRetryAfterMs`. Never throws.
 * @example
 * const r = await sendWithRetries(req, { fetch, retry, timeoutMs: 30_000 });
 * if (!r.ok) throw toError(r.attempt);
 */
export async function sendWithRetries(req: OutboundRequest, policy: SendPolicy): Promise<SendResult> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? realSleep;
  const random = policy.random ?? Math.random;
  const dateNow = policy.dateNow ?? now;
  const deadlineAt = policy.deadlineMs === undefined ? Infinity : now() + policy.deadlineMs;
  for (let n = 0; ; n++) {
    const attemptTimeout = Math.max(1, Math.min(policy.timeoutMs, deadlineAt - now()));
    const attempt = await attemptOnce(policy.fetch, req, attemptTimeout);
    const attempts = n + 1;
    if (attempt.kind === 'response' && attempt.status >= 200 && attempt.status < 300) return { attempt, attempts, ok: true };
    if (attempt.kind === 'aborted' || !retryable(attempt, policy) || n >= policy.retry.maxRetries) return { attempt, attempts, ok: false };
    let waitMs = backoffDelay(n, policy.retry, random);
    if (attempt.kind === 'response') {
      const after = parseRetryAfter(attempt.headers.get('retry-after'), dateNow());
      if (after !== undefined) {
        // Waiting less than the server asked would only be refused again.
        if (after > policy.retry.maxRetryAfterMs) return { attempt, attempts, ok: false, stop: { reason: 'retry-after', retryAfterMs: after } };
        waitMs = after;
      }
    }
    if (now() + waitMs >= deadlineAt) return { attempt, attempts, ok: false, stop: { reason: 'deadline' } };
    policy.onRetry?.({ attempt, attempts, waitMs });
    try {
      await sleep(waitMs, req.signal);
    } catch (cause) {
      return { attempt, attempts, ok: false, stop: { reason: 'wait-aborted', cause } };
    }
  }
}
