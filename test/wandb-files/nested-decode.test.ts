import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { wandb_internal as W } from '../../src/wandb-files/gen/wandb-proto.js';
import { HistoryRows } from '../../src/wandb-files/history-rows.js';
import { ROW } from '../../src/wandb-files/history-decode.js';
import { FLAT, decodeNestedRow, newNestedLayout } from '../../src/wandb-files/nested-decode.js';
import { nestedRow } from '../../src/wandb-files/nested-row.js';
import { SummaryFold } from '../../src/wandb-files/summary-fold.js';
import { FrameReader } from '../../src/wandb-files/framing.js';
import { decodeRecord, deletePath, itemPath, parseValueJson, setPath } from '../../src/wandb-files/records.js';
import { parseRunFile } from '../../src/wandb-files/parse-run.js';
import { stringifyExtended } from '../../src/json/extended-json.js';
import { fixtureFile } from './helpers.js';

type Item = { key?: string; nested_key?: string[]; value_json?: string };
const nk = (path: string[], value_json: string): Item => ({ nested_key: path, value_json });

const rows: Item[][] = [
  [nk(['_step'], '3'), nk(['train/loss'], '1.0'), nk(['val', 'acc'], '0'), nk(['val', 'loss'], 'NaN'), nk(['_timestamp'], '1.7965935327703187e+09')],
  [nk(['_step'], '4'), nk(['train/loss'], '-0.0'), nk(['val', 'acc'], '1e400'), nk(['val', 'loss'], '-Infinity'), nk(['_timestamp'], '1796593533.5')],
  [{ key: '_step', value_json: '5' }, nk(['a', 'b', 'c'], '"s"'), nk(['a', 'd'], ''), nk(['a', 'b', 'e'], 'true'), nk(['_timestamp'], 'NaN')],
  [nk(['_step'], '6'), nk(['a', 'b'], '"caf\u00e9"')],
  [nk(['_step'], '7'), nk(['a', 'b'], '1'), nk(['a'], '2')],
  [nk(['_step'], '8'), nk(['a', '0'], '1')],
  [nk(['_step'], '9'), nk(['a', 'b'], '{"x":1}')],
  [nk(['_step'], '"ten"'), nk(['a', 'b'], '1')],
  [nk(['a', 'b'], '1')],
  [nk(['_step'], '12'), nk(['q"k', 'b'], '1')],
  [nk(['_step'], '13'), nk(['a'], '1')],
  [nk(['_step'], '14'), nk(['a', 'b'], '01')],
];

test('nested history rows read from their bytes equal nestedRow on the decoded items, or are left to the general path', () => {
  const layout = newNestedLayout();
  const fast = new HistoryRows(16);
  const slow = new HistoryRows(16);
  const outcomes: number[] = [];
  const check = (bytes: Uint8Array, items: Item[], what: string): void => {
    const want = nestedRow(items);
    const before = fast.length;
    const got = decodeNestedRow(Buffer.from(bytes), fast, layout);
    outcomes.push(got);
    if (got !== ROW) {
      assert.equal(fast.length, before, what);
      if (!items.some((it) => (it.nested_key?.length ?? 0) > 1)) assert.equal(got, FLAT, what);
      return;
    }
    assert.ok(want, `${what}: nestedRow joins what the bytes join`);
    slow.noteTime(want.ts);
    slow.pushLine(want.step, want.line);
    assert.equal(fast.lineAt(fast.length - 1), slow.lineAt(slow.length - 1), what);
    assert.equal(fast.stepAt(fast.length - 1), slow.stepAt(slow.length - 1), what);
    assert.equal(fast.lastTime(), slow.lastTime(), what);
  };
  for (let round = 0; round < 2; round++) {
    rows.forEach((items, n) => check(W.Record.encode({ num: n, history: { item: items, step: { num: n } } }).finish(), items, `row ${n}`));
  }
  assert.deepEqual(outcomes.slice(0, rows.length), [ROW, ROW, ROW, 1, 1, 1, 1, 1, 1, 1, FLAT, 1]);
  assert.deepEqual(outcomes.slice(rows.length), outcomes.slice(0, rows.length), 'the same again (layouts rebuilt or reused)');
  // Every nested row of the official client's fixture, twice in a row (the second from the kept layout).
  const frames = new FrameReader(readFileSync(fixtureFile));
  let joined = 0;
  for (let p = frames.next(); p !== undefined; p = frames.next()) {
    const items = (decodeRecord(p).history?.item ?? []) as Item[];
    if (!items.some((it) => (it.nested_key?.length ?? 0) > 1)) continue;
    for (let twice = 0; twice < 2; twice++) check(p, items, 'fixture row');
    joined++;
  }
  assert.equal(joined, 30);
  assert.equal(outcomes.filter((o) => o === ROW).length, 6 + 30 * 2, 'every fixture row joins from its bytes');
});

