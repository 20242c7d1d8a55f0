/**
 * A history row with nested keys (W&B's Python client writes `val.acc` as `nested_key: ["val", "acc"]`)
 * joined as text, without parsing and re-writing it: its values must be plain scalars (see SCALAR),
 * each path set once, no path through another's value. The line is the one the general path makes
 * (`setPath` per item, then `stringifyExtended`): keys in first-seen order, numbers as JavaScript
 * writes them. Anything else answers undefined and takes the general path.
 */
import { SCALAR, numberOf } from './records.js';

type Item = { key?: string | null; nested_key?: string[] | null; value_json?: string | null };
type Tree = Map<string, Tree | string>;

// An array-index key would be ordered first by a JavaScript object: left to the general path.
const INDEX_KEY = /^\d+$/;

/** A value's text as `stringifyExtended` writes the parsed value. */
function canonical(v: string): string {
  const n = numberOf(v);
  if (n === undefined) return v;
  if (Number.isFinite(n)) return JSON.stringify(n);
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

function write(tree: Tree, parts: string[]): void {
  parts.push('{');
  let first = true;
  for (const [k, v] of tree) {
    if (!first) parts.push(',');
    first = false;
    parts.push(JSON.stringify(k), ':');
    if (typeof v === 'string') parts.push(v);
    else write(v, parts);
  }
  parts.push('}');
}

export function nestedRow(items: readonly Item[]): { step: number; line: string; ts: number | undefined } | undefined {
  const root: Tree = new Map();
  let step: number | undefined;
  let ts: number | undefined;
  for (const it of items) {
    const nested = it.nested_key;
    const path = nested && nested.length > 0 ? nested : [it.key ?? ''];
    const raw = it.value_json;
    const v = raw === undefined || raw === null || raw === '' ? 'null' : raw;
    if (!SCALAR.test(v)) return undefined;
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const k = path[i] as string;
      if (k === '__proto__' || INDEX_KEY.test(k)) return undefined;
      const next = node.get(k);
      if (i === path.length - 1) {
        if (next !== undefined) return undefined;
        node.set(k, canonical(v));
      } else if (next === undefined) {
        const child: Tree = new Map();
        node.set(k, child);
        node = child;
      } else if (typeof next === 'string') return undefined;
      else node = next;
    }
    if (path.length === 1 && path[0] === '_step') step = numberOf(v);
    else if (path.length === 1 && path[0] === '_timestamp') ts = numberOf(v);
  }
  if (step === undefined) return undefined;
  const parts: string[] = [];
  write(root, parts);
  return { step, line: parts.join(''), ts };
}
