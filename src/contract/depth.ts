import { SkillError } from '../errors.js';

/**
 * How deeply a context may nest objects and arrays (the context itself is level 1). Validation,
 * media detection and JSON writing recurse, so a deeper context would overflow the stack; the limit
 * is stated in the input schema's description and SKILL.md.
 */
export const MAX_INPUT_DEPTH = 64;

/** Path segments shown in the error (the path of a 10,000-level value is itself huge). */
const SHOWN_SEGMENTS = 8;

function describe(path: readonly string[]): string {
  const shown = path.slice(0, SHOWN_SEGMENTS).map((s) => (s.length > 40 ? `${s.slice(0, 40)}\u2026` : s));
  return path.length > SHOWN_SEGMENTS ? `${shown.join('.')}.\u2026` : shown.join('.');
}

interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string;
}

function pathOf(frame: Frame): string[] {
  const segments: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) segments.push(f.key);
  return segments.reverse();
}

/** The path to a value deeper than `limit` (walked again, with parents, only once one is known to exist). */
function deepPath(value: object, limit: number): string[] {
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.depth > limit) return pathOf(frame);
    if (ArrayBuffer.isView(frame.value)) continue;
    const entries: Array<[string, unknown]> = Array.isArray(frame.value) ? frame.value.map((v, i) => [String(i), v]) : Object.entries(frame.value);
    for (const [key, v] of entries) if (v !== null && typeof v === 'object') stack.push({ value: v, depth: frame.depth + 1, parent: frame, key });
  }
  return [];
}

/**
 * Throws INVALID_INPUT when `value` nests deeper than `limit` levels, naming the first segments of
 * the too-deep path. Iterative (an explicit stack), so it is safe on any depth, and it ends on cycles
 * (a cycle is infinitely deep). No memo of visited objects: a tree (all JSON is one) is walked once.
 */
export function assertDepth(value: unknown, limit: number = MAX_INPUT_DEPTH): void {
  if (value === null || typeof value !== 'object') return;
  // Two flat stacks, no per-object allocation: this runs on every call, tables of 10,000 rows included.
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) {
      const path = describe(deepPath(value, limit));
      const message = `nests deeper than ${limit} levels of objects and arrays (the limit)`;
      throw new SkillError('INVALID_INPUT', `${path}: ${message}`, { details: { issues: [{ path, message }], maxDepth: limit } });
    }
    // Typed arrays and buffers hold numbers only: nothing inside them nests.
    if (ArrayBuffer.isView(v)) continue;
    const items: unknown[] = Array.isArray(v) ? v : Object.values(v);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item !== null && typeof item === 'object') {
        values.push(item);
        depths.push(depth + 1);
      }
    }
  }
}
