/**
 * W&B's "extended JSON": JSON whose numbers may also be the bare tokens NaN, Infinity and -Infinity
 * (wandb-core writes history lines this way; JSON.stringify would turn them into null).
 */

function hasNonFinite(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => hasNonFinite(v, depth + 1));
  for (const v of Object.values(value)) if (hasNonFinite(v, depth + 1)) return true;
  return false;
}

function numberToken(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  return n > 0 ? 'Infinity' : '-Infinity';
}

function writeValue(value: unknown, out: string[]): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    out.push(numberToken(value));
    return;
  }
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    out.push(s === undefined ? 'null' : s);
    return;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') {
    writeValue(withToJson.toJSON(), out);
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(',');
      writeValue(v === undefined || typeof v === 'function' ? null : v, out);
    });
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(k), ':');
    writeValue(v, out);
  }
  out.push('}');
}

/** Serialises like JSON.stringify, but writes NaN/Infinity/-Infinity as bare tokens. */
export function stringifyExtended(value: unknown): string {
  const plain = JSON.stringify(value) ?? 'null';
  // JSON.stringify writes NaN and ±Infinity as null: without a "null" there were none (the hot path).
  if (!plain.includes('null') || !hasNonFinite(value)) return plain;
  const out: string[] = [];
  writeValue(value, out);
  return out.join('');
}

// Placeholders for the bare tokens while JSON.parse runs; a real string that happens to equal one
// is protected by escaping in `protect` below.
const NAN = '\u0000wandb:NaN';
const POS = '\u0000wandb:+Inf';
const NEG = '\u0000wandb:-Inf';

/** Parses extended JSON (plain JSON plus bare NaN, Infinity, -Infinity). Throws SyntaxError like JSON.parse. */
export function parseExtended(text: string): unknown {
  if (!text.includes('NaN') && !text.includes('Infinity')) return JSON.parse(text);
  let sawToken = false;
  let sawMarkerLikeString = false;
  const out: string[] = [];
  let i = 0;
  let last = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // skip a string literal, honouring escapes
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92 /* \ */) j += 2;
        else if (d === 34) break;
        else j++;
      }
      if (text.startsWith('\\u0000wandb:', i + 1)) sawMarkerLikeString = true;
      i = j + 1;
      continue;
    }
    if (c === 78 /* N */ && text.startsWith('NaN', i)) {
      out.push(text.slice(last, i), JSON.stringify(NAN));
      i += 3;
      last = i;
      sawToken = true;
      continue;
    }
    if (c === 73 /* I */ && text.startsWith('Infinity', i)) {
      const neg = i > 0 && text.charCodeAt(i - 1) === 45; /* - */
      out.push(text.slice(last, neg ? i - 1 : i), JSON.stringify(neg ? NEG : POS));
      i += 8;
      last = i;
      sawToken = true;
      continue;
    }
    i++;
  }
  if (!sawToken) return JSON.parse(text);
  if (sawMarkerLikeString) throw new SyntaxError('extended JSON: a string collides with the NaN/Infinity placeholder');
  out.push(text.slice(last));
  return restoreTokens(JSON.parse(out.join('')));
}

function tokenValue(v: unknown): unknown {
  if (v === NAN) return Number.NaN;
  if (v === POS) return Number.POSITIVE_INFINITY;
  if (v === NEG) return Number.NEGATIVE_INFINITY;
  return v;
}

/**
 * Puts NaN/±Infinity back in place of the placeholders. Iterative, unlike JSON.parse's reviver, which
 * recurses and overflows the stack on deeply nested text (JSON.parse itself does not).
 */
function restoreTokens(root: unknown): unknown {
  if (root === null || typeof root !== 'object') return tokenValue(root);
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>;
    for (const k of Object.keys(node)) {
      const v = node[k];
      if (v !== null && typeof v === 'object') stack.push(v);
      else if (typeof v === 'string' && v.startsWith('\u0000wandb:')) node[k] = tokenValue(v);
    }
  }
  return root;
}
