import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cdf, categoricalIndex, ppf, valueAt, type NumericParam } from '../../src/sweeps/distributions.js';
import { createRng } from '../../src/sweeps/rng.js';
import { betaCdf, betaPpf, normCdf, normPpf, roundHalfEven } from '../../src/sweeps/special.js';
import { parseSweepConfig } from '../../src/sweeps/config.js';
import { flattenParams } from '../../src/sweeps/params.js';
import type { LeafParam } from '../../src/sweeps/types.js';

const N = 20000;

/** Parses one parameter block through the real parser, so defaults are W&B's. */
function leaf(block: Record<string, unknown>): LeafParam {
  const cfg = parseSweepConfig({ method: 'random', parameters: { p: block } });
  return (flattenParams(cfg.parameters)[0] as { spec: LeafParam }).spec;
}

function draw(block: Record<string, unknown>, n = N, seed = 'dist'): unknown[] {
  const spec = leaf(block);
  const rng = createRng(seed);
  return Array.from({ length: n }, () => valueAt(spec, rng.open()));
}

const nums = (xs: unknown[]): number[] => xs.map((x) => x as number);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const counts = (xs: unknown[]): Map<unknown, number> => xs.reduce<Map<unknown, number>>((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map());

describe('special functions', () => {
  it('normal CDF and quantile agree with tabulated values', () => {
    assert.ok(Math.abs(normCdf(1.959963984540054) - 0.975) < 1e-12);
    assert.ok(Math.abs(normCdf(-3.5) - 2.326290790355e-4) < 1e-14);
    for (const p of [1e-10, 0.001, 0.3, 0.5, 0.9, 0.999999]) assert.ok(Math.abs(normCdf(normPpf(p)) - p) < 1e-12 * Math.max(1, p * 1e3));
  });
  it('incomplete beta matches closed forms', () => {
    assert.ok(Math.abs(betaCdf(0.3, 1, 1) - 0.3) < 1e-12);
    assert.ok(Math.abs(betaCdf(0.5, 2, 2) - 0.5) < 1e-12);
    assert.ok(Math.abs(betaCdf(0.2, 2, 1) - 0.04) < 1e-12); // x^2
    assert.ok(Math.abs(betaPpf(0.25, 1, 2) - (1 - Math.sqrt(0.75))) < 1e-12); // 1-(1-x)^2
  });
  it('rounds halves to even like numpy', () => {
    assert.deepEqual([0.5, 1.5, 2.5, -2.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -2, 2, 3]);
  });
});

describe('distributions (random draws, fixed seed)', () => {
  it('constant always returns its value', () => {
    assert.deepEqual(new Set(draw({ value: { a: 1 } }, 50).map((v) => JSON.stringify(v))), new Set(['{"a":1}']));
  });

  it('categorical is uniform over the list, and u = 0 picks the last value as W&B does', () => {
    const c = counts(draw({ values: ['a', 'b', 'c', 'd'] }));
    for (const v of ['a', 'b', 'c', 'd']) assert.ok(Math.abs((c.get(v) ?? 0) / N - 0.25) < 0.02, `${v}: ${c.get(v)}`);
    assert.equal(categoricalIndex(4, 0), 3);
    assert.equal(categoricalIndex(4, 0.25), 0);
    assert.equal(categoricalIndex(4, 0.2500001), 1);
  });

  it('categorical_w_probabilities follows its probabilities', () => {
    const c = counts(draw({ values: ['x', 'y', 'z'], probabilities: [0.7, 0.3, 0] }));
    assert.ok(Math.abs((c.get('x') ?? 0) / N - 0.7) < 0.02);
    assert.ok(Math.abs((c.get('y') ?? 0) / N - 0.3) < 0.02);
    assert.equal(c.get('z'), undefined);
  });

  it('int_uniform covers min..max inclusive, evenly', () => {
    const c = counts(draw({ min: 1, max: 4 }));
    assert.deepEqual([...c.keys()].sort(), [1, 2, 3, 4]);
    for (const v of [1, 2, 3, 4]) assert.ok(Math.abs((c.get(v) ?? 0) / N - 0.25) < 0.02);
  });

  it('uniform stays in [min, max] with the right mean and spread', () => {
    const xs = nums(draw({ min: 2.5, max: 4 }));
    assert.ok(xs.every((x) => x >= 2.5 && x <= 4));
    assert.ok(Math.abs(mean(xs) - 3.25) < 0.02);
    assert.ok(Math.abs(sd(xs) - 1.5 / Math.sqrt(12)) < 0.01);
  });

  it('q_uniform gives multiples of q counted from 0, possibly outside [min, max] (W&B behaviour)', () => {
    assert.deepEqual(new Set(draw({ distribution: 'q_uniform', min: 0.1, max: 1, q: 1 })), new Set([0, 1]));
    assert.deepEqual(new Set(draw({ distribution: 'q_uniform', min: 3, max: 10, q: 5 })), new Set([5, 10]));
  });

  it('log_uniform_values is uniform in ln x; the v1 form takes exponents', () => {
    const xs = nums(draw({ distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 }));
    assert.ok(xs.every((x) => x >= 1e-5 && x <= 1e-1));
    assert.ok(Math.abs(median(xs.map(Math.log10)) + 3) < 0.05);
    const v1 = nums(draw({ distribution: 'log_uniform', min: 0, max: 2 }));
    assert.ok(v1.every((x) => x >= 1 && x <= Math.exp(2)));
    assert.ok(Math.abs(mean(v1.map(Math.log)) - 1) < 0.02);
  });

  it('q_log_uniform_values and q_log_uniform quantise', () => {
    const xs = nums(draw({ distribution: 'q_log_uniform_values', min: 1, max: 1000, q: 8 }));
    assert.ok(xs.every((x) => x % 8 === 0 && x >= 0 && x <= 1000));
    const v1 = nums(draw({ distribution: 'q_log_uniform', min: 0, max: 3 }));
    assert.ok(v1.every((x) => Number.isInteger(x) && x >= 1 && x <= 20));
  });

  it('inv_log_uniform (v1) lies in [e^-max, e^-min]; inv_log_uniform_values equals log_uniform_values', () => {
    const xs = nums(draw({ distribution: 'inv_log_uniform', min: 0, max: 2 }));
    assert.ok(xs.every((x) => x >= Math.exp(-2) - 1e-12 && x <= 1));
    assert.ok(Math.min(...xs) < 0.14 && Math.max(...xs) > 0.99);
    const inv = leaf({ distribution: 'inv_log_uniform_values', min: 1e-5, max: 1e-1 }) as NumericParam;
    const fwd = leaf({ distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 }) as NumericParam;
    for (const [u, want] of [
      [1e-12, 1e-5],
      [0.5, 1e-3],
      [1 - 1e-12, 1e-1],
    ] as const) {
      assert.ok(Math.abs(ppf(inv, u) / want - 1) < 1e-6);
      assert.equal(ppf(inv, u), ppf(fwd, u));
    }
  });

  it('normal and q_normal have mean mu and std sigma', () => {
    const xs = nums(draw({ distribution: 'normal', mu: 2, sigma: 3 }));
    assert.ok(Math.abs(mean(xs) - 2) < 0.1 && Math.abs(sd(xs) - 3) < 0.1);
    const q = nums(draw({ distribution: 'q_normal', mu: 0, sigma: 10, q: 5 }));
    assert.ok(q.every((x) => x % 5 === 0));
    assert.ok(Math.abs(sd(q) - Math.sqrt(100 + 25 / 12)) < 0.4);
    const d = leaf({ distribution: 'normal' });
    assert.deepEqual(d, { distribution: 'normal', mu: 0, sigma: 1 });
  });

  it('log_normal and q_log_normal are positive with median e^mu', () => {
    const xs = nums(draw({ distribution: 'log_normal', mu: 1, sigma: 0.5 }));
    assert.ok(xs.every((x) => x > 0));
    assert.ok(Math.abs(median(xs) - Math.E) < 0.05);
    assert.ok(Math.abs(sd(xs.map(Math.log)) - 0.5) < 0.02);
    const q = nums(draw({ distribution: 'q_log_normal', mu: 3, sigma: 0.5, q: 2 }));
    assert.ok(q.every((x) => x % 2 === 0 && x >= 0));
  });

  it('beta has mean a/(a+b); q_beta with the default q is only 0 or 1', () => {
    const xs = nums(draw({ distribution: 'beta', a: 2, b: 5 }, 5000));
    assert.ok(xs.every((x) => x >= 0 && x <= 1));
    assert.ok(Math.abs(mean(xs) - 2 / 7) < 0.01);
    assert.deepEqual(new Set(draw({ distribution: 'q_beta' }, 2000)), new Set([0, 1]));
    const q = nums(draw({ distribution: 'q_beta', a: 5, b: 5, q: 0.25 }, 2000));
    assert.ok(q.every((x) => [0, 0.25, 0.5, 0.75, 1].includes(x)));
  });

  it('cdf inverts ppf for the continuous forms and centres int_uniform buckets', () => {
    const specs = [
      leaf({ min: 0.5, max: 2.5 }),
      leaf({ distribution: 'log_uniform_values', min: 1e-4, max: 1 }),
      leaf({ distribution: 'inv_log_uniform', min: 0, max: 2 }),
      leaf({ distribution: 'normal', mu: 1, sigma: 2 }),
      leaf({ distribution: 'log_normal' }),
      leaf({ distribution: 'beta', a: 2, b: 3 }),
    ] as NumericParam[];
    for (const s of specs) for (const u of [0.1, 0.5, 0.93]) assert.ok(Math.abs(cdf(s, ppf(s, u)) - u) < 1e-9, s.distribution);
    const ints = leaf({ min: 3, max: 7 }) as NumericParam;
    for (let x = 3; x <= 7; x++) assert.equal(ppf(ints, cdf(ints, x)), x);
  });
});
