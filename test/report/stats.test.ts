import assert from 'node:assert/strict';
import { describe as group, it } from 'node:test';
import { incompleteBeta, normalCdf, studentTCdf, studentTQuantile } from '../../src/report/distributions.js';
import { compareGroups, describe, holmAdjust, mannWhitneyU, welchTTest } from '../../src/report/stats.js';

function close(actual: number | null, expected: number, tol: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

// Reference values are scipy 1.17 (scipy.stats.t, norm, beta, ttest_ind, mannwhitneyu).
group('distributions', () => {
  it('t quantiles match tables', () => {
    close(studentTQuantile(0.975, 10), 2.228138851986274, 1e-9, 't(0.975, 10)');
    close(studentTQuantile(0.995, 3), 5.840909309733355, 1e-9, 't(0.995, 3)');
    close(studentTQuantile(0.9, 1), 3.0776835371752544, 1e-9, 't(0.9, 1)');
    close(studentTQuantile(0.025, 10), -2.228138851986274, 1e-9, 't(0.025, 10)');
  });
  it('t CDF, also for fractional df', () => {
    close(studentTCdf(2.0, 5), 0.9490302605850708, 1e-12, 'cdf(2, 5)');
    close(studentTCdf(-1.5, 2.5), 0.12391822654314809, 1e-12, 'cdf(-1.5, 2.5)');
    close(studentTCdf(0, 7), 0.5, 1e-15, 'cdf(0, 7)');
  });
  it('incomplete beta and normal CDF', () => {
    close(incompleteBeta(0.3, 2.5, 4), 0.3521975859067672, 1e-12, 'I(0.3; 2.5, 4)');
    close(normalCdf(1.96), 0.9750021048517795, 1e-13, 'Phi(1.96)');
    close(normalCdf(-3.5), 0.00023262907903552502, 1e-15, 'Phi(-3.5)');
  });
});

group('descriptives', () => {
  it('mean, sample std and Student-t 95% CI', () => {
    const d = describe([1, 2, 3, 4, 5]);
    assert.equal(d.n, 5);
    assert.equal(d.mean, 3);
    close(d.std, 1.5811388300841898, 1e-12, 'std');
    close(d.ci95?.[0] ?? null, 1.0367568385224428, 1e-9, 'ci lo');
    close(d.ci95?.[1] ?? null, 4.963243161477557, 1e-9, 'ci hi');
  });
  it('one value: no std, no interval', () => {
    assert.deepEqual(describe([4]), { n: 1, mean: 4, std: null, min: 4, max: 4, ci95: null });
    assert.equal(describe([]).mean, null);
  });
});

group('Welch t-test', () => {
  it('matches scipy ttest_ind(equal_var=False)', () => {
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const r = welchTTest(a, b);
    close(r.t, -2.455356398286006, 1e-9, 't');
    close(r.df, 24.988529290231416, 1e-9, 'df');
    close(r.p, 0.021378001462866992, 1e-10, 'p');
  });
  it('small unequal samples', () => {
    const r = welchTTest([0.8, 0.83, 0.79], [0.7, 0.9, 0.6, 0.65]);
    close(r.t, 1.4088724209534509, 1e-9, 't');
    close(r.df, 3.1984748317560894, 1e-9, 'df');
    close(r.p, 0.2482854227485974, 1e-9, 'p');
  });
  it('too few values give nulls', () => {
    assert.equal(welchTTest([1], [2, 3]).p, null);
  });
});

group('Mann-Whitney U', () => {
  it('exact p for small samples without ties (hand-worked U)', () => {
    const r = mannWhitneyU([1, 2, 3], [4, 5]);
    assert.equal(r.u, 0);
    assert.equal(r.u2, 6);
    assert.equal(r.method, 'exact');
    close(r.p, 0.2, 1e-12, 'p'); // 2 * 1/C(5,2)
    const r2 = mannWhitneyU([1, 4, 7, 9], [2, 3, 5, 6, 8, 10]);
    assert.equal(r2.u, 11); // 0 + 2 + 4 + 5 pairs where the first sample is larger
    close(r2.p, 0.9142857142857143, 1e-12, 'p');
  });
  it('normal approximation with tie and continuity correction', () => {
    const r = mannWhitneyU([1, 2, 2, 3, 5], [2, 4, 4, 6, 7, 8]);
    assert.equal(r.method, 'normal');
    assert.equal(r.u, 5);
    close(r.p, 0.07934368319771502, 1e-10, 'p');
  });
  it('large samples use the normal approximation', () => {
    const a = Array.from({ length: 30 }, (_, i) => i + 1);
    const b = Array.from({ length: 30 }, (_, i) => i + 10.5);
    const r = mannWhitneyU(a, b);
    assert.equal(r.method, 'normal');
    assert.equal(r.u, 210);
    close(r.p, 0.0003988101938466105, 1e-10, 'p');
  });
  it('all values tied: p = 1', () => {
    assert.equal(mannWhitneyU([1, 1, 1], [1, 1]).p, 1);
  });
});

group('groups', () => {
  it('Holm adjustment', () => {
    assert.deepEqual(holmAdjust([0.01, 0.04, null, 0.03]), [0.03, 0.06, null, 0.06]);
  });
  it('pairwise comparisons for three groups', () => {
    const r = compareGroups(
      new Map([
        ['a', [1, 2, 3]],
        ['b', [4, 5, 6]],
        ['c', [7, 8, 9]],
      ]),
    );
    assert.deepEqual(
      r.groups.map((g) => [g.group, g.n, g.mean]),
      [
        ['a', 3, 2],
        ['b', 3, 5],
        ['c', 3, 8],
      ],
    );
    assert.deepEqual(
      r.comparisons.map((c) => `${c.a}-${c.b}`),
      ['a-b', 'a-c', 'b-c'],
    );
    const ac = r.comparisons[1];
    assert.ok(ac && ac.welch.p !== null && ac.welch.pHolm !== null && ac.welch.pHolm >= ac.welch.p);
  });
});

it('a constant sample has no spread, though its mean differs from the value in the last bit', () => {
  const a = Array<number>(12).fill(1 - 2 / 22);
  const b = Array<number>(12).fill(1 - 1 / 22);
  assert.equal(describe(a).std, 0);
  const r = welchTTest(a, b);
  assert.equal(r.t, null, 'no t statistic from rounding noise');
  assert.equal(r.hedgesG, null);
  assert.equal(r.p, 0, 'two different constants');
});
