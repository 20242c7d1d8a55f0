/**
 * Converting a suggested run config to what W&B's agent hands a run: the `{param: {value: v}}`
 * args form, and command-line flags formatted as the Python agent formats them (`str()` of each
 * value: `True`, `None`, `1e-05`, `['a', 1]`, `{'lr': 0.01}`), per SWEEPS.md section 9.
 */

/** The argv macros of W&B's agent that expand a run's parameters. */
export type ArgsMacro = 'args' | 'args_no_hyphens' | 'args_no_boolean_flags' | 'args_json' | 'args_no_equals';

/**
 * Wraps each top-level value as W&B's run args: `{lr: 0.1, opt: {m: 1}}` → `{lr: {value: 0.1}, opt: {value: {m: 1}}}`.
 */
export function toWandbArgs(config: Record<string, unknown>): Record<string, { value: unknown }> {
  const out: Record<string, { value: unknown }> = {};
  for (const [k, v] of Object.entries(config)) out[k] = { value: v };
  return out;
}

/** Unwraps W&B's run args (`{param: {value: v}}`, extra keys such as `desc` ignored) to plain values. */
export function fromWandbArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && 'value' in v ? (v as { value: unknown }).value : v;
  }
  return out;
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  // JSON numbers cannot tell 3 from 3.0, so whole numbers print as Python ints (a documented gap).
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const fixed = String(x);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

/** Python's `repr()` of a JSON-like value. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pythonFloat(value);
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/** Python's `str()`: like repr, except a top-level string is itself. */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

function jsonString(s: string): string {
  // ensure_ascii=True: every non-ASCII code unit becomes \uXXXX.
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Python's `json.dumps(value)` with its defaults (`', '` and `': '` separators, ensure_ascii, NaN allowed). */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return pythonFloat(value);
  }
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${jsonString(k)}: ${pythonJsonDumps(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return jsonString(String(value));
}

/**
 * The argv elements one of W&B's agent macros expands to, in the config's key order.
 * @example toCommandArgs({lr: 1e-5, opt: {m: 1}}) // ['--lr=1e-05', "--opt={'m': 1}"]
 */
export function toCommandArgs(config: Record<string, unknown>, macro: ArgsMacro = 'args'): string[] {
  const entries = Object.entries(config);
  switch (macro) {
    case 'args':
      return entries.map(([k, v]) => `--${k}=${pythonStr(v)}`);
    case 'args_no_hyphens':
      return entries.map(([k, v]) => `${k}=${pythonStr(v)}`);
    case 'args_no_boolean_flags':
      return entries.flatMap(([k, v]) => (v === true ? [`--${k}`] : v === false ? [] : [`--${k}=${pythonStr(v)}`]));
    case 'args_json':
      return [pythonJsonDumps(config)];
    case 'args_no_equals':
      return entries.flatMap(([k, v]) => [`--${k}`, pythonStr(v)]);
  }
}
