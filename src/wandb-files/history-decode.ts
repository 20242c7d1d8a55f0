/**
 * The bulk of any `.wandb` file, history records, read straight from their protobuf bytes into the
 * store's JSON line: no message objects, no per-item strings. It takes the common shape only: a
 * Record holding a HistoryRecord (beside num, control, uuid, _info), whose items have a one-segment
 * key in ASCII and a plain scalar value_json (a number, NaN, ±Infinity, true, false, null, or an
 * ASCII string without escapes), each key once, `_step` a number. Anything else answers SLOW or
 * OTHER and goes through the general decoder, with the same result.
 */
import type { HistoryRows } from './history-rows.js';
import { BIG_NUM, NOT, NUM, TOKEN, copyNumber, isWord, numberAt, scalarKind } from './json-scalar.js';
// HistoryRecord.step and HistoryItem.nested_key share field 2: proto-scan's TAG_SECOND.
import { TAG_HISTORY, TAG_INFO, TAG_ITEM, TAG_SECOND as TAG_STEP, TAG_VALUE, recordBody, varint, type Cursor } from './proto-scan.js';

/** The row was appended to the rows. */
export const ROW = 0;
/** A history record, but its row needs the general path (nothing appended). */
export const SLOW = 1;
/** Not a plain history record (or damaged bytes): decode it whole. */
export const OTHER = 2;

/**
 * Key ranges ([start, end) in the rows' buffer): the previous fast row's (`n` of them, known
 * distinct) and the current row's, two pairs of arrays swapped when a row's keys change.
 */
export interface KeyRanges {
  n: number;
  starts: Int32Array;
  ends: Int32Array;
  curStarts: Int32Array;
  curEnds: Int32Array;
}

export function newKeyRanges(size = 64): KeyRanges {
  return { n: 0, starts: new Int32Array(size), ends: new Int32Array(size), curStarts: new Int32Array(size), curEnds: new Int32Array(size) };
}

function grow(k: KeyRanges): void {
  const size = k.curStarts.length * 2;
  const more = (a: Int32Array): Int32Array => {
    const b = new Int32Array(size);
    b.set(a);
    return b;
  };
  k.starts = more(k.starts);
  k.ends = more(k.ends);
  k.curStarts = more(k.curStarts);
  k.curEnds = more(k.curEnds);
}

// Field tags (field number << 3 | wire type) inside a HistoryRecord.

/** True when b[s1, e1) and b[s2, e2) hold the same bytes (a loop: keys are short, a native call costs more). */
function sameBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let i = 0; i < e1 - s1; i++) if (b[s1 + i] !== b[s2 + i]) return false;
  return true;
}

/** True when the first n key ranges [starts, ends) in `b` are all different. */
function distinct(b: Buffer, starts: Int32Array, ends: Int32Array, n: number): boolean {
  if (n > 32) {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) seen.add(b.toString('latin1', starts[i], ends[i]));
    return seen.size === n;
  }
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) if (sameBytes(b, starts[j] as number, ends[j] as number, starts[i] as number, ends[i] as number)) return false;
  }
  return true;
}

/**
 * Reads one record's bytes (rec[start, end)); when it is a plain history record, appends its row to `rows` (ROW).
 * `prev` holds the last fast row's keys: a row with the same keys in the same order needs no
 * duplicate check.
 */
export function decodeHistoryRow(rec: Uint8Array, rows: HistoryRows, prev: KeyRanges, start = 0, end = rec.length): number {
  const c: Cursor = { v: 0, p: 0 };
  if (!recordBody(rec, TAG_HISTORY, c, start, end)) return OTHER;
  return rowOf(rec, c.v, c.p, rows, prev, c);
}