test('summary records read from their bytes fold to what every record applied in order gives', () => {
  const paths = [['a'], ['a', 'b'], ['a', 'c'], ['b'], ['a', 'b', 'd'], ['c', 'x'], ['c', 'y'], ['_wandb', 'runtime']];
  const values = ['1', 'NaN', '"s"', '{"b":2,"q":3}', 'null', '-Infinity', '2.50', ''];
  let seed = 11;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  let byBytes = 0;
  for (let round = 0; round < 200; round++) {
    const want: Record<string, unknown> = {};
    const got: Record<string, unknown> = {};
    const fold = new SummaryFold(got);
    // A few record shapes, repeated with new values (as the Python client writes two a step).
    const shapes = Array.from({ length: 1 + rnd(3) }, () => Array.from({ length: 1 + rnd(3) }, () => paths[rnd(paths.length)]!));
    for (let r = 0; r < 12; r++) {
      const update = shapes[rnd(shapes.length)]!.map((nested_key) => ({ nested_key, value_json: values[rnd(values.length)]! }));
      const remove = rnd(9) === 0 ? [{ nested_key: paths[rnd(paths.length)]! }] : [];
      for (const it of update) setPath(want, itemPath(it), parseValueJson(it.value_json));
      for (const it of remove) deletePath(want, itemPath(it));
      const bytes = Buffer.from(W.Record.encode({ num: r, summary: { update, remove } }).finish());
      if (fold.applyBytes(bytes)) byBytes++;
      else {
        fold.apply(decodeRecord(bytes).summary!);
        fold.learn(bytes);
      }
    }
    fold.flush();
    assert.equal(stringifyExtended(got), stringifyExtended(want), `round ${round}`);
  }
  assert.ok(byBytes > 500, `most repeated records fold from their bytes (${byBytes})`);
});

test('a file in the Python client shape parses the same with the byte paths as record by record', () => {
  const run = parseRunFile(readFileSync(fixtureFile));
  const frames = new FrameReader(readFileSync(fixtureFile));
  const summary: Record<string, unknown> = {};
  const lines: string[] = [];
  for (let p = frames.next(); p !== undefined; p = frames.next()) {
    const rec = decodeRecord(p);
    if (rec.summary) {
      for (const it of rec.summary.update ?? []) setPath(summary, itemPath(it), parseValueJson(it.value_json ?? ''));
      for (const it of rec.summary.remove ?? []) deletePath(summary, itemPath(it));
    }
    const items = (rec.history?.item ?? []) as Item[];
    if (items.some((it) => (it.nested_key?.length ?? 0) > 1)) lines.push(nestedRow(items)!.line);
  }
  assert.equal(stringifyExtended(run.summary), stringifyExtended(summary));
  const stored = Array.from({ length: run.rows.length }, (_, i) => run.rows.lineAt(i)).filter((l) => l.includes('"val":{'));
  assert.deepEqual(stored, lines);
});
