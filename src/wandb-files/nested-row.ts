/**
 * A history row with nested keys (W&B's Python client writes `val.acc` as `nested_key: ["val", "acc"]`)
 * joined as text, without parsing and re-writing it: its values must be plain scalars (see SCALAR),
 * each path set once, no path through another's value. The line is the one the general path makes
 * (`setPath` per item, then `stringifyExtended`): keys in first-seen order, numbers as JavaScript
 * writes them. Anything else answers undefined and takes the general path.
 */
import { SCALAR, numberOf } from './records.js';

type Item = { key?: string | null; nested_key?: string[] | null; value_json?: string | null };
type Tree = Map<string, Tree | number>;

// An array-index key would be ordered first by a JavaScript object: left to the general path.
const INDEX_KEY = /^\d+$/;

/** A value's text as `stringifyExtended` writes the parsed value. */
function canonical(v: string): string {
  const n = numberOf(v);
  if (n === undefined) return v;
  if (Number.isFinite(n)) return JSON.stringify(n);
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

/** The last nested row's layout: its items' paths, and its line as text pieces around each item's value. */
export interface NestedShape {
  paths: string[][];
  /** pieces[0] + value of slots[0] + pieces[1] + ... + pieces[n]. */
  pieces: string[];
  slots: number[];
}

export function newNestedShape(): NestedShape {
  return { paths: [], pieces: [], slots: [] };
}

/** Writes the tree's text into the shape's pieces, each leaf (an item's index) a slot. */
function layout(tree: Tree, shape: NestedShape, at: { text: string }): void {
  at.text += '{';
  let first = true;
  for (const [k, v] of tree) {
    at.text += (first ? '' : ',') + JSON.stringify(k) + ':';
    first = false;
    if (typeof v === 'number') {
      shape.pieces.push(at.text);
      shape.slots.push(v);
      at.text = '';
    } else layout(v, shape, at);
  }
  at.text += '}';
}

function pathOf(it: Item): string[] {
  const nested = it.nested_key;
  return nested && nested.length > 0 ? nested : [it.key ?? ''];
}

/** True when the items have the paths the shape was made for. */
function sameShape(items: readonly Item[], shape: NestedShape): boolean {
  if (items.length !== shape.paths.length) return false;
  for (let i = 0; i < items.length; i++) {
    const a = pathOf(items[i] as Item);
    const b = shape.paths[i] as string[];
    if (a.length !== b.length) return false;
    for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  }
  return true;
}

/** Builds the shape for these items' paths (false: a path set twice, through another's value, or a key left to the general path). */
function makeShape(items: readonly Item[], shape: NestedShape): boolean {
  const root: Tree = new Map();
  for (let n = 0; n < items.length; n++) {
    const path = pathOf(items[n] as Item);
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const k = path[i] as string;
      if (k === '__proto__' || INDEX_KEY.test(k)) return false;
      const next = node.get(k);
      if (i === path.length - 1) {
        if (next !== undefined) return false;
        node.set(k, n);
      } else if (next === undefined) {
        const child: Tree = new Map();
        node.set(k, child);
        node = child;
      } else if (typeof next === 'number') return false;
      else node = next;
    }
  }
  shape.paths = items.map((it) => [...pathOf(it)]);
  shape.pieces = [];
  shape.slots = [];
  const at = { text: '' };
  layout(root, shape, at);
  shape.pieces.push(at.text);
  return true;
}

/** `shape`: the previous nested row's layout, reused while the paths stay the same (the usual case). */
export function nestedRow(items: readonly Item[], shape: NestedShape = newNestedShape()): { step: number; line: string; ts: number | undefined } | undefined {
  if (!sameShape(items, shape) && !makeShape(items, shape)) {
    shape.paths = [];
    return undefined;
  }
  let step: number | undefined;
  let ts: number | undefined;
  const { pieces, slots } = shape;
  let line = pieces[0] as string;
  for (let s = 0; s < slots.length; s++) {
    const n = slots[s] as number;
    const it = items[n] as Item;
    const raw = it.value_json;
    const v = raw === undefined || raw === null || raw === '' ? 'null' : raw;
    if (!SCALAR.test(v)) return undefined;
    const path = shape.paths[n] as string[];
    if (path.length === 1 && path[0] === '_step') step = numberOf(v);
    else if (path.length === 1 && path[0] === '_timestamp') ts = numberOf(v);
    line += canonical(v) + (pieces[s + 1] as string);
  }
  if (step === undefined) return undefined;
  return { step, line, ts };
}
