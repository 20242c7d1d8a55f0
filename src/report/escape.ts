/** Escaping of user strings for HTML and Markdown, and safe file names. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Escapes text for Markdown (inline, table cells included): HTML-significant characters become
 * entities (renderers pass raw HTML through), Markdown syntax characters get a backslash, and
 * line breaks become spaces so a value cannot end a table row.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c] ?? c)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/\r?\n|\r/g, ' ');
}

/** A lower-case file-name fragment of `[a-z0-9-]`, at most 40 characters, never empty. */
export function slug(value: string): string {
  const s = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s === '' ? 'x' : s;
}

/** A value shown in a table cell: strings as they are, numbers shortened, the rest as JSON. */
export function displayValue(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && !Array.isArray(v) && typeof (v as { _type?: unknown })._type === 'string') {
    return `[${String((v as { _type: string })._type)}]`;
  }
  const json = JSON.stringify(v) ?? '';
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}
