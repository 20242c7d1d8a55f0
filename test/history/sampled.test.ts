// The stored, downsampled history equals the full scan (the oracle): after random logs at several
// batch sizes, step ranges, non-finite values, nested keys, and after a mark far behind (an old
// store) is caught up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.js';
import { newRun } from '../store/contract.js';
import { catchUp, FOLD_ROWS } from '../../src/history/fold.js';
import { sampleHistory, sampleHistoryByScan } from '../../src/history/sampled.js';
import { appendLogged, assertEqualsScan, KEYS, optionSets, randomMetrics, rng } from './helpers.js';

function tempStore(t: { after(fn: () => void): void }): Store {
  const dir = mkdtempSync(join(tmpdir(), 'sampled-'));
  const store = openStore({ path: join(dir, 'store.sqlite') });
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

for (const { seed, rows, batch } of [
  { seed: 1, rows: 5000, batch: 1 },
  { seed: 2, rows: 12_000, batch: 37 },
  { seed: 3, rows: 700, batch: 300 },
  { seed: 4, rows: 63, batch: 1 },
]) {
  test(`random logs (seed ${seed}, ${rows} rows, ${batch} per call): stored form = full scan`, (t) => {
    const store = tempStore(t);
    const r = rng(seed);
    const key = store.write(() => store.runs.insert(newRun()).key);
    appendLogged(
      store,
      key,
      Array.from({ length: rows }, () => randomMetrics(r)),
      0,
      batch,
    );
    const mark = store.historyBuckets.mark(key);
    if (rows >= FOLD_ROWS) assert.ok(mark !== undefined && mark.folded > 0, 'the log path folded');
    assertEqualsScan(store, key, optionSets(r, rows * 1.5), `seed ${seed}`);
  });
}

test('the points are right: counts, extremes with their steps, last values, means', (t) => {
  const store = tempStore(t);
  const key = store.write(() => store.runs.insert(newRun()).key);
  const vals = Array.from({ length: 3000 }, (_, i) => (i === 1234 ? 1e6 : i === 2000 ? NaN : i % 10));
  appendLogged(
    store,
    key,
    vals.map((v) => ({ y: v })),
    0,
    50,
  );
  const s = sampleHistory(store, key, { keys: ['y'], samples: 10 });
  assert.equal(s.rows, 3000);
  assert.equal(s.bucketRows, 512);
  const pts = s.series['y'] ?? [];
  assert.equal(pts.length, 6);
  assert.equal(
    pts.reduce((n, p) => n + p.count, 0),
    3000,
  );
  const spike = pts.find((p) => p.max === 1e6);
  assert.ok(spike !== undefined, 'the spike is a bucket max');
  assert.equal(spike.bucket, 2);
  assert.equal(pts[3]?.finite, 511, 'the NaN counts but is not finite');
  assert.equal(pts[5]?.last, 9);
  assert.equal(pts[5]?.lastStep, store.historyBuckets.stepAt(key, 2999));
  // Bucket 0: rows 0..511 of i % 10 (51 whole cycles, then 0 and 1).
  assert.ok(Math.abs((pts[0]?.mean ?? 0) - (51 * 45 + 1) / 512) < 1e-12);
  assert.equal(pts[0]?.min, 0);
  assert.equal(pts[0]?.minStep, 0);
});

test('an old store (no buckets) is caught up by the first read, and reads equal the scan before and after', (t) => {
  const store = tempStore(t);
  const r = rng(9);
  const key = store.write(() => store.runs.insert(newRun()).key);
  appendLogged(
    store,
    key,
    Array.from({ length: 9000 }, () => randomMetrics(r)),
    0,
    500,
  );
  // As a store written before buckets existed: no mark, no buckets.
  store.write(() => store.historyBuckets.clear(key));
  assert.equal(store.historyBuckets.mark(key), undefined);
  assertEqualsScan(store, key, optionSets(r, 9000), 'caught up');
  assert.equal(store.historyBuckets.mark(key)?.folded, 8960, 'the read caught the buckets up to the last whole fold');
  assert.equal(catchUp(store, key).folded, 8960);
});

test('a replaced history (import) drops its buckets; a step range over unsorted steps falls back to the scan', (t) => {
  const store = tempStore(t);
  const r = rng(11);
  const key = store.write(() => store.runs.insert(newRun()).key);
  appendLogged(
    store,
    key,
    Array.from({ length: 3000 }, () => randomMetrics(r)),
    0,
    100,
  );
  assert.ok((store.historyBuckets.mark(key)?.folded ?? 0) > 0);
  store.write(() => {
    store.wandbFiles.clearRunContent(key);
    // Steps that go down: an imported history the log rules would refuse.
    const rows = Array.from({ length: 2600 }, (_, i) => ({ step: (i * 7919) % 2600, line: JSON.stringify({ _step: (i * 7919) % 2600, y: i % 13 }) }));
    store.wandbFiles.appendHistory(key, 0, { length: rows.length, stepAt: (i) => rows[i]!.step, lineAt: (i) => rows[i]!.line });
  });
  assert.equal(store.historyBuckets.mark(key), undefined, 'the mark went with the old rows');
  assertEqualsScan(store, key, optionSets(r, 2600), 'replaced', true);
  assert.equal(store.historyBuckets.mark(key)?.sorted, false);
  const all = sampleHistory(store, key, { keys: ['y'], samples: 100 });
  assert.deepStrictEqual(all, sampleHistoryByScan(store, key, { keys: ['y'], samples: 100 }));
  assert.ok(KEYS.length > 0);
});
