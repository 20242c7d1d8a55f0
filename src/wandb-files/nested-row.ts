/**
 * A history row with nested keys (W&B's Python client writes `val.acc` as `nested_key: ["val", "acc"]`)
 * joined as text, without parsing and re-writing it: its values must be plain scalars (see SCALAR),
 * each path set once, no path through another's value. Keys are in first-seen order (the object the
 * general path makes with `setPath`), each value's text kept as W&B wrote it, as a row of flat keys
 * keeps it (`1.0` stays `1.0`; parsed, it is the general path's value). Anything else answers
 * undefined and takes the general path.
 */
import { SCALAR, numberOf } from './records.js';

type Item = { key?: string | null; nested_key?: string[] | null; value_json?: string | null };
type Tree = Map<string, Tree | number>;

// An array-index key would be ordered first by a JavaScript object: left to the general path.
const INDEX_KEY = /^\d+$/;

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

/**
 * The line's layout for these paths, in item order: text pieces around each item's value (undefined
 * for a path set twice, through another's value, or a key left to the general path).
 */
export function layoutPaths(paths: readonly (readonly string[])[]): { pieces: string[]; slots: number[] } | undefined {
  const root: Tree = new Map();
  for (let n = 0; n < paths.length; n++) {
    const path = paths[n] as readonly string[];
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const k = path[i] as string;
      if (k === '__proto__' || INDEX_KEY.test(k)) return undefined;
      const next = node.get(k);
      if (i === path.length - 1) {
        if (next !== undefined) return undefined;
        node.set(k, n);
      } else if (next === undefined) {
        const child: Tree = new Map();
        node.set(k, child);
        node = child;
      } else if (typeof next === 'number') return undefined;
      else node = next;
    }
  }
  const shape: NestedShape = { paths: [], pieces: [], slots: [] };
  const at = { text: '' };
  layout(root, shape, at);
  shape.pieces.push(at.text);
  return { pieces: shape.pieces, slots: shape.slots };
}

/** Builds the shape for these items' paths (false: see layoutPaths). */
function makeShape(items: readonly Item[], shape: NestedShape): boolean {
  const paths = items.map((it) => [...pathOf(it)]);
  const made = layoutPaths(paths);
  if (made === undefined) return false;
  shape.paths = paths;
  shape.pieces = made.pieces;
  shape.slots = made.slots;
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
    line += v + (pieces[s + 1] as string);
  }
  if (step === undefined) return undefined;
  return { step, line, ts };
}
