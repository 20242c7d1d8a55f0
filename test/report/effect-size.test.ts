import assert from 'node:assert/strict';
import { it } from 'node:test';
import { compareGroups, hedgesG, mannWhitneyU, welchTTest } from '../../src/report/stats.js';
import { comparisonTable } from '../../src/report/tables.js';
import { buildHypothesisStats } from '../../src/report/hypothesis.js';
import { makeRun } from './fixtures.js';

function close(actual: number | null, expected: number, tol: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

const A = [1, 2, 3, 4, 5];
const B = [3, 4, 5, 6, 7];

it("Hedges' g matches the hand computation and the textbook formula", () => {
  // By hand: means 3 and 5, sample variances 2.5 and 2.5, pooled sd sqrt(2.5) = 1.58114;
  // d = -2 / 1.58114 = -1.26491; J = 1 - 3 / (4 * 10 - 9) = 28 / 31; g = -1.14250.
  close(hedgesG(A, B), -1.1425004, 1e-6, 'g by hand');
  // Unequal sizes and spreads, checked against the formula written out here.
  const a = [0.61, 0.72, 0.55, 0.69];
  const b = [0.48, 0.51, 0.6, 0.44, 0.5, 0.47];
  const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  const ss = (v: number[]): number => v.reduce((s, x) => s + (x - mean(v)) ** 2, 0);
  const sp = Math.sqrt((ss(a) + ss(b)) / (a.length + b.length - 2));
  const expected = ((mean(a) - mean(b)) / sp) * (1 - 3 / (4 * (a.length + b.length) - 9));
  close(hedgesG(a, b), expected, 1e-12, 'g by formula');
  assert.ok(expected > 1.5, 'a clearly larger');
  close(welchTTest(a, b).hedgesG, expected, 1e-12, 'beside the t-test');
  assert.equal(hedgesG([1], B), null, 'one value: undefined');
  assert.equal(hedgesG([2, 2], [2, 2]), null, 'no spread: undefined');
});

it('the rank-biserial correlation is the share of pairs where A is larger minus the share where it is smaller', () => {
  // Pairs counted here, independently of U: ties count for neither side.
  const count = (a: number[], b: number[]): number => {
    let more = 0;
    let less = 0;
    for (const x of a) {
      for (const y of b) {
        if (x > y) more++;
        else if (x < y) less++;
      }
    }
    return (more - less) / (a.length * b.length);
  };
  // By hand for A vs B: 3 pairs with A larger, 19 with A smaller, 3 ties: (3 - 19) / 25 = -0.64.
  close(mannWhitneyU(A, B).rankBiserial, -0.64, 1e-12, 'r by hand');
  close(count(A, B), -0.64, 1e-12, 'the pair count agrees');
  const a = [10.1, 9.4, 11.2, 12.5, 8.8, 10.7];
  const b = [8.1, 9.9, 7.5, 8.4];
  close(mannWhitneyU(a, b).rankBiserial, count(a, b), 1e-12, 'r with no ties');
  close(mannWhitneyU(b, a).rankBiserial, -count(a, b), 1e-12, 'antisymmetric');
  close(mannWhitneyU([1, 2], [3, 4]).rankBiserial, -1, 0, 'all pairs smaller');
});

it('the comparison table names each test, its direction and its effect size beside it', () => {
  const { comparisons } = compareGroups(
    new Map([
      ['adam', A],
      ['sgd', B],
    ]),
  );
  assert.equal(comparisons.length, 1);
  const runs = [...A.map((v, i) => ({ v, g: 'adam', i })), ...B.map((v, i) => ({ v, g: 'sgd', i: i + 5 }))].map(({ v, g, i }) => {
    const r = makeRun({ runId: `r${i}`, name: `r${i}`, steps: 3, lr: 0.01, optimizer: g, seed: i });
    r.summary = { score: v };
    return r;
  });
  const t = comparisonTable(buildHypothesisStats(runs, 'optimizer', ['score']).metrics[0]!);
  assert.deepEqual(t.headers, [
    'A vs B',
    'mean A − mean B',
    'Welch t',
    'Welch df',
    'Welch p (two-sided)',
    "Hedges' g (A − B)",
    'Mann-Whitney U (of A)',
    'Mann-Whitney p (two-sided)',
    'rank-biserial r (A > B)',
    'Mann-Whitney p method',
  ]);
  const row = t.rows[0]!;
  assert.equal(row[0], 'adam vs sgd');
  assert.equal(row[1], '-2');
  assert.equal(row[5], '-1.143', "Hedges' g right after the t-test's columns");
  assert.equal(row[6], '4.5');
  assert.equal(row[8], '-0.64', 'rank-biserial right after the U test');
});
