/**
 * JSON as the CLI writes it: NaN and ±Infinity (valid metric values) become the strings "NaN",
 * "Infinity", "-Infinity" instead of JSON.stringify's silent null, so a result still validates.
 */
export function strictJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}
