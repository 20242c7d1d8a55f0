/**
 * A JSON-text parser that remembers which number members were written as floats (`0.0`, `1e-3`).
 * JSON.parse reads `0.0` and `0` as the same number, but W&B (Python) infers a sweep parameter's
 * distribution from the literal: `{"min": 0.0, "max": 1.0}` is `uniform`, `{"min": 0, "max": 1}` is
 * `int_uniform`. Accepts what `parseExtended` accepts (plain JSON plus bare NaN, Infinity, -Infinity).
 */

/**
 * Key of the non-enumerable marker on a parsed object: the member names whose value was written with
 * a fraction or an exponent (or as NaN/±Infinity). Invisible to Object.keys, JSON.stringify, spread
 * and ajv; only objects holding such a member carry it. `Symbol.for` so every copy of this module
 * (the bundled CLI, tsc's output) agrees on it.
 */
export const FLOAT_LITERALS: unique symbol = Symbol.for('wandb-experiment-tracker.floatLiterals') as never;

/** Whether `obj[key]` was parsed from a float literal (`1.0`, `1e3`); false for values built in code. */
export function writtenAsFloat(obj: object, key: string): boolean {
  const marks = (obj as { [FLOAT_LITERALS]?: ReadonlySet<string> })[FLOAT_LITERALS];
  return marks !== undefined && marks.has(key);
}

/** Marks `keys` of `obj` as float literals (for callers that build configs in code, and for copies). */
export function markFloatLiterals(obj: object, keys: Iterable<string>): void {
  const existing = (obj as { [FLOAT_LITERALS]?: Set<string> })[FLOAT_LITERALS];
  if (existing !== undefined) {
    for (const k of keys) existing.add(k);
    return;
  }
  Object.defineProperty(obj, FLOAT_LITERALS, { value: new Set(keys), enumerable: false, configurable: true, writable: false });
}

// A number token as JSON writes it; the groups tell whether it has a fraction or an exponent.
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const PLAIN_STRING = /[^"\\\u0000-\u001f]*/y;
const WHITESPACE = /[ \t\n\r]*/y;

interface Frame {
  container: Record<string, unknown> | unknown[];
  /** The member name waiting for its value (objects only). */
  key: string | undefined;
  floats: Set<string> | undefined;
}

/**
 * Parses JSON text (plus bare NaN/Infinity/-Infinity) like JSON.parse, iteratively (no recursion, so
 * deep nesting cannot overflow the stack), and marks float-literal members (see FLOAT_LITERALS).
 * Throws SyntaxError naming the offset.
 * @example writtenAsFloat((parseJsonText('{"p":{"min":0.0,"max":1}}') as any).p, 'min') // true
 */
export function parseJsonText(text: string): unknown {
  let i = 0;
  const n = text.length;
  const fail = (what: string): never => {
    throw new SyntaxError(
      i >= n ? `Unexpected end of JSON input (expected ${what})` : `Unexpected token ${JSON.stringify(text[i])} at position ${i} (expected ${what})`,
    );
  };
  const skip = (): void => {
    WHITESPACE.lastIndex = i;
    WHITESPACE.test(text);
    i = WHITESPACE.lastIndex;
  };
  const readString = (): string => {
    // i is at the opening quote
    PLAIN_STRING.lastIndex = i + 1;
    PLAIN_STRING.test(text);
    let j = PLAIN_STRING.lastIndex;
    if (text.charCodeAt(j) === 34) {
      const s = text.slice(i + 1, j);
      i = j + 1;
      return s;
    }
    // Escapes: find the closing quote, then let JSON.parse decode the literal exactly.
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 92) j += 2;
      else if (c === 34) break;
      else j++;
    }
    if (j >= n) fail('a closing quote');
    const literal = text.slice(i, j + 1);
    let s: string;
    try {
      s = JSON.parse(literal) as string;
    } catch {
      return fail('a valid string');
    }
    i = j + 1;
    return s;
  };
  /** A scalar at i, with whether it was a float literal. */
  const readScalar = (): [unknown, boolean] => {
    const c = text.charCodeAt(i);
    if (c === 34) return [readString(), false];
    if (text.startsWith('true', i)) return ((i += 4), [true, false]);
    if (text.startsWith('false', i)) return ((i += 5), [false, false]);
    if (text.startsWith('null', i)) return ((i += 4), [null, false]);
    if (text.startsWith('NaN', i)) return ((i += 3), [Number.NaN, true]);
    if (text.startsWith('Infinity', i)) return ((i += 8), [Number.POSITIVE_INFINITY, true]);
    if (text.startsWith('-Infinity', i)) return ((i += 9), [Number.NEGATIVE_INFINITY, true]);
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail('a value');
    i = NUMBER.lastIndex;
    return [Number(m[0]), m[1] !== undefined || m[2] !== undefined];
  };

  const stack: Frame[] = [];
  let result: unknown;
  let done = false;
  // Places a finished value into the enclosing container, or makes it the result.
  const place = (value: unknown, isFloat: boolean): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      result = value;
      done = true;
      return;
    }
    if (Array.isArray(top.container)) {
      top.container.push(value);
      return;
    }
    const key = top.key as string;
    // Own data property even for "__proto__", as JSON.parse makes it.
    if (key === '__proto__') Object.defineProperty(top.container, key, { value, writable: true, enumerable: true, configurable: true });
    else top.container[key] = value;
    if (isFloat) (top.floats ??= new Set()).add(key);
    else top.floats?.delete(key);
    top.key = undefined;
  };
  const close = (): void => {
    const frame = stack.pop() as Frame;
    if (frame.floats !== undefined && frame.floats.size > 0) markFloatLiterals(frame.container, frame.floats);
    place(frame.container, false);
  };
  // After an opening brace or a comma inside an object: a member name and its colon.
  const readKey = (top: Frame): void => {
    skip();
    if (text.charCodeAt(i) !== 34) fail('a member name');
    top.key = readString();
    skip();
    if (text.charCodeAt(i) !== 58) fail("':'");
    i++;
  };

  skip();
  for (;;) {
    // Here a value is expected.
    skip();
    const c = text.charCodeAt(i);
    if (c === 123 /* { */) {
      i++;
      const frame: Frame = { container: {}, key: undefined, floats: undefined };
      stack.push(frame);
      skip();
      if (text.charCodeAt(i) === 125) {
        i++;
        close();
      } else {
        readKey(frame);
        continue;
      }
    } else if (c === 91 /* [ */) {
      i++;
      stack.push({ container: [], key: undefined, floats: undefined });
      skip();
      if (text.charCodeAt(i) === 93) {
        i++;
        close();
      } else continue;
    } else {
      const [value, isFloat] = readScalar();
      place(value, isFloat);
    }
    // After a value: a comma, a closing bracket, or the end.
    for (;;) {
      if (done) {
        skip();
        if (i < n) fail('the end of the input');
        return result;
      }
      skip();
      const top = stack[stack.length - 1] as Frame;
      const d = text.charCodeAt(i);
      const isArray = Array.isArray(top.container);
      if (d === 44 /* , */) {
        i++;
        if (!isArray) readKey(top);
        break;
      }
      if ((isArray && d === 93) || (!isArray && d === 125)) {
        i++;
        close();
        continue;
      }
      fail(isArray ? "',' or ']'" : "',' or '}'");
    }
  }
}
