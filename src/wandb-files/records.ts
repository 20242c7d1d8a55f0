/**
 * W&B's protobuf records (generated from proto/ by scripts/gen-proto.mjs) and the small conversions
 * between their items (`key` or `nested_key` path plus `value_json`) and our plain objects.
 */
import $protobuf from 'protobufjs/minimal.js';
import { wandb_internal } from './gen/wandb-proto.js';
import { parseExtended, stringifyExtended } from '../json/extended-json.js';

export const W = wandb_internal;
export type WRecord = wandb_internal.Record;

/** An int64 field: a Long when protobufjs has `long`, else a number. */
export function toNumber(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** One item's key path: `key` alone, or the `nested_key` segments. */
export function itemPath(item: { key?: string | null; nested_key?: string[] | null }): string[] {
  const nested = item.nested_key;
  if (nested && nested.length > 0) return nested;
  return [item.key ?? ''];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-property assignment (a key named `__proto__` must not change a prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** Sets `value` at `path` in `target`, making (or copying) the objects on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i] as string;
    const next = Object.hasOwn(node, k) ? node[k] : undefined;
    const obj = isPlainObject(next) ? { ...next } : {};
    setOwn(node, k, obj);
    node = obj;
  }
  setOwn(node, path[path.length - 1] as string, value);
}

/** Removes the value at `path`, if there is one. */
export function deletePath(target: Record<string, unknown>, path: readonly string[]): void {
  let node: unknown = target;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isPlainObject(node)) return;
    node = Object.hasOwn(node, path[i] as string) ? node[path[i] as string] : undefined;
  }
  if (isPlainObject(node)) delete node[path[path.length - 1] as string];
}

/** Parses one `value_json` (extended JSON: bare NaN and ±Infinity are W&B's tokens for non-finite floats). */
export function parseValueJson(text: string): unknown {
  return parseExtended(text === '' ? 'null' : text);
}

type Item = { key?: string | null; nested_key?: string[] | null; value_json?: string | null };

/**
 * The object that a list of items describes, and its JSON text when that text is the items' own
 * (one-segment paths, each key once: the usual case, one JSON text parsed once, never re-written);
 * nested paths are set one by one.
 */
export function objectOfItems(items: readonly Item[]): { row: Record<string, unknown>; text: string | undefined } {
  let flat = true;
  for (const it of items) {
    if (it.nested_key && it.nested_key.length > 1) {
      flat = false;
      break;
    }
  }
  if (flat) {
    let text = '{';
    for (let i = 0; i < items.length; i++) {
      const it = items[i] as Item;
      const v = it.value_json;
      text += (i === 0 ? '' : ',') + JSON.stringify(itemPath(it)[0]) + ':' + (v === undefined || v === null || v === '' ? 'null' : v);
    }
    text += '}';
    const row = parseExtended(text) as Record<string, unknown>;
    return { row, text: Object.keys(row).length === items.length ? text : undefined };
  }
  const out: Record<string, unknown> = {};
  for (const it of items) setPath(out, itemPath(it), parseValueJson(it.value_json ?? ''));
  return { row: out, text: undefined };
}

// A value_json whose JSON meaning is plain without parsing: a number, a bare non-finite token, a
// literal, or a string with no escape (JSON text the store can keep as it is).
export const SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|-?Infinity|true|false|null|"[^"\\\u0000-\u001f]*")$/;

// A key JSON writes as it is between quotes.
const PLAIN_KEY = /^[\w./ -]*$/;

/** The number a scalar value_json stands for, or undefined when it is not a number. */
export function numberOf(v: string): number | undefined {
  const c = v.charCodeAt(0);
  if (c === 34 || c === 116 || c === 102 || c === 110) return undefined; // ", true, false, null
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(v);
}

/**
 * A history record's row as the store keeps it: its step, its JSON line and its `_timestamp`. A row
 * of one-segment keys, each once, whose values are all plain scalars is joined without parsing (the
 * bulk of any run); anything else goes through `objectOfItems`, with the same result.
 */
export interface RowKeys {
  /** The previous fast row's keys (distinct) and their `"key":` prefixes, in order. */
  keys: string[];
  quoted: string[];
}

