/**
 * Secret redaction: every string that leaves the W&B client (error messages, details, log lines)
 * passes through a redactor built from the secrets it might contain.
 */
import { redactUrl } from '../redact-url.js';

const BASIC_HEADER = /\bBasic\s+[A-Za-z0-9+/=]{8,}/g;
const REDACTED = '[redacted]';

/** A function that removes the given secrets, their Basic-auth forms, and any `Basic <token>` from text. */
export type Redactor = (text: string) => string;

/** Builds a redactor for an API key (and any other secret strings). */
export function createRedactor(secrets: ReadonlyArray<string | undefined>): Redactor {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    needles.add(secret);
    needles.add(Buffer.from(`api:${secret}`).toString('base64'));
    needles.add(encodeURIComponent(secret));
  }
  // Longest first so a secret that contains another is removed whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const needle of ordered) out = out.split(needle).join(REDACTED);
    return out.replace(BASIC_HEADER, `Basic ${REDACTED}`);
  };
}

/** Redacts every string inside a JSON-like value (used for error details). */
export function redactDeep(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact);
    return out;
  }
  return value;
}

/** The part of a URL that is safe to show: origin and path (secret segments masked), never the query (signed URLs keep their signature there). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return redactUrl(`${u.origin}${u.pathname}`);
  } catch {
    return '[invalid url]';
  }
}
