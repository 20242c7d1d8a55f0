/**
 * The paths of a record's items (as proto-scan's scanItems reads them) beyond their ranges: read
 * again and compared with the paths of a record seen before (a run's rows and summary records repeat
 * their keys), kept after that record is gone, and read as strings.
 */
import { TAG_INFO, TAG_ITEM, TAG_SECOND, TAG_VALUE, field, grown, newItemRanges, type FieldCursor, type ItemRanges } from './proto-scan.js';

/**
 * Reads the items of the message at rec[s, e) (as scanItems) when their paths are those of `k`
 * (bytes in `kb`), in the same order: true with r.n = k.n and their values' ranges in r.valS and
 * r.valE. Compares as it reads, so a record of another shape fails at its first differing byte.
 * False: other paths, another field, or damaged bytes (r's ranges then mean nothing).
 */
export function matchItems(rec: Uint8Array, s: number, e: number, skipSecond: boolean, k: ItemRanges, kb: Uint8Array, r: ItemRanges, c: FieldCursor): boolean {
  const want = k.n;
  while (r.valS.length < want) {
    r.valS = grown(r.valS);
    r.valE = grown(r.valE);
  }
  let n = 0;
  let p = s;
  while (p < e) {
    if (!field(rec, p, e, c)) return false;
    const tag = c.t;
    const is = c.p;
    const ie = c.p + c.v;
    p = ie;
    if (tag === TAG_INFO || (tag === TAG_SECOND && skipSecond)) continue;
    if (tag !== TAG_ITEM || n === want) return false;
    const from = k.segFrom[n] as number;
    const segN = k.segN[n] as number;
    let ks = -1;
    let ke = -1;
    let vs = -1;
    let ve = -1;
    let segs = 0;
    let q = is;
    while (q < ie) {
      if (!field(rec, q, ie, c)) return false;
      const t = c.t;
      const fs = c.p;
      q = fs + c.v;
      if (t === TAG_ITEM) {
        ks = fs;
        ke = q;
      } else if (t === TAG_SECOND) {
        if (segs === segN || !sameRange(rec, fs, q, kb, k.segS[from + segs] as number, k.segE[from + segs] as number)) return false;
        segs++;
      } else if (t === TAG_VALUE) {
        vs = fs;
        ve = q;
      } else return false;
    }
    if (segs === 0) {
      // No nested_key: the path is the key alone (an empty one when absent).
      if (segN !== 1) return false;
      if (ks < 0) ks = ke = is;
      if (!sameRange(rec, ks, ke, kb, k.segS[from] as number, k.segE[from] as number)) return false;
    } else if (segs !== segN) return false;
    r.valS[n] = vs;
    r.valE[n] = ve;
    n++;
  }
  if (n !== want) return false;
  r.n = n;
  return true;
}

/** True when a[as, ae) and b[bs, be) hold the same bytes. */
function sameRange(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let y = 0; y < ae - as; y++) if (a[as + y] !== b[bs + y]) return false;
  return true;
}

/** True when every byte of rec[s, e) is printable ASCII other than `"` and `\` (a key JSON writes as it is). */
export function plainKey(rec: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const x = rec[i] as number;
    if (x < 0x20 || x >= 0x7f || x === 34 || x === 92) return false;
  }
  return true;
}

/** Item i's path as strings (latin1: callers check the bytes are plain ASCII first). */
export function pathAt(rec: Uint8Array, r: ItemRanges, i: number): string[] {
  const out: string[] = [];
  const from = r.segFrom[i] as number;
  const b = Buffer.from(rec.buffer, rec.byteOffset, rec.length);
  for (let x = 0; x < (r.segN[i] as number); x++) out.push(b.toString('latin1', r.segS[from + x], r.segE[from + x]));
  return out;
}

/**
 * A copy of the items' paths (their bytes and ranges), to compare later records with after `rec`
 * is gone. Values are not kept.
 */
export function keepPaths(rec: Uint8Array, r: ItemRanges): { bytes: Buffer; ranges: ItemRanges } {
  let size = 0;
  const segs = r.n === 0 ? 0 : (r.segFrom[r.n - 1] as number) + (r.segN[r.n - 1] as number);
  for (let x = 0; x < segs; x++) size += (r.segE[x] as number) - (r.segS[x] as number);
  const bytes = Buffer.allocUnsafe(size);
  const k = newItemRanges(Math.max(1, r.n, segs));
  let o = 0;
  for (let x = 0; x < segs; x++) {
    const s = r.segS[x] as number;
    const e = r.segE[x] as number;
    for (let y = s; y < e; y++) bytes[o + y - s] = rec[y] as number;
    k.segS[x] = o;
    o += e - s;
    k.segE[x] = o;
  }
  k.segFrom.set(r.segFrom.subarray(0, r.n));
  k.segN.set(r.segN.subarray(0, r.n));
  k.n = r.n;
  k.deep = r.deep;
  return { bytes, ranges: k };
}
