import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringifyExtended } from '../../src/json/extended-json.js';
import { historyRowOf, objectOfItems, type RowKeys } from '../../src/wandb-files/records.js';

type Item = { key?: string; nested_key?: string[]; value_json?: string };

/** The general path alone: the items parsed to an object, `_step` from the row or the record. */
function reference(items: Item[], stepNum: number): { step: number; line: string; ts: number | undefined } {
  const { row, text } = objectOfItems(items);
  const t = row['_timestamp'];
  const ts = typeof t === 'number' ? t : undefined;
  const s = row['_step'];
  if (typeof s === 'number') return { step: s, line: text ?? stringifyExtended(row), ts };
  row['_step'] = stepNum;
  return { step: stepNum, line: stringifyExtended(row), ts };
}

const it = (key: string, value_json: string): Item => ({ key, value_json });

test('history rows joined without a parse equal the parsed ones, row after row with one shared key cache', () => {
  const rows: Item[][] = [
    [it('_step', '0'), it('a', '1.5'), it('_timestamp', '1800000000.25')],
    [it('_step', '1'), it('a', '-2e-7'), it('_timestamp', '1800000001')],
    [it('_step', '2'), it('b', 'NaN'), it('_timestamp', '1800000002')],
    [it('_step', '3'), it('b', '-Infinity'), it('b', '4')],
    [it('_step', '4'), it('a', '"text, with } marks"'), it('c', 'true'), it('d', 'null'), it('e', '')],
    [it('_step', '5'), it('a\\"q', '1'), it('x y', 'false')],
    [it('_step', '6'), it('a', '"esc\\"aped"')],
    [it('_step', '7'), it('a', '{"n":[1,2,NaN]}')],
    [{ nested_key: ['n', 'x'], value_json: '1' }, it('_step', '8')],
    [{ nested_key: ['solo'], value_json: '2' }, it('_step', '9')],
    [it('a', '3')],
    [it('_step', '"eleven"'), it('a', '3')],
    [it('_step', 'Infinity'), it('_timestamp', 'NaN')],
    [it('_step', '13'), it('a', '1'), it('_step', '14')],
    [it('_step', '15'), it('a', '1'), it('_timestamp', '"later"')],
    [it('_step', '16'), ...Array.from({ length: 40 }, (_, k) => it(`m${k}`, String(k)))],
    [it('_step', '17'), ...Array.from({ length: 40 }, (_, k) => it(`m${k % 39}`, String(k)))],
    [it('_step', '18'), ...Array.from({ length: 40 }, (_, k) => it(`m${k}`, String(k)))],
  ];
  const cache: RowKeys = { keys: [], quoted: [] };
  for (const [i, items] of rows.entries()) {
    assert.deepEqual(
      historyRowOf(items, () => 100 + i, cache),
      reference(items, 100 + i),
      `row ${i}`,
    );
    // The same row again: now its keys come from the cache.
    assert.deepEqual(
      historyRowOf(items, () => 100 + i, cache),
      reference(items, 100 + i),
      `row ${i} again`,
    );
  }
});

test('a history value that is not JSON throws as the parse does', () => {
  const cache: RowKeys = { keys: [], quoted: [] };
  assert.throws(() => historyRowOf([it('_step', '0'), it('a', '01x')], () => 0, cache), SyntaxError);
  assert.throws(() => historyRowOf([it('_step', '0'), it('a', '"\\q"')], () => 0, cache), SyntaxError);
});
