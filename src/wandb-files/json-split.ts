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

// One `"key":scalar` entry and its separator (sticky): the common row of numbers, split by the regex engine.
const FLAT_ENTRY = /"((?:[^"\\]|\\.)*)":(-?\d[\d.eE+-]*|NaN|-?Infinity|true|false|null|"(?:[^"\\]|\\.)*")([,}])/y;

/** Entries of a line whose values are all scalars, or undefined when it has another shape. */
function flatItems(line: string): Array<{ key: string; value_json: string }> | undefined {
  if (line.charCodeAt(0) !== 123) return undefined;
  const out: Array<{ key: string; value_json: string }> = [];
  FLAT_ENTRY.lastIndex = 1;
  for (;;) {
    const m = FLAT_ENTRY.exec(line);
    if (m === null) return undefined;
    const raw = m[1] as string;
    out.push({ key: raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw, value_json: m[2] as string });
    if (m[3] === '}') return FLAT_ENTRY.lastIndex === line.length ? out : undefined;
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
