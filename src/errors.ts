/**
 * The one error class of the project and the closed set of codes it carries.
 * `toErrorPayload` is the single place where a thrown value becomes the output's `error`.
 */

/** Every code an output's `error.code` may hold; the output schema's enum is this list (checked by a test). */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
  'CONFLICT',
  'UNSUPPORTED',
  'AUTH_FAILED',
  'RATE_LIMITED',
  'BACKEND_UNAVAILABLE',
  'TIMEOUT',
  'STORE_BUSY',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorIssue {
  path: string;
  message: string;
}

export interface ErrorDetails {
  issues?: ErrorIssue[];
  [key: string]: unknown;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export interface SkillErrorOptions {
  details?: ErrorDetails;
  cause?: unknown;
}

/** A failure with a code from `ERROR_CODES`; `cause` is always kept for logs. */
export class SkillError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, options: SkillErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SkillError';
    this.code = code;
    this.details = options.details;
  }
}

/** Shorthand for an INVALID_INPUT error that names the offending field. */
export function invalidInput(path: string, message: string, extra: ErrorDetails = {}): SkillError {
  return new SkillError('INVALID_INPUT', `${path}: ${message}`, { details: { ...extra, issues: [{ path, message }] } });
}

function sqliteCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Turns anything thrown into a SkillError; unknown throws become INTERNAL with the cause kept. */
export function normalizeError(err: unknown): SkillError {
  if (err instanceof SkillError) return err;
  const code = sqliteCode(err);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new SkillError('STORE_BUSY', 'the local store stayed locked by another writer; try again', { cause: err });
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new SkillError('INTERNAL', 'the disk holding the local store is full', { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SkillError('INTERNAL', `internal error: ${message}`, { cause: err });
}

/** The JSON shape of an error in an output. */
export function toErrorPayload(err: unknown): ErrorPayload {
  const e = normalizeError(err);
  const payload: ErrorPayload = { code: e.code, message: e.message };
  if (e.details !== undefined) payload.details = e.details;
  return payload;
}
