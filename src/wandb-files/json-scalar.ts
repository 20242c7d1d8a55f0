/**
 * JSON scalars checked on their bytes, for the fast history decoder: which kind a value_json is
 * (records.ts's SCALAR pattern, with ASCII-only strings), and JSON's number grammar as a table a
 * copy loop can step through byte by byte.
 */

/** Bytes equal to an ASCII word. */
export function isWord(b: Uint8Array, s: number, e: number, w: string): boolean {
  if (e - s !== w.length) return false;
  for (let i = 0; i < w.length; i++) if (b[s + i] !== w.charCodeAt(i)) return false;
  return true;
}

function digits(b: Uint8Array, p: number, e: number): number {
  while (p < e && (b[p] as number) >= 48 && (b[p] as number) <= 57) p++;
  return p;
}

// What a scalar's bytes are: not plain, a plain number literal (and whether its exponent is large),
// a bare non-finite token, or another plain scalar (string, true, false, null).
export const NOT = 0;
export const NUM = 1;
export const BIG_NUM = 2;
export const TOKEN = 3;
export const PLAIN = 4;

/** The kind of the JSON scalar in b[s, e) (as records.ts's SCALAR pattern, with ASCII-only strings). */
export function scalarKind(b: Uint8Array, s: number, e: number): number {
  const c = b[s] as number;
  if (c === 34) {
    if (e - s < 2 || b[e - 1] !== 34) return NOT;
    for (let p = s + 1; p < e - 1; p++) {
      const x = b[p] as number;
      if (x < 0x20 || x >= 0x80 || x === 34 || x === 92) return NOT;
    }
    return PLAIN;
  }
  if (c === 78) return isWord(b, s, e, 'NaN') ? TOKEN : NOT;
  if (c === 73) return isWord(b, s, e, 'Infinity') ? TOKEN : NOT;
  if (c === 116) return isWord(b, s, e, 'true') ? PLAIN : NOT;
  if (c === 102) return isWord(b, s, e, 'false') ? PLAIN : NOT;
  if (c === 110) return isWord(b, s, e, 'null') ? PLAIN : NOT;
  let p = s;
  if (c === 45) {
    p++;
    if (b[p] === 73) return isWord(b, p, e, 'Infinity') ? TOKEN : NOT;
  }
  if (p >= e) return NOT;
  if (b[p] === 48) p++;
  else {
    const q = digits(b, p, e);
    if (q === p || b[p] === 48) return NOT;
    p = q;
  }
  if (p < e && b[p] === 46) {
    const q = digits(b, p + 1, e);
    if (q === p + 1) return NOT;
    p = q;
  }
  let big = p - s > 300;
  if (p < e && (b[p] === 101 || b[p] === 69)) {
    p++;
    if (p < e && (b[p] === 43 || b[p] === 45)) p++;
    const q = digits(b, p, e);
    if (q === p) return NOT;
    if (q - p > 2) big = true;
    p = q;
  }
  if (p !== e) return NOT;
  return big ? BIG_NUM : NUM;
}

/** The number a plain number literal stands for (digits only: summed here; else parsed). */
export function numberAt(b: Buffer, s: number, e: number): number {
  let n = 0;
  for (let p = s; p < e; p++) {
    const x = (b[p] as number) - 48;
    if (x < 0 || x > 9 || e - s > 15) return Number(b.toString('latin1', s, e));
    n = n * 10 + x;
  }
  return n;
}

/**
 * Copies the JSON number literal src[s, e) to out at o, checking it as it goes (JSON's grammar:
 * `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`). Returns the position after the copy, or
 * -1 when the bytes are no number literal (what was copied is then garbage for the caller to drop).
 * `out` has room for e - s bytes at o.
 */
export function copyNumber(src: Uint8Array, s: number, e: number, out: Uint8Array, o: number): number {
  let i = s;
  let x = src[i] as number;
  if (x === 45) {
    out[o++] = 45;
    if (++i >= e) return -1;
    x = src[i] as number;
  }
  if (x === 48) {
    out[o++] = 48;
    i++;
  } else if (x >= 49 && x <= 57) {
    out[o++] = x;
    // Digits run to the first other byte: src.length is not e, so stop at e too.
    while (++i < e && (x = src[i] as number) >= 48 && x <= 57) out[o++] = x;
  } else return -1;
  if (i < e && src[i] === 46) {
    out[o++] = 46;
    const d = ++i;
    while (i < e && (x = src[i] as number) >= 48 && x <= 57) {
      out[o++] = x;
      i++;
    }
    if (i === d) return -1;
  }
  if (i < e && ((x = src[i] as number) === 101 || x === 69)) {
    out[o++] = x;
    if (++i < e && ((x = src[i] as number) === 43 || x === 45)) {
      out[o++] = x;
      i++;
    }
    const d = i;
    while (i < e && (x = src[i] as number) >= 48 && x <= 57) {
      out[o++] = x;
      i++;
    }
    if (i === d) return -1;
  }
  return i === e ? o : -1;
}
