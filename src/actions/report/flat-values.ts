/**
 * Reading a few top-level numbers out of a history line without JSON.parse. Most history lines are
 * flat objects of numbers (`{"loss":0.5,"acc":0.9,"_step":3,...}`); building a JS object for each
 * of a million lines costs more than the report's charts. Anything not plainly flat (a nested
 * object or array, a key only found with odd spacing, an escaped quote before a key) returns false
 * and the caller parses the line whole, so the result always equals what JSON.parse would give.
 */

const BACKSLASH = 92;
const QUOTE = 34;

/** `"key":` needles for {@link flatValues}; `[x, ...metrics]` order. */
export function needlesFor(keys: readonly string[]): Array<{ needle: string; bare: string }> {
  return keys.map((k) => ({ needle: `${JSON.stringify(k)}:`, bare: JSON.stringify(k) }));
}

/**
 * Fills `out[i]` with the value of key i: a number (NaN/±Infinity included, as W&B's extended JSON
 * writes them), null for a non-number, undefined when absent. False means "parse this line instead".
 */
export function flatValues(line: string, needles: ReadonlyArray<{ needle: string; bare: string }>, out: unknown[]): boolean {
  if (line.charCodeAt(0) !== 123 /* { */ || line.indexOf('{', 1) !== -1 || line.indexOf('[') !== -1) return false;
  for (let k = 0; k < needles.length; k++) {
    const { needle, bare } = needles[k] as { needle: string; bare: string };
    const at = line.indexOf(needle);
    if (at < 0) {
      if (line.indexOf(bare) !== -1) return false; // present but spaced differently, or inside a string
      out[k] = undefined;
      continue;
    }
    if (at > 0 && line.charCodeAt(at - 1) === BACKSLASH) return false;
    const start = at + needle.length;
    const c = line.charCodeAt(start);
    if (c === QUOTE || c === 116 /* t */ || c === 102 /* f */ || c === 110 /* n */) {
      out[k] = null; // a string, true, false or null: not a number
      if (c === QUOTE) return false; // the string may hide a later needle; let JSON.parse decide
      continue;
    }
    let end = start;
    while (end < line.length) {
      const d = line.charCodeAt(end);
      if (d === 44 /* , */ || d === 125 /* } */) break;
      end++;
    }
    const token = line.slice(start, end).trim();
    if (token === '') return false;
    const v = Number(token);
    if (Number.isNaN(v) && token !== 'NaN') return false;
    out[k] = v;
  }
  return true;
}
