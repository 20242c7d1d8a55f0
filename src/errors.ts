/**
 * The one error class of the project and the closed set of codes it carries.
 * `toErrorPayload` is the single place where a thrown value becomes the output's `error`.
 */

import type { SkillOutput } from './contract/types.generated.js';

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
  /** How many issues an output left out (an error document stays under 16 KiB). */
  issuesOmitted?: number;
  /** The details keys an output left out for size. */
  detailsOmitted?: string[];
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
  /** The whole output of the failed call, when the error comes back from one (the tracker's methods). */
  output?: SkillOutput;
}

/** A failure with a code from `ERROR_CODES`; `cause` is always kept for logs. */
export class SkillError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  /** The failed call's output (with its `warnings` and `mode`), when the error comes back from a call. */
  readonly output: SkillOutput | undefined;

  constructor(code: ErrorCode, message: string, options: SkillErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SkillError';
    this.code = code;
    this.details = options.details;
    this.output = options.output;
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

/** An error document (the whole output JSON) stays under this many bytes, whatever the input held. */
export const MAX_ERROR_DOCUMENT_BYTES = 16 * 1024;
/** The `error` object's own budget: the rest of the document (status, action, mode, warnings) fits beside it. */
const ERROR_PAYLOAD_BYTES = 12 * 1024;
const MESSAGE_CHARS = 1000;
const ISSUE_PATH_CHARS = 200;
const ISSUE_MESSAGE_CHARS = 300;
const MAX_ISSUES = 20;
const ISSUES_BYTES = 8 * 1024;
const DETAIL_STRING_CHARS = 500;
const DETAIL_ITEMS = 20;
const DETAIL_DEPTH = 4;

/**
 * `text` cut to at most `max` characters (plus a note of how many were left out), never splitting a
 * surrogate pair: errors and warnings echo the caller's input, which may be megabytes long.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 40);
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${text.slice(0, end)}\u2026 (${text.length - end} more characters)`;
}

function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

// A details value with every string, list and object bounded (JSON-safe: bigint and functions become text).
function capDetail(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return clipText(value, DETAIL_STRING_CHARS);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return value === undefined ? null : clipText(String(value), DETAIL_STRING_CHARS);
  if (depth >= DETAIL_DEPTH) return '\u2026';
  if (Array.isArray(value)) {
    const items = value.slice(0, DETAIL_ITEMS).map((v) => capDetail(v, depth + 1));
    if (value.length > DETAIL_ITEMS) items.push(`\u2026 ${value.length - DETAIL_ITEMS} more`);
    return items;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(value)) {
    if (n++ >= DETAIL_ITEMS) {
      out['\u2026'] = `${Object.keys(value).length - DETAIL_ITEMS} more keys`;
      break;
    }
    out[clipText(k, ISSUE_PATH_CHARS)] = capDetail(v, depth + 1);
  }
  return out;
}

/**
 * Bounds an error's echoed text: the message, each issue's path and message, the number of issues
 * and every details value; says what was left out (`issuesOmitted`, `detailsOmitted`), so the whole
 * error document stays under MAX_ERROR_DOCUMENT_BYTES.
 */
function capPayload(code: ErrorCode, message: string, details: ErrorDetails | undefined): ErrorPayload {
  const payload: ErrorPayload = { code, message: clipText(message, MESSAGE_CHARS) };
  if (details === undefined) return payload;
  const out: ErrorDetails = {};
  const all = Array.isArray(details.issues) ? details.issues : undefined;
  let issues = all
    ?.slice(0, MAX_ISSUES)
    .map((i) => ({ path: clipText(String(i.path), ISSUE_PATH_CHARS), message: clipText(String(i.message), ISSUE_MESSAGE_CHARS) }));
  for (const [k, v] of Object.entries(details)) if (k !== 'issues') out[clipText(k, ISSUE_PATH_CHARS)] = capDetail(v, 1);
  if (issues !== undefined) out.issues = issues;
  payload.details = out;
  // Over budget: issues keep at most ISSUES_BYTES; then the largest details values go first, saying so.
  while (issues !== undefined && issues.length > 1 && byteSize(issues) > ISSUES_BYTES) {
    issues = issues.slice(0, Math.floor(issues.length / 2));
    out.issues = issues;
  }
  const omitted: string[] = [];
  const extra = Object.keys(out)
    .filter((k) => k !== 'issues')
    .sort((a, b) => byteSize(out[b]) - byteSize(out[a]));
  while (byteSize(payload) > ERROR_PAYLOAD_BYTES && extra.length > 0) {
    const k = extra.shift() as string;
    delete out[k];
    omitted.push(k);
    out.detailsOmitted = omitted;
  }
  // A message of escaped characters (6 bytes each in JSON) can still leave too little room: fewer issues.
  while (issues !== undefined && issues.length > 1 && byteSize(payload) > ERROR_PAYLOAD_BYTES) {
    issues = issues.slice(0, Math.floor(issues.length / 2));
    out.issues = issues;
  }
  if (all !== undefined && issues !== undefined && issues.length < all.length) out.issuesOmitted = all.length - issues.length;
  return payload;
}

/** The JSON shape of an error in an output, its echoed text bounded (see capPayload). */
export function toErrorPayload(err: unknown): ErrorPayload {
  const e = normalizeError(err);
  return capPayload(e.code, e.message, e.details);
}

/**
 * Warnings bounded like errors' text: each at most `maxChars`, and the list at most `maxBytes` of
 * JSON, the rest counted in a last warning (a warning may quote the caller's input).
 */
export function capWarnings(warnings: readonly string[], maxChars: number, maxBytes: number): string[] {
  const out: string[] = [];
  let bytes = 2;
  for (let i = 0; i < warnings.length; i++) {
    const w = clipText(warnings[i] as string, maxChars);
    const size = byteSize(w) + 1;
    if (bytes + size > maxBytes - 48) {
      out.push(`${warnings.length - i} more warning(s) left out`);
      break;
    }
    out.push(w);
    bytes += size;
  }
  return out;
}
