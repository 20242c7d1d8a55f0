/**
 * Classifying failed requests: which network errors mean the server cannot be reached at all, so
 * the client fails at once (and the runner remembers it briefly) instead of retrying until the deadline.
 */

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_FAIL']);

/** The system error code of a failed fetch (`fetch failed` wraps it in `cause`), if any. */
export function networkErrorCode(error: unknown): string | undefined {
  const cause = error !== null && typeof error === 'object' ? (error as { cause?: unknown }).cause : undefined;
  for (const e of [cause, error]) {
    if (e === null || typeof e !== 'object') continue;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner)) {
      const first = inner
        .map((x: unknown) => (x !== null && typeof x === 'object' ? (x as { code?: unknown }).code : undefined))
        .find((c) => typeof c === 'string');
      if (typeof first === 'string') return first;
    }
  }
  return undefined;
}

/** Whether a failed request means the server refuses or cannot be found (fail fast, remember briefly). */
export function isUnreachable(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code !== undefined && UNREACHABLE_CODES.has(code);
}

/**
 * Whether fetch refused to make the request at all: a URL it cannot use (credentials in it, a
 * port it blocks). Trying again cannot succeed, so the client fails at once.
 */
export function isUnsendable(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  // Only these: a body cut mid-read (`terminated`) is a TypeError too, and worth another try.
  if (/cannot be constructed|Failed to parse URL/.test(error.message)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message === 'bad port';
}