function rowOf(rec: Uint8Array, hs: number, he: number, rows: HistoryRows, prev: KeyRanges, c: Cursor): number {
  // Room for the line: an item of n bytes (2 at least) writes at most n + 7 (`,"":null` for an empty one).
  const rowStart = rows.pos;
  rows.ensure(5 * (he - hs) + 16);
  const out = rows.buf;
  let o = rowStart;
  let n = 0;
  let same = true;
  let step = -1;
  let tsStart = -1;
  let tsEnd = -1;
  let tsNow: number | undefined;
  let p = hs;
  while (p < he) {
    // Tags and lengths below 128 are one byte (all but value_json's tag, 0x82 0x01).
    let tag = rec[p] as number;
    if (tag < 0x80) p++;
    else {
      varint(rec, p, he, c);
      if (c.p < 0) return OTHER;
      tag = c.v;
      p = c.p;
    }
    if (p >= he) return OTHER;
    let len = rec[p] as number;
    if (len < 0x80) p++;
    else {
      varint(rec, p, he, c);
      if (c.p < 0) return OTHER;
      len = c.v;
      p = c.p;
    }
    const is = p;
    const ie = p + len;
    if (ie > he) return OTHER;
    p = ie;
    if (tag === TAG_STEP || tag === TAG_INFO) continue;
    if (tag !== TAG_ITEM) return SLOW;
    // One item: key (1), nested_key (2, at most one segment), value_json (16).
    let ks = is;
    let ke = is;
    let nested = 0;
    let vs = -1;
    let ve = -1;
    let q = is;
    while (q < ie) {
      let t = rec[q] as number;
      if (t < 0x80) q++;
      else if (t === 0x82 && rec[q + 1] === 0x01) {
        t = TAG_VALUE;
        q += 2;
      } else {
        varint(rec, q, ie, c);
        if (c.p < 0) return OTHER;
        t = c.v;
        q = c.p;
      }
      if (q >= ie) return OTHER;
      let l = rec[q] as number;
      if (l < 0x80) q++;
      else {
        varint(rec, q, ie, c);
        if (c.p < 0) return OTHER;
        l = c.v;
        q = c.p;
      }
      if (q + l > ie) return OTHER;
      if (t === TAG_ITEM) {
        if (nested === 0) {
          ks = q;
          ke = q + l;
        }
      } else if (t === TAG_STEP) {
        if (++nested > 1) return SLOW;
        ks = q;
        ke = q + l;
      } else if (t === TAG_VALUE) {
        vs = q;
        ve = q + l;
      } else return SLOW;
      q += l;
    }
    out[o++] = n === 0 ? 123 : 44; // { or ,
    out[o++] = 34;
    // The key, copied; bytes equal to the previous row's key at this place were checked then.
    const k0 = o;
    const ps = prev.starts[n] as number;
    let eq = same && n < prev.n && (prev.ends[n] as number) - ps === ke - ks;
    for (let i = ks; i < ke; i++) {
      const x = rec[i] as number;
      if (eq && out[ps + i - ks] === x) {
        out[o++] = x;
        continue;
      }
      eq = false;
      if (x < 0x20 || x >= 0x7f || x === 34 || x === 92) return undo(rows, rowStart);
      out[o++] = x;
    }
    const kEnd = o;
    if (!eq) same = false;
    if (n === prev.curStarts.length) grow(prev);
    prev.curStarts[n] = k0;
    prev.curEnds[n] = kEnd;
    n++;
    out[o++] = 34;
    out[o++] = 58; // ":
    if (vs < 0 || ve === vs) {
      vs = o;
      out.write('null', o, 'latin1');
      o += 4;
      ve = o;
    } else {
      // A number (the bulk) is checked as it is copied; anything else is checked, then copied.
      const v0 = o;
      o = copyNumber(rec, vs, ve, out, o);
      if (o < 0) {
        o = v0;
        if (scalarKind(rec, vs, ve) === NOT) return undo(rows, rowStart);
        for (let i = vs; i < ve; i++) out[o++] = rec[i] as number;
      }
      vs = v0;
      ve = o;
    }
    if (kEnd > k0 && out[k0] === 95) {
      // `_step` and `_timestamp`.
      const kind = scalarKind(out, vs, ve);
      if (isWord(out, k0, kEnd, '_step')) {
        if (kind !== NUM && kind !== BIG_NUM && kind !== TOKEN) return undo(rows, rowStart);
        step = kind === TOKEN ? Number(out.toString('latin1', vs, ve)) : numberAt(out, vs, ve);
      } else if (isWord(out, k0, kEnd, '_timestamp')) {
        tsStart = -1;
        tsNow = undefined;
        if (kind === NUM) {
          tsStart = vs;
          tsEnd = ve;
        } else if (kind === BIG_NUM) tsNow = Number(out.toString('latin1', vs, ve));
      }
    }
  }
  if (n === 0 || step === -1) return undo(rows, rowStart);
  if (!same || n !== prev.n) {
    if (!distinct(out, prev.curStarts, prev.curEnds, n)) return undo(rows, rowStart);
    [prev.starts, prev.curStarts] = [prev.curStarts, prev.starts];
    [prev.ends, prev.curEnds] = [prev.curEnds, prev.ends];
    prev.n = n;
  }
  out[o++] = 125; // }
  rows.pos = o;
  rows.commit(step);
  if (tsStart >= 0) rows.noteTimeBytes(tsStart, tsEnd);
  else if (tsNow !== undefined) rows.noteTime(tsNow);
  return ROW;
}

function undo(rows: HistoryRows, rowStart: number): number {
  rows.pos = rowStart;
  return SLOW;
}
