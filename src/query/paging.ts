/**
 * Bounded answers: a byte budget for the `query` object and opaque cursors to continue. A cursor
 * carries a position and a fingerprint of the query it belongs to, so a cursor reused with other
 * filters is refused instead of silently reading the wrong page.
 */
import { invalidInput } from '../errors.js';
import { stringifyExtended } from '../json/extended-json.js';

/** The default budget of a `query` object, in bytes of JSON (an agent's context, not a file transfer). */
export const DEFAULT_MAX_BYTES = 65_536;

/** Where a page starts: an offset (runs, collections) or a history seq, and an inner position (a run's summary keys). */
export interface Position {
  offset: number;
}

/** FNV-1a over the text: a cheap fingerprint (not a secret: cursors only need to tell queries apart). */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** What identifies a query for its cursors: every field but the cursor, the page size and the budget. */
export function queryFingerprint(parts: unknown): string {
  return fingerprint(JSON.stringify(parts));
}

export function encodeCursor(fp: string, position: Position): string {
  return Buffer.from(JSON.stringify({ v: 1, q: fp, o: position.offset })).toString('base64url');
}

/** The position a cursor names; INVALID_INPUT when it is malformed or belongs to another query. */
export function decodeCursor(cursor: string | undefined, fp: string): Position {
  if (cursor === undefined) return { offset: 0 };
  const at = 'queryConfig.cursor';
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidInput(at, 'malformed cursor: pass `query.cursor` of a previous answer unchanged');
  }
  const p = parsed as { v?: unknown; q?: unknown; o?: unknown };
  if (typeof p !== 'object' || p === null || p.v !== 1 || typeof p.q !== 'string' || !Number.isSafeInteger(p.o) || (p.o as number) < 0) {
    throw invalidInput(at, 'malformed cursor: pass `query.cursor` of a previous answer unchanged');
  }
  if (p.q !== fp) throw invalidInput(at, 'this cursor belongs to another query: keep the other queryConfig fields as they were');
  return { offset: p.o as number };
}

/** Bytes of a value as the output's JSON (extended JSON: NaN and Infinity as W&B writes them). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(stringifyExtended(value), 'utf8');
}

/**
 * The longest prefix of `items` whose JSON fits in `room` bytes (at least one item when `atLeastOne`,
 * so a page always moves on; that item is then cut by the caller if it alone is too big).
 */
export function fitItems<T>(items: readonly T[], room: number, atLeastOne = true): { items: T[]; bytes: number } {
  const out: T[] = [];
  let bytes = 2;
  for (const item of items) {
    const size = jsonBytes(item) + (out.length > 0 ? 1 : 0);
    if (bytes + size > room && !(atLeastOne && out.length === 0)) break;
    out.push(item);
    bytes += size;
  }
  return { items: out, bytes };
}

/**
 * An object cut to `room` bytes by dropping its largest values last-first: keys are kept in
 * their order while they fit, and the omitted count says how many were left out.
 */
export function fitObject(obj: Record<string, unknown>, room: number): { value: Record<string, unknown>; omitted: number } {
  const keys = Object.keys(obj);
  if (jsonBytes(obj) <= room) return { value: obj, omitted: 0 };
  const out: Record<string, unknown> = {};
  let bytes = 2;
  let omitted = 0;
  for (const k of keys) {
    const size = jsonBytes(k) + 1 + jsonBytes(obj[k]) + 1;
    if (bytes + size > room) {
      omitted += 1;
      continue;
    }
    out[k] = obj[k];
    bytes += size;
  }
  return { value: out, omitted };
}

/**
 * One item cut to `room` bytes: its `fields`, in order, clipped (text), cut key by key (objects)
 * or item by item (arrays). `omitted` says what was left out per field (characters, keys or items).
 */
export function shrinkToFit(
  item: Record<string, unknown>,
  room: number,
  fields: readonly string[],
): { value: Record<string, unknown>; omitted: Record<string, number> } {
  const out = { ...item };
  const omitted: Record<string, number> = {};
  for (const field of fields) {
    const size = jsonBytes(out);
    if (size <= room) break;
    const v = out[field];
    const over = size - room;
    if (typeof v === 'string') {
      const keep = Math.max(0, v.length - over - 8);
      out[field] = v.slice(0, keep);
      omitted[field] = v.length - keep;
    } else if (Array.isArray(v)) {
      const kept = fitItems(v, Math.max(2, jsonBytes(v) - over), false).items;
      out[field] = kept;
      if (kept.length < v.length) omitted[field] = v.length - kept.length;
    } else if (v !== null && typeof v === 'object') {
      const fit = fitObject(v as Record<string, unknown>, Math.max(2, jsonBytes(v) - over));
      out[field] = fit.value;
      if (fit.omitted > 0) omitted[field] = fit.omitted;
    }
  }
  return { value: out, omitted };
}

/**
 * One page of items within `room` bytes; at least one item, so a cursor always moves on: a single
 * item bigger than the room is cut (its `shrink` fields first) and says what it lost in `omitted`.
 */
export function fitPage(
  items: Array<Record<string, unknown>>,
  room: number,
  shrink: readonly string[],
): { shown: Array<Record<string, unknown>>; cut: boolean } {
  const shown = fitItems(items, room).items;
  let cut = shown.length < items.length;
  const first = shown[0];
  if (shown.length === 1 && first !== undefined && jsonBytes(first) > room) {
    const { value, omitted } = shrinkToFit(first, room - 80, shrink);
    shown[0] = Object.keys(omitted).length > 0 ? { ...value, omitted } : value;
    cut = true;
  }
  return { shown, cut };
}
