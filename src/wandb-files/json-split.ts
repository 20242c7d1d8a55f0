/**
 * Splits a stored history line (a JSON object, extended with bare NaN/±Infinity) into its top-level
 * keys and the exact text of each value, without parsing the values: an export writes that text as
 * W&B's `value_json` as it is.
 */
import { parseExtended, stringifyExtended } from '../json/extended-json.js';

const isWs = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** The end (exclusive) of the string literal starting at `i` (a `"`). */
function endOfString(s: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const c = s.charCodeAt(j);
    if (c === 92) j += 2;
    else if (c === 34) return j + 1;
    else if (Number.isNaN(c)) throw new SyntaxError('unterminated string');
    else j++;
  }
}

/** The end (exclusive) of the value starting at `i`: up to the `,` or `}` that closes it at depth 0. */
function endOfValue(s: string, i: number): number {
  let depth = 0;
  let j = i;
  for (;;) {
    const c = s.charCodeAt(j);
    if (Number.isNaN(c)) throw new SyntaxError('unterminated value');
    if (c === 34) {
      j = endOfString(s, j);
      continue;
    }
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) return j;
      depth--;
    } else if (c === 44 && depth === 0) return j;
    j++;
  }
}

/** True when `v` (text between a `:` and the next `,` or `}`) is a scalar our writer puts there. */
function isScalar(v: string): boolean {
  const c = v.charCodeAt(0);
  if ((c >= 48 && c <= 57) || (c === 45 && v.charCodeAt(1) >= 48 && v.charCodeAt(1) <= 57)) {
    // A number: digits, sign, point and exponent only.
    for (let j = 1; j < v.length; j++) {
      const d = v.charCodeAt(j);
      if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) return false;
    }
    return true;
  }
  return v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === 'true' || v === 'false' || v === 'null';
}

/**
 * Entries of a line whose values are all scalars and whose strings have no escapes (the common row
 * of numbers), scanned with indexOf; undefined when it has another shape (the general splitter
 * below takes it then).
 */
function flatItems(line: string): Array<{ key: string; value_json: string }> | undefined {
  if (line.charCodeAt(0) !== 123) return undefined;
  const out: Array<{ key: string; value_json: string }> = [];
  let i = 1;
  if (line.charCodeAt(i) === 125) return i + 1 === line.length ? out : undefined;
  for (;;) {
    if (line.charCodeAt(i) !== 34) return undefined;
    const kEnd = line.indexOf('"', i + 1);
    if (kEnd < 0 || line.charCodeAt(kEnd + 1) !== 58) return undefined;
    const key = line.slice(i + 1, kEnd);
    if (key.includes('\\')) return undefined;
    const v0 = kEnd + 2;
    let v1: number;
    if (line.charCodeAt(v0) === 34) {
      v1 = line.indexOf('"', v0 + 1) + 1;
      if (v1 === 0 || line.slice(v0, v1).includes('\\')) return undefined;
    } else {
      v1 = v0;
      for (let c = line.charCodeAt(v1); c !== 44 && c !== 125; c = line.charCodeAt(v1)) {
        if (Number.isNaN(c)) return undefined;
        v1++;
      }
      if (!isScalar(line.slice(v0, v1))) return undefined;
    }
    out.push({ key, value_json: line.slice(v0, v1) });
    const sep = line.charCodeAt(v1);
    if (sep === 125) return v1 + 1 === line.length ? out : undefined;
    if (sep !== 44) return undefined;
    i = v1 + 1;
  }
}

/** `[{key, value_json}]` of a line's top-level entries; a line this cannot split is parsed instead. */
export function itemsOfLine(line: string): Array<{ key: string; value_json: string }> {
  const flat = flatItems(line);
  if (flat !== undefined) return flat;
  try {
    const out: Array<{ key: string; value_json: string }> = [];
    let i = 0;
    while (isWs(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i) !== 123) throw new SyntaxError('not an object');
    i++;
    for (;;) {
      while (isWs(line.charCodeAt(i))) i++;
      if (line.charCodeAt(i) === 125) return out;
      if (line.charCodeAt(i) !== 34) throw new SyntaxError('expected a key');
      const kEnd = endOfString(line, i);
      const raw = line.slice(i + 1, kEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(line.slice(i, kEnd)) as string) : raw;
      i = kEnd;
      while (isWs(line.charCodeAt(i))) i++;
      if (line.charCodeAt(i) !== 58) throw new SyntaxError('expected :');
      i++;
      while (isWs(line.charCodeAt(i))) i++;
      const vEnd = endOfValue(line, i);
      let vStop = vEnd;
      while (vStop > i && isWs(line.charCodeAt(vStop - 1))) vStop--;
      out.push({ key, value_json: line.slice(i, vStop) });
      i = vEnd;
      if (line.charCodeAt(i) === 44) i++;
    }
  } catch {
    const row = parseExtended(line) as Record<string, unknown>;
    return Object.keys(row).map((key) => ({ key, value_json: stringifyExtended(row[key]) }));
  }
}
