/**
 * An export's bulk: a stored history line written as W&B's history Record straight into bytes,
 * `{num, history: {item: [{key, value_json}...], step: {num}}}`, the same bytes the generated
 * encoder writes for that message, without the message objects. The line's top-level keys and the
 * exact text of each value are found by a scan of its UTF-8 bytes. A line this scan does not take
 * (escaped keys, whitespace, a step that is not a small whole number) answers undefined, and the
 * caller encodes it the general way.
 */

/** Buffers reused from one record to the next. */
export interface EncodeScratch {
  line: Buffer;
  out: Buffer;
  /** [keyStart, keyEnd, valueStart, valueEnd] per item, in `line`. */
  spans: Int32Array;
}

export function newEncodeScratch(): EncodeScratch {
  return { line: Buffer.allocUnsafe(1 << 16), out: Buffer.allocUnsafe(1 << 16), spans: new Int32Array(1024) };
}

const varlen = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

function putVarint(b: Buffer, o: number, n: number): number {
  while (n >= 0x80) {
    b[o++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  b[o++] = n;
  return o;
}

/** The end (exclusive) of the string literal at `i` (a `"`), or -1. */
function endOfString(b: Buffer, i: number, n: number): number {
  for (let j = i + 1; j < n; j++) {
    const c = b[j] as number;
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return -1;
}

/** The end (exclusive) of the value at `i`: the `,` or `}` closing it at depth 0, or -1. */
function endOfValue(b: Buffer, i: number, n: number): number {
  let depth = 0;
  for (let j = i; j < n; j++) {
    const c = b[j] as number;
    if (c === 34) {
      j = endOfString(b, j, n);
      if (j < 0) return -1;
      j--;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) return j;
      depth--;
    } else if (c === 44 && depth === 0) return j;
    else if (c === 32 || c === 9 || c === 10 || c === 13) return -1;
  }
  return -1;
}

/** The line's items as spans (count), or -1 when the scan does not take it. */
function scanLine(s: EncodeScratch, n: number): number {
  const b = s.line;
  if (b[0] !== 123 || b[n - 1] !== 125) return -1;
  if (n === 2) return 0;
  let count = 0;
  let i = 1;
  for (;;) {
    if (b[i] !== 34) return -1;
    const ks = i + 1;
    let ke = ks;
    while (ke < n && b[ke] !== 34) {
      if (b[ke] === 92) return -1;
      ke++;
    }
    if (b[ke + 1] !== 58) return -1;
    const vs = ke + 2;
    const ve = endOfValue(b, vs, n);
    if (ve < 0 || ve === vs) return -1;
    if ((count + 1) * 4 > s.spans.length) {
      const more = new Int32Array(s.spans.length * 2);
      more.set(s.spans);
      s.spans = more;
    }
    const sp = s.spans;
    sp[count * 4] = ks;
    sp[count * 4 + 1] = ke;
    sp[count * 4 + 2] = vs;
    sp[count * 4 + 3] = ve;
    count++;
    if (b[ve] === 125) return ve === n - 1 ? count : -1;
    i = ve + 1;
  }
}

/** An item's size: key (field 1, left out when empty, as proto3 leaves default values out) and value_json (field 16). */
const itemSize = (kl: number, vl: number): number => (kl === 0 ? 0 : 1 + varlen(kl) + kl) + 2 + varlen(vl) + vl;

/** The Record's bytes (a view of the scratch's buffer, valid until the next call), or undefined. */
export function encodeHistoryLine(s: EncodeScratch, line: string, step: number, num: number): Buffer | undefined {
  if (!Number.isSafeInteger(step) || step < 0 || !Number.isSafeInteger(num) || num < 1 || step >= 2 ** 35 || num >= 2 ** 35) return undefined;
  if (s.line.length < line.length * 3) s.line = Buffer.allocUnsafe(line.length * 3);
  const n = s.line.write(line, 0, 'utf8');
  const count = scanLine(s, n);
  if (count < 0) return undefined;
  const sp = s.spans;
  let hist = 0;
  for (let k = 0; k < count; k++) {
    const kl = (sp[k * 4 + 1] as number) - (sp[k * 4] as number);
    const vl = (sp[k * 4 + 3] as number) - (sp[k * 4 + 2] as number);
    const item = itemSize(kl, vl);
    hist += 1 + varlen(item) + item;
  }
  const stepMsg = step === 0 ? 0 : 1 + varlen(step);
  hist += 2 + stepMsg;
  const total = 1 + varlen(num) + 1 + varlen(hist) + hist;
  if (s.out.length < total) s.out = Buffer.allocUnsafe(Math.max(total, s.out.length * 2));
  const out = s.out;
  const b = s.line;
  out[0] = 8;
  let o = putVarint(out, 1, num);
  out[o++] = 18;
  o = putVarint(out, o, hist);
  for (let k = 0; k < count; k++) {
    const ks = sp[k * 4] as number;
    const ke = sp[k * 4 + 1] as number;
    const vs = sp[k * 4 + 2] as number;
    const ve = sp[k * 4 + 3] as number;
    out[o++] = 10;
    o = putVarint(out, o, itemSize(ke - ks, ve - vs));
    if (ke > ks) {
      out[o++] = 10;
      o = putVarint(out, o, ke - ks);
      for (let i = ks; i < ke; i++) out[o++] = b[i] as number;
    }
    out[o++] = 0x82;
    out[o++] = 0x01;
    o = putVarint(out, o, ve - vs);
    for (let i = vs; i < ve; i++) out[o++] = b[i] as number;
  }
  out[o++] = 18;
  o = putVarint(out, o, stepMsg);
  if (step !== 0) {
    out[o++] = 8;
    o = putVarint(out, o, step);
  }
  return out.subarray(0, o);
}
