// The workspace's chart math (src/dashboard/static/series.js), run in Node: W&B's debiased EMA,
// the running average, lines on any x axis joined by bucket, and group aggregates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/paths.js';

interface Line {
  xs: number[];
  ys: number[];
  lo?: number[];
  hi?: number[];
}
interface SeriesMath {
  ema(ys: number[], w: number): number[];
  runningAverage(ys: number[], w: number): number[];
  lineOf(run: unknown, key: string, x: string): Line | null;
  aggregate(lines: Line[], points?: number): { xs: number[]; ys: Array<number | null>; lo: number[]; hi: number[]; std: number[]; n: number[] };
  groupRuns(runs: unknown[], by: string): Map<string, unknown[]>;
  fmtNum(v: number): string;
}
const load = async (): Promise<SeriesMath> =>
  (await import(pathToFileURL(join(packageRoot(import.meta.url), 'src', 'dashboard', 'static', 'series.js')).href)) as SeriesMath;

test('the EMA is debiased: it starts at the first value, keeps a constant constant, and lets NaN through', async () => {
  const m = await load();
  const out = m.ema([2, 4, NaN, 4], 0.5);
  assert.equal(out[0], 2, 'no pull towards zero at the start');
  // last = 0.5*1 + 0.5*4 = 2.5 after two values (1, then 2.5); debias 1 - 0.25 = 0.75
  assert.ok(Math.abs((out[1] as number) - 2.5 / 0.75) < 1e-12);
  assert.ok(Number.isNaN(out[2]));
  assert.ok(Math.abs((out[3] as number) - (2.5 * 0.5 + 2) / 0.875) < 1e-12);
  for (const v of m.ema([3, 3, 3, 3], 0.99)) assert.ok(Math.abs(v - 3) < 1e-9);
});

test('the running average covers the last n finite values', async () => {
  const m = await load();
  assert.deepEqual(m.runningAverage([1, 2, 3, 4], 2), [1, 1.5, 2.5, 3.5]);
});

test('a line on a metric x axis joins the two keys by bucket and sorts by x', async () => {
  const m = await load();
  const run = {
    keys: {
      loss: { b: [0, 1, 2], s: [0, 1, 2], l: [3, 'NaN', 1] },
      lr: { b: [0, 2], s: [0, 2], l: [0.3, 0.1] },
    },
  };
  const l = m.lineOf(run, 'loss', 'lr');
  assert.deepEqual(l?.xs, [0.1, 0.3]);
  assert.deepEqual(l?.ys, [1, 3]);
  const byStep = m.lineOf(run, 'loss', '_step');
  assert.ok(Number.isNaN(byStep?.ys[1]), 'NaN kept as NaN');
  assert.equal(m.fmtNum(NaN), 'NaN');
  assert.equal(m.fmtNum(-Infinity), '-Infinity');
});

test('a group aggregate is the mean of the runs covering each x, with min, max, std and the count', async () => {
  const m = await load();
  const a = m.aggregate([
    { xs: [0, 1, 2], ys: [1, 2, 3] },
    { xs: [0, 1, 2], ys: [3, 4, 5] },
    { xs: [0, 1], ys: [5, 6] },
  ]);
  assert.deepEqual(a.xs, [0, 1, 2]);
  assert.deepEqual(a.ys, [3, 4, 4]);
  assert.deepEqual(a.lo, [1, 2, 3]);
  assert.deepEqual(a.hi, [5, 6, 5]);
  assert.deepEqual(a.n, [3, 3, 2]);
  assert.ok(Math.abs((a.std[0] as number) - Math.sqrt(8 / 3)) < 1e-12);
  // Runs logged at different steps are read linearly between their points.
  const b = m.aggregate([
    { xs: [0, 10], ys: [0, 10] },
    { xs: [0, 5, 10], ys: [2, 2, 2] },
  ]);
  assert.deepEqual(b.ys, [1, 3.5, 6]);
  const groups = m.groupRuns([{ group: 'a' }, { group: null }, { group: 'a' }], 'group');
  assert.deepEqual([...groups.keys()], ['a', '(none)']);
  assert.equal(groups.get('a')?.length, 2);
});
