/**
 * W&B's protobuf records (generated from proto/ by scripts/gen-proto.mjs) and the small conversions
 * between their items (`key` or `nested_key` path plus `value_json`) and our plain objects.
 */
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
  'history', 'summary', 'output', 'config', 'files', 'stats', 'artifact', 'tbrecord', 'alert', 'telemetry', 'metric',
  'output_raw', 'run', 'exit', 'final', 'header', 'footer', 'preempting', 'noop_link_artifact', 'use_artifact',
  'environment', 'output_logger',
]);
