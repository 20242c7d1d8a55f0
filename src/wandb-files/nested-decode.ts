/**
 * History records with nested keys (W&B's Python client writes `val.acc` as `nested_key: ["val",
 * "acc"]`) read straight from their bytes into the store's line, as nestedRow makes it from decoded
 * items: the line's layout (keys grouped under their head, in first-seen order) is made once for a
 * run of rows with the same paths, and each row copies its values' bytes between its pieces. Plain
 * ASCII keys and plain scalar values only (json-scalar's kinds); anything else answers SLOW.
 */
import type { HistoryRows } from './history-rows.js';
import { OTHER, ROW, SLOW } from './history-decode.js';
import { BIG_NUM, NOT, NUM, PLAIN, TOKEN, copyNumber, numberAt, scalarKind } from './json-scalar.js';
import { layoutPaths } from './nested-row.js';
import { TAG_HISTORY, newItemRanges, recordBody, scanItems, type FieldCursor, type ItemRanges } from './proto-scan.js';
import { keepPaths, matchItems, pathAt, plainKey } from './item-paths.js';

/** A history record without nested keys: the flat decoder's (decodeHistoryRow) to read. */
export const FLAT = 3;

/** The layout of the last nested row, reused while the paths stay the same; scratch for the current one. */
export interface NestedLayout {
  cur: ItemRanges;
  /** The paths the layout was made for (their bytes in `keys`), undefined before the first. */
  paths: ItemRanges | undefined;
  keys: Buffer;
  /** The line's text pieces one after another (piece k ends at pieceEnds[k]), around the values of items slots[0], slots[1], .... */
  pieceBytes: Buffer;
  pieceEnds: Int32Array;
  slots: Int32Array;
  /** Items with the one-segment paths `_step` and `_timestamp` (-1: none). */
  stepItem: number;
  tsItem: number;
  c: FieldCursor;
}

export function newNestedLayout(): NestedLayout {
  return {
    cur: newItemRanges(),
    paths: undefined,
    keys: Buffer.alloc(0),
    pieceBytes: Buffer.alloc(0),
    pieceEnds: new Int32Array(0),
    slots: new Int32Array(0),
    stepItem: -1,
    tsItem: -1,
    c: { v: 0, p: 0, t: 0 },
  };
}

function makeLayout(rec: Uint8Array, r: ItemRanges, l: NestedLayout): boolean {
  l.paths = undefined;
  const segs = (r.segFrom[r.n - 1] as number) + (r.segN[r.n - 1] as number);
  for (let x = 0; x < segs; x++) if (!plainKey(rec, r.segS[x] as number, r.segE[x] as number)) return false;
  const paths: string[][] = [];
  for (let i = 0; i < r.n; i++) paths.push(pathAt(rec, r, i));
  const made = layoutPaths(paths);
  if (made === undefined) return false;
  const kept = keepPaths(rec, r);
  l.paths = kept.ranges;
  l.keys = kept.bytes;
  l.pieceBytes = Buffer.from(made.pieces.join(''), 'latin1');
  let end = 0;
  l.pieceEnds = Int32Array.from(made.pieces, (p) => (end += p.length));
  l.slots = Int32Array.from(made.slots);
  const one = (w: string): number => paths.findIndex((p) => p.length === 1 && p[0] === w);
  l.stepItem = one('_step');
  l.tsItem = one('_timestamp');
  return true;
}

/** Reads one record's bytes (rec[start, end)); appends its row to `rows` (ROW) when it is a history record with nested keys that nestedRow joins. */
export function decodeNestedRow(rec: Uint8Array, rows: HistoryRows, l: NestedLayout, start = 0, end = rec.length): number {
  const c = l.c;
  if (!recordBody(rec, TAG_HISTORY, c, start, end)) return OTHER;
  const r = l.cur;
  // The bulk: the paths of the layout made last (compared as they are read); else scanned and laid out.
  const bs = c.v;
  const be = c.p;
  if (l.paths === undefined || !matchItems(rec, bs, be, true, l.paths, l.keys, r, c)) {
    if (!scanItems(rec, bs, be, true, r, c)) return SLOW;
    if (r.deep === 0) return FLAT;
    if (!makeLayout(rec, r, l)) return SLOW;
  }
  if (l.stepItem < 0) return SLOW;
  const { pieceBytes, pieceEnds, slots } = l;
  let room = pieceBytes.length;
  for (let i = 0; i < r.n; i++) room += Math.max(4, (r.valE[i] as number) - (r.valS[i] as number));
  const rowStart = rows.pos;
  rows.ensure(room);
  const out = rows.buf;
  let o = rowStart;
  let step = NaN;
  let tsStart = -1;
  let tsEnd = -1;
  let tsNow: number | undefined;
  for (let s = 0; s <= slots.length; s++) {
    for (let i = s === 0 ? 0 : (pieceEnds[s - 1] as number); i < (pieceEnds[s] as number); i++) out[o++] = pieceBytes[i] as number;
    if (s === slots.length) break;
    const n = slots[s] as number;
    const vs = r.valS[n] as number;
    const ve = r.valE[n] as number;
    const v0 = o;
    let kind = PLAIN;
    if (vs < 0 || ve === vs) {
      out[o++] = 110; // null
      out[o++] = 117;
      out[o++] = 108;
      out[o++] = 108;
    } else {
      // A number (the bulk) is checked as it is copied; anything else, and `_step` and `_timestamp`
      // (whose kind matters), by scalarKind.
      o = copyNumber(rec, vs, ve, out, o);
      if (o < 0 || n === l.stepItem || n === l.tsItem) {
        kind = scalarKind(rec, vs, ve);
        if (kind === NOT) {
          rows.pos = rowStart;
          return SLOW;
        }
        if (o < 0) {
          o = v0;
          for (let i = vs; i < ve; i++) out[o++] = rec[i] as number;
        }
      }
    }
    if (n === l.stepItem) {
      // nestedRow's numberOf: a number or token; a string or literal leaves the row to the general path.
      if (kind === PLAIN) {
        rows.pos = rowStart;
        return SLOW;
      }
      step = kind === NUM ? numberAt(out, v0, o) : Number(out.toString('latin1', v0, o));
    } else if (n === l.tsItem) {
      tsStart = -1;
      tsNow = undefined;
      if (kind === NUM) {
        tsStart = v0;
        tsEnd = o;
      } else if (kind === BIG_NUM || kind === TOKEN) tsNow = Number(out.toString('latin1', v0, o));
    }
  }
  rows.pos = o;
  rows.commit(step);
  if (tsStart >= 0) rows.noteTimeBytes(tsStart, tsEnd);
  else if (tsNow !== undefined) rows.noteTime(tsNow);
  return ROW;
}
