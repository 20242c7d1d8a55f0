import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wandb_internal as W } from '../../src/wandb-files/gen/wandb-proto.js';
import { HistoryRows } from '../../src/wandb-files/history-rows.js';
import { OTHER, ROW, SLOW, decodeHistoryRow, newKeyRanges } from '../../src/wandb-files/history-decode.js';
import { encodeHistoryLine, newEncodeScratch } from '../../src/wandb-files/history-encode.js';
import { historyRowOf, type RowKeys } from '../../src/wandb-files/records.js';
import { itemsOfLine } from '../../src/wandb-files/json-split.js';
import { stringifyExtended } from '../../src/json/extended-json.js';

type Item = { key?: string; nested_key?: string[]; value_json?: string };
const it = (key: string, value_json: string): Item => ({ key, value_json });
const nk = (key: string, value_json: string): Item => ({ nested_key: [key], value_json });

/** History records of many shapes: the bulk kind, and every way out of the fast path. */
const records: Array<Record<string, unknown>> = [
  { history: { item: [it('_step', '0'), it('a', '1.5'), it('_timestamp', '1800000000.25')], step: { num: 0 } } },
  { history: { item: [it('_step', '1'), it('a', '-2e-7'), it('_timestamp', '1.8e+09')] } },
  { history: { item: [it('_step', '2'), it('a', 'NaN'), it('b', '-Infinity'), it('c', 'Infinity')] } },
  { history: { item: [nk('_step', '3'), nk('train/loss', '0.25'), nk('s', '"text, with } marks"'), nk('t', 'true'), nk('n', 'null'), nk('e', '')] } },
  { history: { item: [it('_step', '4'), it('a', '01')] } },
  { history: { item: [it('_step', '5'), it('a', '1.'), it('b', '2')] } },
  { history: { item: [it('_step', '6'), it('a', '"esc\\"aped"')] } },
  { history: { item: [it('_step', '7'), it('a', '{"n":[1,2,NaN]}')] } },
  { history: { item: [{ nested_key: ['n', 'x'], value_json: '1' }, it('_step', '8')] } },
  { history: { item: [it('a', '3')], step: { num: 9 } } },
  { history: { item: [it('_step', '10'), it('a', '1'), it('a', '2')] } },
  { history: { item: [it('_step', '11'), it('caf\u00e9', '1'), it('s', '"\u00e9t\u00e9"')] } },
  { history: { item: [it('_step', '12'), it('q"k', '1'), it('b\\s', '2')] } },
  { history: { item: [it('_step', '"thirteen"'), it('a', '1')] } },
  { history: { item: [it('_step', '14'), it('_timestamp', '1e999')] } },
  { history: { item: [it('_step', '15'), it('_timestamp', 'NaN')] } },
  { history: { item: [it('_step', '16'), ...Array.from({ length: 40 }, (_, k) => it(`m${k}`, String(k)))] } },
  { history: { item: [it('_step', '17'), ...Array.from({ length: 40 }, (_, k) => it(`m${k % 39}`, String(k)))] } },
  { history: { item: [it('_step', '18'), it('a', '1e5'), it('b', '-0.0E-3'), it('c', '-')] } },
  { history: { item: [it('_step', '19'), it('', '1'), { value_json: '2' }] } },
  { history: { item: [it('_step', '20'), it('a', '1')] }, control: { local: true }, uuid: 'u', _info: { stream_id: 'x' } },
  { history: { item: [it('_step', '21'), { key: 'k', value_json: '1', nested_key: ['a', 'b'] }] } },
];

