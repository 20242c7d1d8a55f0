/** Response helpers shared by every route: security headers, JSON bodies, coded errors, body limits. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The page may load only its own scripts (no inline ones, no eval: Vega runs with its expression
 * interpreter). Styles allow 'unsafe-inline' because Vega's tooltip and embed inject style elements.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** For files the user logged (HTML media, reports): no script at all, and a sandbox. */
export const FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'";

export function baseHeaders(res: ServerResponse, csp: string = CSP): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** JSON numbers cannot be NaN or ±Infinity; the browser gets null for them. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  baseHeaders(res);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

/** The dashboard's error codes: the skill's names where one fits. */
export type DashboardErrorCode =
  'INVALID_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE' | 'METHOD_NOT_ALLOWED' | 'UNSUPPORTED_MEDIA_TYPE' | 'INTERNAL';

/** A caller mistake an API route answers with a coded JSON error. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: DashboardErrorCode,
    message: string,
    readonly issues?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

export function sendError(res: ServerResponse, err: HttpError): void {
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.issues) error['details'] = { issues: err.issues };
  sendJson(res, err.status, { error });
}

/** Reads a request body up to `limit` bytes; a larger body is refused without reading the rest. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body is over ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body is over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Integer query parameter within [min, max], else the default. */
export function intParam(v: string | null, def: number, min: number, max: number): number {
  if (v === null || !/^-?\d+$/.test(v)) return def;
  return Math.min(max, Math.max(min, Number(v)));
}
