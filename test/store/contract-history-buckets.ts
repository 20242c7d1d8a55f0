/**
 * The history_buckets family in the store contract: buckets per run, tier, key and bucket (NaN kept
 * through NULL), ranges in order, marks, the key list in first-added order, step reads, and the
 * reset when a run's history is replaced or the run deleted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredBucket } from '../../src/store/index.js';
import { freshStore, twoRuns, type StoreFactory } from './contract.js';

const bucket = (b: number, over: Partial<StoredBucket> = {}): StoredBucket => ({
  bucket: b,
  count: 3,
  finite: 2,
  min: -1.5,
  max: 7,
  minStep: b * 64,
  maxStep: b * 64 + 1,
  sum: 5.5,
  firstStep: b * 64,
  lastStep: b * 64 + 2,
  last: NaN,
  lastFinite: 7,
  lastFiniteStep: b * 64 + 1,
  ...over,
});

export function historyBucketsContract(factory: StoreFactory): void {
  test('historyBuckets: put/get/range per run, tier and key; NaN and Infinity survive; ranges in bucket order', (t) => {
    const store = freshStore(t, factory);
    const [a, b] = twoRuns(store);
    const hb = store.historyBuckets;
    store.write(() => {
      for (const i of [3, 0, 2, 5]) hb.put(a, 0, 'loss', bucket(i));
      hb.put(a, 1, 'loss', bucket(0, { count: 64 }));
      hb.put(
        a,
        0,
        'acc',
        bucket(0, { finite: 0, min: NaN, max: NaN, minStep: NaN, maxStep: NaN, sum: 0, last: -Infinity, lastFinite: NaN, lastFiniteStep: NaN }),
      );
      hb.put(b, 0, 'loss', bucket(0, { sum: NaN }));
    });
    assert.deepStrictEqual(hb.get(a, 0, 'loss', 3), bucket(3));
    assert.equal(hb.get(a, 0, 'loss', 1), undefined);
    assert.deepStrictEqual(
      hb.range(a, 0, 'loss', 0, 5).map((x) => x.bucket),
      [0, 2, 3],
    );
    assert.deepStrictEqual(hb.range(a, 1, 'loss', 0, 100), [bucket(0, { count: 64 })]);
    assert.equal(hb.get(a, 0, 'acc', 0)?.last, -Infinity);
    assert.ok(Number.isNaN(hb.get(a, 0, 'acc', 0)?.min));
    assert.ok(Number.isNaN(hb.get(b, 0, 'loss', 0)?.sum));
    // put replaces
    store.write(() => hb.put(a, 0, 'loss', bucket(3, { count: 9 })));
    assert.equal(hb.get(a, 0, 'loss', 3)?.count, 9);
  });

  test('historyBuckets: marks, keys in first-added order, steps of history rows, clear', (t) => {
    const store = freshStore(t, factory);
    const [a, b] = twoRuns(store);
    const hb = store.historyBuckets;
    assert.equal(hb.mark(a), undefined);
    store.write(() => {
      hb.setMark(a, { folded: 256, lastStep: 300, sorted: true });
      hb.setMark(b, { folded: 0, lastStep: NaN, sorted: false });
      hb.addKeys(a, ['z', 'a']);
      hb.addKeys(a, ['a', 'm']);
      for (let i = 0; i < 5; i++) store.history.append(a, i, i * 10, '{}');
    });
    assert.deepStrictEqual(hb.mark(a), { folded: 256, lastStep: 300, sorted: true });
    assert.deepStrictEqual(hb.mark(b), { folded: 0, lastStep: NaN, sorted: false });
    assert.deepStrictEqual(hb.keys(a), ['z', 'a', 'm']);
    assert.deepStrictEqual(hb.keys(b), []);
    assert.deepStrictEqual(hb.steps(a, 1, 4), [10, 20, 30]);
    assert.equal(hb.stepAt(a, 4), 40);
    assert.equal(hb.stepAt(a, 5), undefined);
    assert.equal(hb.inTransaction(), false);
    assert.equal(
      store.write(() => hb.inTransaction()),
      true,
    );
    store.write(() => hb.clear(a));
    assert.equal(hb.mark(a), undefined);
    assert.deepStrictEqual(hb.keys(a), []);
    assert.ok(hb.mark(b) !== undefined, 'other runs keep theirs');
  });

  test("historyBuckets: a replaced history (its first row deleted) drops the run's buckets, keys and mark", (t) => {
    const store = freshStore(t, factory);
    const [a, b] = twoRuns(store);
    const hb = store.historyBuckets;
    store.write(() => {
      for (const k of [a, b]) {
        for (let i = 0; i < 3; i++) store.history.append(k, i, i, '{"x": 1}');
        hb.put(k, 0, 'x', bucket(0));
        hb.setMark(k, { folded: 64, lastStep: 63, sorted: true });
        hb.addKeys(k, ['x']);
      }
    });
    store.write(() => store.wandbFiles.clearRunContent(a));
    assert.equal(hb.mark(a), undefined);
    assert.equal(hb.get(a, 0, 'x', 0), undefined);
    assert.deepStrictEqual(hb.keys(a), []);
    assert.deepStrictEqual(hb.get(b, 0, 'x', 0), bucket(0));
  });
}
