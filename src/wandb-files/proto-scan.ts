/**
 * Protobuf bytes read by hand for the bulk of a `.wandb` file (history and summary records): varints,
 * the Record wrapper, and the items of a HistoryRecord or SummaryRecord (HistoryItem and SummaryItem
 * share their layout: key 1, nested_key 2, value_json 16) as byte ranges, without message objects.
 */

/** Varint reader state: the value and the position after it (-1 when malformed or past the end). */
export interface Cursor {
  v: number;
  p: number;
}

/** A Cursor that also holds a field's tag (scanItems). */
export interface FieldCursor extends Cursor {
  t: number;
}

export function varint(b: Uint8Array, p: number, end: number, c: Cursor): void {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 8; i++) {
    if (p >= end) break;
    const x = b[p++] as number;
    v += (x & 0x7f) * mul;
    if (x < 0x80) {
      c.v = v;
      c.p = p;
      return;
    }
    mul *= 128;
  }
  c.p = -1;
}

// Field tags (field number << 3 | wire type).
const TAG_NUM = 8; // Record.num, varint
export const TAG_HISTORY = 18; // Record.history (2), bytes
export const TAG_SUMMARY = 26; // Record.summary (3), bytes
const TAG_CONTROL = 130; // Record.control (16), bytes
const TAG_UUID = 154; // Record.uuid (19), bytes
export const TAG_INFO = 1602; // _info (200), bytes, on Record and HistoryRecord
export const TAG_ITEM = 10; // HistoryRecord.item / SummaryRecord.update (1), an item's key (1)
export const TAG_SECOND = 18; // HistoryRecord.step / SummaryRecord.remove (2), an item's nested_key (2)
export const TAG_VALUE = 130; // an item's value_json (16)

/**
 * Where the Record's `want` field (TAG_HISTORY or TAG_SUMMARY) lies: true with c.v its start and c.p
 * its end, when the record holds it once beside num, control, uuid and _info only (false otherwise,
 * or for damaged bytes). The record is rec[start, end) (a file's bytes hold many).
 */
export function recordBody(rec: Uint8Array, want: number, c: Cursor, start = 0, end = rec.length): boolean {
  let hs = -1;
  let he = -1;
  let p = start;
  while (p < end) {
    varint(rec, p, end, c);
    if (c.p < 0) return false;
    const tag = c.v;
    p = c.p;
    if (tag === TAG_NUM) {
      varint(rec, p, end, c);
      if (c.p < 0) return false;
      p = c.p;
      continue;
    }
    if (tag !== want && tag !== TAG_CONTROL && tag !== TAG_UUID && tag !== TAG_INFO) return false;
    varint(rec, p, end, c);
    if (c.p < 0 || c.p + c.v > end) return false;
    if (tag === want) {
      if (hs >= 0) return false;
      hs = c.p;
      he = c.p + c.v;
    }
    p = c.p + c.v;
  }
  if (hs < 0) return false;
  c.v = hs;
  c.p = he;
  return true;
}

/**
 * A record's items as byte ranges: item i's path is segments segFrom[i] .. segFrom[i] + segN[i] - 1
 * (its nested_key, or its key alone when it has none), its value [valS, valE) (-1 when absent).
 */
export interface ItemRanges {
  n: number;
  /** Items with a path of more than one segment. */
  deep: number;
  segFrom: Int32Array;
  segN: Int32Array;
  valS: Int32Array;
  valE: Int32Array;
  segS: Int32Array;
  segE: Int32Array;
}

export function newItemRanges(size = 64): ItemRanges {
  return {
    n: 0,
    deep: 0,
    segFrom: new Int32Array(size),
    segN: new Int32Array(size),
    valS: new Int32Array(size),
    valE: new Int32Array(size),
    segS: new Int32Array(size),
    segE: new Int32Array(size),
  };
}

/**
 * One length-delimited field's header at rec[p]: its tag in c.t, its payload's start in c.p and
 * length in c.v (false: malformed, or the payload passes `end`). One-byte tags and lengths, and
 * value_json's two-byte tag, are read without the general varint loop.
 */
export function field(rec: Uint8Array, p: number, end: number, c: FieldCursor): boolean {
  let tag = rec[p] as number;
  if (tag < 0x80) p++;
  else if (tag === 0x82 && rec[p + 1] === 0x01) {
    tag = TAG_VALUE;
    p += 2;
  } else {
    varint(rec, p, end, c);
    if (c.p < 0) return false;
    tag = c.v;
    p = c.p;
  }
  if (p >= end) return false;
  let len = rec[p] as number;
  if (len < 0x80) p++;
  else {
    varint(rec, p, end, c);
    if (c.p < 0) return false;
    len = c.v;
    p = c.p;
  }
  if (p + len > end) return false;
  c.t = tag;
  c.p = p;
  c.v = len;
  return true;
}

export function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Reads the items of the message at rec[s, e) into `r`: fields TAG_ITEM (items) and TAG_INFO
 * (skipped); TAG_SECOND is skipped when `skipSecond` (a HistoryRecord's step), else it refuses the
 * message (a SummaryRecord's remove). False: another field, or damaged bytes.
 */
export function scanItems(rec: Uint8Array, s: number, e: number, skipSecond: boolean, r: ItemRanges, c: FieldCursor): boolean {
  let n = 0;
  let segs = 0;
  let deep = 0;
  let p = s;
  while (p < e) {
    if (!field(rec, p, e, c)) return false;
    const tag = c.t;
    const is = c.p;
    const ie = c.p + c.v;
    p = ie;
    if (tag === TAG_INFO || (tag === TAG_SECOND && skipSecond)) continue;
    if (tag !== TAG_ITEM) return false;
    if (n === r.segFrom.length) {
      r.segFrom = grown(r.segFrom);
      r.segN = grown(r.segN);
      r.valS = grown(r.valS);
      r.valE = grown(r.valE);
    }
    let ks = is;
    let ke = is;
    let vs = -1;
    let ve = -1;
    const from = segs;
    let q = is;
    while (q < ie) {
      if (!field(rec, q, ie, c)) return false;
      const t = c.t;
      q = c.p + c.v;
      if (t === TAG_ITEM) {
        ks = c.p;
        ke = q;
      } else if (t === TAG_SECOND) {
        if (segs === r.segS.length) {
          r.segS = grown(r.segS);
          r.segE = grown(r.segE);
        }
        r.segS[segs] = c.p;
        r.segE[segs++] = q;
      } else if (t === TAG_VALUE) {
        vs = c.p;
        ve = q;
      } else return false;
    }
    if (segs === from) {
      if (segs === r.segS.length) {
        r.segS = grown(r.segS);
        r.segE = grown(r.segE);
      }
      r.segS[segs] = ks;
      r.segE[segs++] = ke;
    } else if (segs - from > 1) deep++;
    r.segFrom[n] = from;
    r.segN[n] = segs - from;
    r.valS[n] = vs;
    r.valE[n] = ve;
    n++;
  }
  r.n = n;
  r.deep = deep;
  return true;
}
