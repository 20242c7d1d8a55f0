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

/**
 * Throws INVALID_INPUT when `value` nests deeper than `limit` levels, naming the first segments of
 * the too-deep path. Iterative (an explicit stack), so it is safe on any depth, and it ends on cycles
 * (a cycle is infinitely deep). Each object is walked again only when reached at a greater depth.
 */
export function assertDepth(value: unknown, limit: number = MAX_INPUT_DEPTH): void {
  if (value === null || typeof value !== 'object') return;
  const seen = new Map<object, number>();
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.depth > limit) {
      const path = describe(pathOf(frame));
      throw new SkillError('INVALID_INPUT', `${path}: nests deeper than ${limit} levels of objects and arrays (the limit)`, {
        details: { issues: [{ path, message: `nests deeper than ${limit} levels of objects and arrays (the limit)` }], maxDepth: limit },
      });
    }
    const before = seen.get(frame.value);
    if (before !== undefined && before >= frame.depth) continue;
    seen.set(frame.value, frame.depth);
    // Typed arrays and buffers hold numbers only: nothing inside them nests.
    if (ArrayBuffer.isView(frame.value) || frame.value instanceof ArrayBuffer) continue;
    if (Array.isArray(frame.value)) {
      const arr = frame.value as unknown[];
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i];
        if (v !== null && typeof v === 'object') stack.push({ value: v, depth: frame.depth + 1, parent: frame, key: String(i) });
      }
      continue;
    }
    for (const key in frame.value) {
      if (!Object.prototype.hasOwnProperty.call(frame.value, key)) continue;
      const v = (frame.value as Record<string, unknown>)[key];
      if (v !== null && typeof v === 'object') stack.push({ value: v, depth: frame.depth + 1, parent: frame, key });
    }
  }
}
