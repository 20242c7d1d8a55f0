import assert from 'node:assert/strict';
import { it } from 'node:test';
import { downsampleIndices, downsampleXY } from '../../src/report/downsample.js';
import { rng } from './fixtures.js';

it('keeps at most maxPoints, the first, the last, the global min and max', () => {
  const rand = rng(7);
  const n = 100_000;
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) ys[i] = Math.sin(i / 500) + rand() * 0.1;
  ys[12_345] = 50; // spike up
  ys[67_890] = -40; // spike down
  for (const maxPoints of [1000, 333, 10, 3]) {
    const idx = downsampleIndices(ys, maxPoints);
    assert.ok(idx.length <= maxPoints, `${idx.length} <= ${maxPoints}`);
    assert.equal(idx[0], 0);
    assert.equal(idx[idx.length - 1], n - 1);
    for (let i = 1; i < idx.length; i++) assert.ok((idx[i] as number) > (idx[i - 1] as number), 'ascending');
    if (maxPoints >= 4) {
      assert.ok(idx.includes(12_345), 'max kept');
      assert.ok(idx.includes(67_890), 'min kept');
    }
  }
});

it('short series are returned whole', () => {
  assert.deepEqual(downsampleIndices([3, 1, 2], 10), [0, 1, 2]);
  assert.deepEqual(downsampleXY([0, 1], [5, 6], 10), [
    { x: 0, y: 5 },
    { x: 1, y: 6 },
  ]);
});

it('every bucket keeps its extremes', () => {
  const ys = [0, 5, 1, 9, 2, 8, 3, 7, 4, 6, 0];
  const kept = downsampleIndices(ys, 6).map((i) => ys[i]);
  assert.ok(kept.length <= 6);
  assert.ok(kept.includes(9) && kept[kept.length - 1] === 0);
});
