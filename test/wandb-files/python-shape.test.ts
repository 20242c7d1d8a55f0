import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExtended, stringifyExtended } from '../../src/json/extended-json.js';
import { deletePath, itemPath, objectOfItems, parseValueJson, setPath } from '../../src/wandb-files/records.js';
import { nestedRow } from '../../src/wandb-files/nested-row.js';
import { SummaryFold } from '../../src/wandb-files/summary-fold.js';
import { readFileSync } from 'node:fs';
import { FrameReader } from '../../src/wandb-files/framing.js';
import { decodeRecord } from '../../src/wandb-files/records.js';
import { fixtureFile } from './helpers.js';

type Item = { key?: string; nested_key?: string[]; value_json?: string };

/** The general path's row: every item set by path, the object written out. */
function general(items: Item[]): { step: unknown; line: string } {
  const { row } = objectOfItems(items);
  return { step: row['_step'], line: stringifyExtended(row) };
}

/** A joined line read back: the general path's values in its key order, and each item's value text as W&B wrote it. */
function sameAsGeneral(got: { step: number; line: string }, items: Item[]): void {
  const parsed = parseExtended(got.line) as Record<string, unknown>;
  assert.deepEqual({ step: got.step, line: stringifyExtended(parsed) }, general(items));
  assert.deepEqual(parsed, objectOfItems(items).row);
  for (const it of items) {
    const leaf = JSON.stringify(itemPath(it).at(-1));
    assert.ok(got.line.includes(`${leaf}:${it.value_json || 'null'}`), `${leaf} keeps its text in ${got.line}`);
  }
}

test("nested-key rows (W&B Python shape) joined as text hold the general path's values with their own text, or are left to it", () => {
  const rows: Item[][] = [
    [
      { nested_key: ['_step'], value_json: '3' },
      { nested_key: ['train/loss'], value_json: '1.0063696168732146' },
      { nested_key: ['val', 'acc'], value_json: '0' },
      { nested_key: ['lr'], value_json: '0.01' },
      { nested_key: ['val', 'loss'], value_json: 'NaN' },
      { nested_key: ['_timestamp'], value_json: '1.7965935327703187e+09' },
      { nested_key: ['_runtime'], value_json: '0.02846474' },
    ],
    [
      { key: '_step', value_json: '4' },
      { nested_key: ['a', 'b', 'c'], value_json: '-Infinity' },
      { nested_key: ['a', 'd'], value_json: '"text é"' },
      { nested_key: ['a', 'b', 'e'], value_json: 'true' },
      { nested_key: ['z'], value_json: '1E-7' },
      { nested_key: ['big'], value_json: '1e400' },
      { nested_key: ['neg0'], value_json: '-0.0' },
      { nested_key: ['n'], value_json: '' },
    ],
  ];
  // Every nested row of the official client's fixture.
  const frames = new FrameReader(readFileSync(fixtureFile));
  let nestedRows = 0;
  for (let p = frames.next(); p !== undefined; p = frames.next()) {
    const rec = decodeRecord(p);
    const items = (rec.history?.item ?? []) as Item[];
    if (!items.some((it) => (it.nested_key?.length ?? 0) > 1)) continue;
    nestedRows++;
    const got = nestedRow(items);
    assert.ok(got);
    sameAsGeneral(got, items);
  }
  assert.equal(nestedRows, 30, 'the fixture has 30 rows with val.acc');
  for (const items of rows) {
    const got = nestedRow(items);
    assert.ok(got, JSON.stringify(items));
    sameAsGeneral(got, items);
  }
  assert.equal(nestedRow(rows[0]!)!.ts, 1.7965935327703187e9);
  const left: Item[][] = [
    [
      { key: '_step', value_json: '1' },
      { nested_key: ['a', 'b'], value_json: '1' },
      { nested_key: ['a'], value_json: '2' },
    ],
    [
      { key: '_step', value_json: '1' },
      { nested_key: ['a'], value_json: '2' },
      { nested_key: ['a', 'b'], value_json: '1' },
    ],
    [
      { key: '_step', value_json: '1' },
      { nested_key: ['a', '0'], value_json: '1' },
    ],
    [
      { key: '_step', value_json: '1' },
      { nested_key: ['a', 'b'], value_json: '{"x":1}' },
    ],
    [{ nested_key: ['a', 'b'], value_json: '1' }],
  ];
  for (const items of left) assert.equal(nestedRow(items), undefined, JSON.stringify(items));
});

test('the summary folded per key equals every summary record applied in order', () => {
  const records: Array<{ update?: Item[]; remove?: Item[] }> = [
    {
      update: [
        { nested_key: ['_wandb', 'runtime'], value_json: '0' },
        { key: '_runtime', value_json: '0' },
      ],
    },
    {
      update: [
        { nested_key: ['val', 'acc'], value_json: '0.1' },
        { nested_key: ['loss'], value_json: '2' },
      ],
    },
    { update: [{ nested_key: ['val'], value_json: '{"x":1}' }] },
    {
      update: [
        { nested_key: ['val', 'acc'], value_json: '0.3' },
        { nested_key: ['loss'], value_json: 'NaN' },
      ],
    },
    { update: [{ nested_key: ['_wandb', 'runtime'], value_json: '5' }], remove: [{ nested_key: ['val', 'x'] }] },
    {
      update: [
        { nested_key: ['val'], value_json: '{"y":2}' },
        { nested_key: ['t'], value_json: '"s"' },
      ],
    },
    { update: [{ nested_key: ['t', 'u'], value_json: '1' }] },
  ];
  const inOrder: Record<string, unknown> = {};
  const folded: Record<string, unknown> = {};
  const fold = new SummaryFold(folded);
  for (const r of records) {
    for (const it of r.update ?? []) setPath(inOrder, itemPath(it), parseValueJson(it.value_json ?? ''));
    for (const it of r.remove ?? []) deletePath(inOrder, itemPath(it));
    fold.apply(r);
  }
  fold.flush();
  assert.equal(stringifyExtended(folded), stringifyExtended(inOrder));
  // Random sequences over overlapping paths, with object values and removes (a fixed-seed generator).
  let seed = 7;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const paths = [['a'], ['a', 'b'], ['a', 'c'], ['b'], ['a', 'b', 'd'], ['c', 'x'], ['c', 'y']];
  const values = ['1', 'NaN', '"s"', '{"b":2,"q":3}', 'null', '-Infinity'];
  for (let round = 0; round < 300; round++) {
    const want: Record<string, unknown> = {};
    const got: Record<string, unknown> = {};
    const f = new SummaryFold(got);
    for (let r = 0; r < 6; r++) {
      const update = Array.from({ length: 1 + rnd(3) }, () => ({ nested_key: paths[rnd(paths.length)]!, value_json: values[rnd(values.length)]! }));
      const remove = rnd(5) === 0 ? [{ nested_key: paths[rnd(paths.length)]! }] : [];
      for (const it of update) setPath(want, it.nested_key, parseValueJson(it.value_json));
      for (const it of remove) deletePath(want, it.nested_key);
      f.apply({ update, remove });
    }
    f.flush();
    assert.equal(stringifyExtended(got), stringifyExtended(want), `round ${round}`);
  }
  assert.throws(() => new SummaryFold({}).apply({ update: [{ key: 'bad', value_json: '{nope' }] }), SyntaxError, 'a bad value stops at its record');
});
