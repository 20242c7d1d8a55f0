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
 * JSON's number grammar as a table: state * 256 + byte -> next state (0: not a number). States: 1
 * start, 2 after '-', 3 a leading 0, 4 integer digits, 5 after '.', 6 fraction digits, 7 after
 * 'e', 8 after the exponent's sign, 9 exponent digits.
 */
export const NUMBER_DFA = ((): Uint8Array => {
  const t = new Uint8Array(10 * 256);
  const on = (from: number, chars: string, to: number): void => {
    for (const ch of chars) t[from * 256 + ch.charCodeAt(0)] = to;
  };
  const nonZero = '123456789';
  const digit = '0123456789';
  on(1, '-', 2);
  on(1, '0', 3);
  on(1, nonZero, 4);
  on(2, '0', 3);
  on(2, nonZero, 4);
  for (const s of [3, 4]) {
    on(s, '.', 5);
    on(s, 'eE', 7);
  }
  on(4, digit, 4);
  on(5, digit, 6);
  on(6, digit, 6);
  on(6, 'eE', 7);
  on(7, '+-', 8);
  on(7, digit, 9);
  on(8, digit, 9);
  on(9, digit, 9);
  return t;
})();
// The states a number may end in.
export const ACCEPT = Uint8Array.from([0, 0, 0, 1, 1, 0, 1, 0, 0, 1]);
