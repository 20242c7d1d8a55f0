import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExtended } from '../../src/json/extended-json.js';
import { FLOAT_LITERALS, parseJsonText, writtenAsFloat } from '../../src/json/json-text.js';

describe('parseJsonText', () => {
  it('parses what JSON.parse and parseExtended parse, to equal values', () => {
    const texts = [
      '{}',
      '[]',
      ' 1 ',
      '-0',
      '1e5',
      '"a\\u00e9\\n\\"q\\""',
      'true',
      'null',
      '{"a":[1,2.5,{"b":null}],"c":true,"d":false,"e":"x"}',
      '[[[]]]',
      '{"a":1,"a":2}',
      '[NaN,-Infinity,Infinity]',
      '{"k":"NaN"}',
      '  {"a" : [ 1 , 2 ] }  ',
      '{"é":"ü\\ud83d\\ude00"}',
    ];
    for (const text of texts) assert.deepStrictEqual(parseJsonText(text), parseExtended(text), text);
  });

  it('refuses what JSON.parse refuses, with a SyntaxError', () => {
    for (const text of [
      '',
      '{',
      '[1,]',
      '{"a":1,}',
      '{"a"}',
      '01',
      '1 2',
      '"abc',
      '{"a":1}}',
      'tru',
      '[1 2]',
      '{,}',
      '-',
      '"\\x"',
      '"a\u0001"',
      '{"a":1 "b":2}',
    ]) {
      assert.throws(() => JSON.parse(text), SyntaxError, `JSON.parse accepts ${text}`);
      assert.throws(() => parseJsonText(text), SyntaxError, text);
    }
  });

  it('marks members written with a fraction or an exponent, and only those, invisibly', () => {
    const out = parseJsonText('{"p":{"min":0.0,"max":1,"q":1E2,"r":-3,"s":"1.0","n":NaN},"plain":{"a":1}}') as Record<string, Record<string, unknown>>;
    const p = out['p'] as Record<string, unknown>;
    assert.deepEqual(
      ['min', 'max', 'q', 'r', 's', 'n'].map((k) => writtenAsFloat(p, k)),
      [true, false, true, false, false, true],
    );
    assert.equal(Object.getOwnPropertySymbols(out['plain'] as object).length, 0, 'objects without float literals carry no mark');
    assert.deepEqual(Object.keys(p), ['min', 'max', 'q', 'r', 's', 'n']);
    assert.equal(JSON.stringify(out['plain']), '{"a":1}');
    assert.equal(Object.getOwnPropertyDescriptor(p, FLOAT_LITERALS)?.enumerable, false);
    assert.equal(writtenAsFloat({ ...p }, 'min'), false, 'a copy is plain');
    // A duplicate member: the last literal decides, as its value does.
    const dup = parseJsonText('{"m":1.0,"m":2}') as Record<string, unknown>;
    assert.equal(writtenAsFloat(dup, 'm'), false);
  });

  it('keeps "__proto__" as an own member and survives deep nesting without recursion', () => {
    const out = parseJsonText('{"__proto__":{"x":1}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__']);
    const depth = 50_000;
    let v = parseJsonText('['.repeat(depth) + ']'.repeat(depth));
    let n = 0;
    while (Array.isArray(v) && v.length > 0) {
      v = v[0];
      n++;
    }
    assert.equal(n, depth - 1);
  });
});
