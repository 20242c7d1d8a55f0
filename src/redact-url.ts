/**
 * URL redaction, the one place that decides what of a URL may be shown: every URL we print, log or
 * store (webhook errors, W&B client errors, log lines, the alerts tables) passes through here.
 * It imports nothing, so both the alerts and the W&B client can use it.
 */

const MASK = '***';

/**
 * Path segments after which every segment is a secret: Slack (`/services/T…/B…/<token>`), Discord
 * (`/api/webhooks/<id>/<token>`), Mattermost and Zapier (`/hooks/…`), Teams (`/webhookb2/…`).
 */
const HOOK_MARKERS = new Set(['services', 'hooks', 'webhook', 'webhooks', 'webhookb2', 'incomingwebhook', 'triggers', 'catch']);

/** A URL in free text: a scheme, `://` and everything up to white space, a quote or a backslash (a JSON escape). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s"'<>`\\]+/gi;
/** Punctuation that ends a sentence or closes a bracket around a URL rather than belonging to it. */
const TRAILING = /[).,;:!\]}]+$/;

/** A segment that looks like a token rather than a name: long, made of token characters, mixing classes. */
function looksRandom(segment: string): boolean {
  if (segment.length < 16 || !/^[A-Za-z0-9_\-.~%+=]+$/.test(segment)) return false;
  if (segment.length >= 32 && /\d/.test(segment)) return true;
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((r) => r.test(segment)).length;
  return classes >= 2 && /\d/.test(segment);
}

function redactPath(path: string): string {
  let afterMarker = false;
  return path
    .split('/')
    .map((segment) => {
      if (segment === '') return segment;
      if (afterMarker || looksRandom(segment)) return MASK;
      if (HOOK_MARKERS.has(segment.toLowerCase())) afterMarker = true;
      return segment;
    })
    .join('/');
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      if (pair === '') return pair;
      const eq = pair.indexOf('=');
      // A bare `?<token>` is all value.
      return eq < 0 ? MASK : `${pair.slice(0, eq)}=${MASK}`;
    })
    .join('&');
}

/**
 * The URL with its secrets masked: userinfo, every query value, the fragment, and path segments
 * that are hook tokens or look random. Works on text that does not parse as a URL too.
 * @example redactUrl('https://u:p@h/services/T0/B0/XYZ?token=t') // 'https://***@h/services/***\/***\/***?token=***'
 */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/is.exec(url);
  if (m === null) return url;
  const [, scheme = '', authority = '', path = '', query, fragment] = m;
  const at = authority.lastIndexOf('@');
  const host = at < 0 ? authority : `${MASK}@${authority.slice(at + 1)}`;
  let out = `${scheme}${host}${redactPath(path)}`;
  if (query !== undefined) out += `?${redactQuery(query.slice(1))}`;
  if (fragment !== undefined && fragment.length > 1) out += `#${MASK}`;
  return out;
}

/** Text with every URL in it redacted (error messages of fetch and of servers echo the URL). */
export function redactUrlsInText(text: string): string {
  return text.replace(URL_IN_TEXT, (found) => {
    const tail = TRAILING.exec(found)?.[0] ?? '';
    return redactUrl(found.slice(0, found.length - tail.length)) + tail;
  });
}
