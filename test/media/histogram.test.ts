import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeHistogram, histogramFromSequence } from '../../src/media/index.js';
import { assertSkillError } from './helpers/assert-skill-error.js';

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

test('64 bins by default; bins = values + 1; every value counted once', () => {
  const seq = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
  const h = encodeHistogram({ _type: 'histogram', sequence: seq }, 'm.h');
  assert.equal(h._type, 'histogram');
  assert.equal(h.values.length, 64);
  assert.equal(h.bins.length, 65);
  assert.equal(sum(h.values), 1000);
  assert.equal(h.bins[0], Math.min(...seq));
  assert.equal(h.bins[64], Math.max(...seq));
});

test('numpy semantics: last bin closed, values on inner edges go right', () => {
  const h = histogramFromSequence([0, 1, 2, 3, 4], 4);
  assert.deepEqual(h.bins, [0, 1, 2, 3, 4]);
  assert.deepEqual(h.values, [1, 1, 1, 2]);
  // Edges are lo + i*width, as numpy's linspace, so i/10 values fall where numpy puts them:
  // numpy.histogram([i/10 for i in range(11)], 10)[0] == [1, 1, 2, 0, 1, 2, 1, 0, 1, 2]
  const tenths = Array.from({ length: 11 }, (_, i) => i / 10);
  const h10 = histogramFromSequence(tenths, 10);
  assert.deepEqual(h10.values, [1, 1, 2, 0, 1, 2, 1, 0, 1, 2]);
  tenths.forEach((v) => {
    const i = h10.bins.findIndex((edge, k) => k < 10 && v >= edge && (v < (h10.bins[k + 1] ?? 0) || k === 9));
    assert.ok(i >= 0, `value ${v} lies in some bin`);
  });
});

test('all-equal values span [v-0.5, v+0.5]; empty spans [0, 1]', () => {
  const h = histogramFromSequence([3, 3, 3], 2);
  assert.deepEqual(h.bins, [2.5, 3, 3.5]);
  assert.deepEqual(h.values, [0, 3]);
  const e = histogramFromSequence([], 4);
  assert.deepEqual(e.bins, [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(e.values, [0, 0, 0, 0]);
});

test('numBins up to 512; more, zero or fractional refused', () => {
  assert.equal(encodeHistogram({ sequence: [1, 2], numBins: 512 }, 'm.h').values.length, 512);
  for (const numBins of [513, 0, 2.5, '8']) {
    assert.throws(
      () => encodeHistogram({ sequence: [1, 2], numBins }, 'm.h'),
      (e) => assertSkillError(e, 'INVALID_INPUT', 'm.h.numBins'),
    );
  }
});

test('NaN and Infinity in a sequence are refused, naming the element', () => {
  assert.throws(
    () => encodeHistogram({ sequence: [1, Number.NaN] }, 'm.h'),
    (e) => assertSkillError(e, 'INVALID_INPUT', 'm.h.sequence[1]'),
  );
  assert.throws(
    () => encodeHistogram({ sequence: [Infinity] }, 'm.h'),
    (e) => assertSkillError(e, 'INVALID_INPUT', 'm.h.sequence[0]'),
  );
});

test('counts + bins: lengths must match, edges must not decrease; W&B values form accepted', () => {
  assert.deepEqual(encodeHistogram({ counts: [1, 2], bins: [0, 1, 2] }, 'm.h'), { _type: 'histogram', values: [1, 2], bins: [0, 1, 2] });
  assert.deepEqual(encodeHistogram({ values: [5], bins: [0, 1] }, 'm.h'), { _type: 'histogram', values: [5], bins: [0, 1] });
  assert.throws(
    () => encodeHistogram({ counts: [1, 2], bins: [0, 1] }, 'm.h'),
    (e) => assertSkillError(e, 'INVALID_INPUT', 'm.h.bins'),
  );
  assert.throws(
    () => encodeHistogram({ counts: [1, 2], bins: [0, 2, 1] }, 'm.h'),
    (e) => assertSkillError(e, 'INVALID_INPUT', 'm.h.bins[2]'),
  );
  assert.throws(
    () => encodeHistogram({ counts: new Array(513).fill(0), bins: new Array(514).fill(0) }, 'm.h'),
    (e) => assertSkillError(e, 'INVALID_INPUT', 'm.h.counts'),
  );
  assert.throws(
    () => encodeHistogram({ bins: [0, 1] }, 'm.h'),
    (e) => assertSkillError(e, 'INVALID_INPUT', 'm.h'),
  );
});
