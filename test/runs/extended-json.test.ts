import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExtended, stringifyExtended } from '../../src/json/extended-json.js';

test('non-finite numbers are written as bare tokens and read back', () => {
  const v = { a: Number.NaN, b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5], c: { d: 'NaN', e: 'x Infinity' } };
  const text = stringifyExtended(v);
  assert.equal(text, '{"a":NaN,"b":[Infinity,-Infinity,1.5],"c":{"d":"NaN","e":"x Infinity"}}');
  const back = parseExtended(text) as typeof v;
  assert.ok(Number.isNaN(back.a));
  assert.deepEqual(back.b, [Infinity, -Infinity, 1.5]);
  assert.deepEqual(back.c, { d: 'NaN', e: 'x Infinity' });
});

test('plain JSON goes through JSON.stringify unchanged', () => {
  const v = { a: 1, s: 'NaN "quoted" \\ Infinity', n: null, arr: [true] };
  assert.equal(stringifyExtended(v), JSON.stringify(v));
  assert.deepEqual(parseExtended(JSON.stringify(v)), v);
});

test('strings that mimic the internal placeholder are rejected rather than misread', () => {
  assert.throws(() => parseExtended('{"a":NaN,"b":"\\u0000wandb:NaN"}'), SyntaxError);
});

test('malformed input still fails like JSON.parse', () => {
  assert.throws(() => parseExtended('{"a": NaN'), SyntaxError);
  assert.throws(() => parseExtended('{"a": Infinit}'), SyntaxError);
});