export function historyRowOf(
  items: readonly Item[],
  stepNum: () => number,
  last: RowKeys = { keys: [], quoted: [] },
): { step: number; line: string; ts: number | undefined } {
  // Parts joined once: a `+=` chain leaves a rope SQLite's binding has to flatten again.
  const parts: string[] = [];
  let step: number | undefined;
  let ts: number | undefined;
  // Keys as the previous row had them (the usual case) need no duplicate search and reuse its
  // prefixes; from the first difference on, a short list is searched, a wide row's keys go in a set.
  const keys: string[] = [];
  const quoted: string[] = [];
  let same = items.length === last.keys.length;
  const wide = items.length > 32 ? new Set<string>() : undefined;
  let fast = true;
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as Item;
    const nested = it.nested_key;
    if (nested && nested.length > 1) {
      fast = false;
      break;
    }
    const key = nested && nested.length === 1 ? (nested[0] as string) : (it.key ?? '');
    const raw = it.value_json;
    const v = raw === undefined || raw === null || raw === '' ? 'null' : raw;
    if (!SCALAR.test(v)) {
      fast = false;
      break;
    }
    let q: string;
    if (same && last.keys[i] === key) q = last.quoted[i] as string;
    else {
      if (same) {
        same = false;
        if (wide) for (const k of keys) wide.add(k);
      }
      if (wide ? wide.has(key) : keys.includes(key)) {
        fast = false;
        break;
      }
      if (wide) wide.add(key);
      q = PLAIN_KEY.test(key) ? `"${key}":` : `${JSON.stringify(key)}:`;
    }
    keys.push(key);
    quoted.push(q);
    if (key === '_step') {
      step = numberOf(v);
      if (step === undefined) {
        fast = false;
        break;
      }
    } else if (key === '_timestamp') ts = numberOf(v);
    parts.push(q + v);
  }
  if (fast && step !== undefined && !same) {
    last.keys = keys;
    last.quoted = quoted;
  }
  if (fast && step !== undefined) return { step, line: `{${parts.join(',')}}`, ts };
  const { row, text: joined } = objectOfItems(items);
  const stepItem = row['_step'];
  const s = typeof stepItem === 'number' ? stepItem : stepNum();
  let line = joined;
  if (typeof stepItem !== 'number') {
    row['_step'] = s;
    line = undefined;
  }
  const ts2 = row['_timestamp'];
  return { step: s, line: line ?? stringifyExtended(row), ts: typeof ts2 === 'number' ? ts2 : undefined };
}

/**
 * Decodes a record. A history or summary record (field 1 `num` and field 2 `history` or 3 `summary`,
 * nothing else: what every writer puts in the bulk of a file) has its message decoded by the
 * generated code directly, skipping the Record wrapper's oneof bookkeeping; any other record is
 * decoded whole.
 */
export function decodeRecord(buf: Uint8Array): WRecord {
  let history: wandb_internal.HistoryRecord | undefined;
  let summary: wandb_internal.SummaryRecord | undefined;
  try {
    const r = $protobuf.Reader.create(buf);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag === 8) r.skipType(0);
      else if (tag === 18 && history === undefined && summary === undefined) history = W.HistoryRecord.decode(r, r.uint32());
      else if (tag === 26 && history === undefined && summary === undefined) summary = W.SummaryRecord.decode(r, r.uint32());
      else return W.Record.decode(buf);
    }
  } catch {
    // Damaged bytes: the whole decode says why, in its own words.
    return W.Record.decode(buf);
  }
  // The parser reads only record_type and the branch it names.
  if (history !== undefined) return { record_type: 'history', history } as unknown as WRecord;
  if (summary !== undefined) return { record_type: 'summary', summary } as unknown as WRecord;
  return W.Record.decode(buf);
}

/** Items for an object, one per top-level key (W&B's reader accepts whole JSON values at a key). */
export function itemsOf(obj: Record<string, unknown>): Array<{ key: string; value_json: string }> {
  const out: Array<{ key: string; value_json: string }> = [];
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined) continue;
    out.push({ key, value_json: stringifyExtended(v) });
  }
  return out;
}

/** W&B's record kinds this package reads or knowingly skips; anything else is unknown. */
export const KNOWN_KINDS = new Set([
  'history',
  'summary',
  'output',
  'config',
  'files',
  'stats',
  'artifact',
  'tbrecord',
  'alert',
  'telemetry',
  'metric',
  'output_raw',
  'run',
  'exit',
  'final',
  'header',
  'footer',
  'preempting',
  'noop_link_artifact',
  'use_artifact',
  'environment',
  'output_logger',
]);