test('the fast history decoder appends the same lines, steps and last time as the general path, record by record', () => {
  const fast = new HistoryRows(16);
  const slow = new HistoryRows();
  const keys = newKeyRanges(4);
  const cache: RowKeys = { keys: [], quoted: [] };
  const outcomes: number[] = [];
  records.forEach((rec, n) => {
    for (let twice = 0; twice < 2; twice++) {
      const bytes = W.Record.encode({ num: n + 1, ...rec }).finish();
      const decoded = W.Record.decode(bytes).history!;
      let general: ReturnType<typeof historyRowOf> | undefined;
      try {
        general = historyRowOf(decoded.item ?? [], () => Number(decoded.step?.num ?? 0), cache);
      } catch {
        general = undefined;
      }
      if (general !== undefined) {
        slow.noteTime(general.ts);
        slow.pushLine(general.step, general.line);
      }
      const got = decodeHistoryRow(Buffer.from(bytes), fast, keys);
      outcomes.push(got);
      if (general === undefined) {
        // Not JSON (e.g. `01`): the general path refuses it too, and the file's reading stops there.
        assert.equal(got, SLOW, `record ${n}`);
        continue;
      }
      if (got === SLOW) {
        fast.noteTime(general.ts);
        fast.pushLine(general.step, general.line);
      } else assert.equal(got, ROW, `record ${n}`);
      const i = fast.length - 1;
      assert.equal(fast.length, slow.length, `record ${n}`);
      assert.equal(fast.lineAt(i), slow.lineAt(i), `record ${n} line`);
      assert.equal(fast.stepAt(i), slow.stepAt(i), `record ${n} step`);
      assert.equal(fast.lastTime(), slow.lastTime(), `record ${n} time`);
    }
  });
  const fastOnes = [0, 1, 2, 3, 14, 15, 16, 20];
  assert.deepEqual(
    outcomes,
    records.flatMap((_r, n) => (fastOnes.includes(n) ? [ROW, ROW] : [SLOW, SLOW])),
    'the plain shapes take the fast path, the odd ones leave it',
  );
});

test('the fast decoder leaves records that are not plain history (or damaged) to the general decoder', () => {
  const rows = new HistoryRows();
  const keys = newKeyRanges();
  const history = W.Record.encode({ num: 1, history: { item: [it('_step', '0')] } }).finish();
  for (const bytes of [
    W.Record.encode({ num: 2, summary: { update: [it('a', '1')] } }).finish(),
    W.Record.encode({ num: 3, exit: { exit_code: 0 } }).finish(),
    Buffer.from(history.subarray(0, history.length - 2)),
    Buffer.from([0x08, 0xff]),
    Buffer.concat([history, W.Record.encode({ history: { item: [it('_step', '1')] } }).finish()]),
  ])
    assert.equal(decodeHistoryRow(Buffer.from(bytes), rows, keys), OTHER);
  assert.equal(rows.length, 0);
});

test('the direct encoder writes the bytes the generated encoder writes, or leaves the line to it', () => {
  const scratch = newEncodeScratch();
  const lines = [
    { _step: 0, a: 1.5, b: NaN, c: -Infinity, d: 'x,"}y', e: null, f: true },
    { n: { deep: [1, { x: 'a,b}' }] }, s: '{not json}', _step: 3, 'caf\u00e9': '\u00e9t\u00e9' },
    {},
    { 'q"k': 1 },
    { '': 2, _step: 0 },
    { big: 'z'.repeat(70_000), _step: 5 },
  ].map((r) => stringifyExtended(r));
  lines.push('{ "spaced": 1 }', '{"a":1', 'not json');
  let direct = 0;
  for (const [i, line] of lines.entries()) {
    for (const [step, num] of [
      [i, i + 1],
      [300, 70_000],
      [2 ** 33, 5],
    ] as const) {
      const got = encodeHistoryLine(scratch, line, step, num);
      if (got === undefined) continue;
      direct++;
      const want = W.Record.encode({ num, history: { item: itemsOfLine(line), step: { num: step } } }).finish();
      assert.deepEqual(Buffer.from(got), Buffer.from(want), `line ${i} step ${step}`);
    }
  }
  assert.equal(direct, 15, 'the plain lines (all but the escaped key and the malformed ones) go the direct way');
  for (const step of [-1, 1.5, Number.MAX_SAFE_INTEGER + 2]) assert.equal(encodeHistoryLine(scratch, '{"a":1}', step, 1), undefined);
});
