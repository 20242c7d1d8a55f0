/**
 * JSON for agents, as the CLI and the MCP server write it: strictly valid, so NaN and ±Infinity (valid
 * metric values) become the strings "NaN", "Infinity", "-Infinity" instead of JSON.stringify's silent
 * null, and a result still validates against the output schema.
 */
export function toStrictJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), indent);
}
