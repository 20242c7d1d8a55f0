import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitTrend, selectTrend, withTrend } from '../../src/sweeps/gp-trend.js';
import { conditionGp } from '../../src/sweeps/gp.js';
import { checkBoundAll } from './gp-checks.js';
import { nextSuggestion, parseSweepConfig, type BayesState, type SweepRunObservation } from '../../src/sweeps/index.js';
import { createRng } from '../../src/sweeps/rng.js';

/** n points of 3 quantiles and a 2-valued one-hot categorical (columns 3-4), centred targets of f. */
function sample(n: number, seed: string, f: (u: number[], cat: number) => number) {
  const rng = createRng(seed);
  const xs: number[][] = [];
  const raw: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = [rng.next(), rng.next(), rng.next()];
    const cat = rng.int(2);
    xs.push([...u, cat === 0 ? Math.SQRT1_2 : 0, cat === 1 ? Math.SQRT1_2 : 0]);
    raw.push(f(u, cat));
  }
  const mean = raw.reduce((a, b) => a + b, 0) / n;
  return { xs, ys: raw.map((v) => v - mean), rng };
}
const NUMERIC = [0, 1, 2];
const bowl = (u: number[]) => 3 * ((u[0] as number) - 0.3) ** 2 + 2 * ((u[1] as number) - 0.7) ** 2 - (u[2] as number);

describe('GP trend (gp-trend.ts)', () => {
  it('takes a quadratic bowl from its samples: differences between points within 2% of the true ones', () => {
    const { xs, ys, rng } = sample(40, 'bowl', (u) => bowl(u));
    const { trend, penalties } = selectTrend(xs, ys, NUMERIC);
    assert.ok(trend && penalties && penalties.square !== null, `chosen: ${JSON.stringify(penalties)}`);
    const at = (u: number[]) => trend.at(Float64Array.from([...u, Math.SQRT1_2, 0]), 0);
    const base = [0.5, 0.5, 0.5];
    let worst = 0;
    for (let i = 0; i < 200; i++) {
      const u = [rng.next(), rng.next(), rng.next()];
      worst = Math.max(worst, Math.abs(at(u) - at(base) - (bowl(u) - bowl(base))));
    }
    assert.ok(worst < 0.02 * 3, `worst error ${worst}`); // the bowl spans about 3
    // Its lowest point is the bowl's.
    assert.ok(at([0.3, 0.7, 1]) < at([0.6, 0.4, 1]) && at([0.3, 0.7, 1]) < at([0.05, 0.95, 1]));
  });

  it('mostly chooses no trend where its terms explain nothing (pure noise)', () => {
    // Plain GCV (each effective parameter counted once) chooses one on about 45% of such seeds.
    let chosen = 0;
    const spans: number[] = [];
    for (let seed = 0; seed < 100; seed++) {
      const noise = createRng('noise', seed);
      const { xs, ys, rng } = sample(40, `noise-${seed}`, () => noise.normal());
      const { trend, penalties } = selectTrend(xs, ys, NUMERIC);
      assert.equal(trend === undefined, penalties === null);
      if (!trend) continue;
      chosen++;
      const values = Array.from({ length: 200 }, () => trend.at(Float64Array.from([rng.next(), rng.next(), rng.next(), 0, 0]), 0));
      spans.push(Math.max(...values) - Math.min(...values));
    }
    assert.ok(chosen <= 35, `a trend on ${chosen} of 100 seeds`);
    spans.sort((a, b) => a - b);
    assert.ok((spans[spans.length >> 1] as number) < 1.5, `median span ${spans[spans.length >> 1]} (noise sd 1)`);
  });

  it('keeps out of categorical columns, and refits with the chosen penalties to the same values', () => {
    const { xs, ys, rng } = sample(40, 'cat', (u, cat) => bowl(u) + (cat === 1 ? 1 : 0));
    const { trend, penalties } = selectTrend(xs, ys, NUMERIC);
    assert.ok(trend && penalties);
    const again = fitTrend(xs, ys, NUMERIC, penalties);
    assert.ok(again);
    for (let i = 0; i < 50; i++) {
      const u = [rng.next(), rng.next(), rng.next()];
      const a = Float64Array.from([...u, Math.SQRT1_2, 0]);
      const b = Float64Array.from([...u, 0, Math.SQRT1_2]);
      assert.equal(trend.at(a, 0), trend.at(b, 0));
      assert.equal(again.at(a, 0), trend.at(a, 0));
    }
  });

  it('is left out without numeric parameters, past 20 of them, and below 3 samples', () => {
    const { xs, ys } = sample(40, 'none', (u) => bowl(u));
    assert.equal(selectTrend(xs, ys, []).penalties, null);
    const wide = xs.map(() => Array.from({ length: 21 }, (_, j) => (j * 0.37) % 1));
    assert.equal(
      selectTrend(
        wide,
        ys,
        Array.from({ length: 21 }, (_, j) => j),
      ).penalties,
      null,
    );
    assert.equal(selectTrend(xs.slice(0, 2), ys.slice(0, 2), NUMERIC).penalties, null);
    assert.equal(fitTrend(xs, ys, [], { linear: 1, square: 1 }), undefined);
  });

  it('adds the trend to the means of the GP on the residuals, everywhere the search reads them', () => {
    const { xs, ys, rng } = sample(30, 'model', (u) => bowl(u) + 0.1 * Math.sin(20 * (u[2] as number)));
    const { trend } = selectTrend(xs, ys, NUMERIC);
    assert.ok(trend);
    const flat = Float64Array.from(xs.flat());
    const residual = ys.map((y, i) => y - trend.at(flat, i * 5));
    const groups = [0, 1, 2, 3, 3];
    const gp = conditionGp(xs, residual, groups, { lengthScales: [0.3, 0.3, 0.3, 1], noise: 1e-4 });
    const model = withTrend(gp, trend, flat, 5);
    const fitted = model.fittedMeans();
    const plain = gp.fittedMeans();
    xs.forEach((_, i) => assert.ok(Math.abs((fitted[i] as number) - ((plain[i] as number) + trend.at(flat, i * 5))) < 1e-12));
    // With little noise the fitted means are the samples themselves.
    xs.forEach((_, i) => assert.ok(Math.abs((fitted[i] as number) - (ys[i] as number)) < 0.05));
    const m = 20;
    const points = new Float64Array(m * 5);
    for (let c = 0; c < m; c++) points.set([rng.next(), rng.next(), rng.next(), Math.SQRT1_2, 0], c * 5);
    const { bounds } = checkBoundAll(model, points, m, 5, 1e-12);
    for (let c = 0; c < m; c++) {
      const p = model.predict(points, c * 5);
      assert.ok(Math.abs(p.mean - (gp.predict(points, c * 5).mean + trend.at(points, c * 5))) < 1e-12);
      assert.equal(model.stdAt(points, c * 5), gp.stdAt(points, c * 5));
      assert.ok(p.std <= (bounds[c] as number));
    }
  });

  it('is chosen at each fit, kept in the search state between fits, and chosen again from a state without it', () => {
    const cfg = parseSweepConfig({
      method: 'bayes',
      metric: { name: 'loss' },
      parameters: { x: { distribution: 'uniform', min: -5, max: 5 }, y: { distribution: 'uniform', min: -5, max: 5 }, opt: { values: ['a', 'b'] } },
    });
    const f = (c: Record<string, unknown>) => ((c['x'] as number) - 1) ** 2 + ((c['y'] as number) + 2) ** 2 + (c['opt'] === 'a' ? 0 : 2);
    const runs: SweepRunObservation[] = [];
    let state: BayesState | undefined;
    const states: BayesState[] = [];
    for (let i = 0; i < 25; i++) {
      const s = nextSuggestion(cfg, runs, { seed: 4, index: i, ...(state ? { searchState: state } : {}) });
      assert.ok(!s.done);
      if (s.searchState) states.push((state = s.searchState));
      runs.push({ runId: `r${i}`, config: s.config, state: 'finished', metric: f(s.config) });
    }
    assert.ok(states.every((s) => s.trend !== undefined));
    assert.ok(
      states.some((s) => s.trend !== null),
      'a bowl gets a trend',
    );
    for (let i = 1; i < states.length; i++) {
      const [a, b] = [states[i - 1] as BayesState, states[i] as BayesState];
      if (b.fitAt === a.fitAt) assert.deepEqual(b.trend, a.trend); // no fit: the penalties are kept
    }
    // A state written before the trend existed: the same proposal as a state that holds the penalties chosen now.
    const last = states[states.length - 1] as BayesState;
    const { trend: _t, ...old } = last;
    const fromOld = nextSuggestion(cfg, runs, { seed: 4, index: 25, searchState: old });
    assert.ok(!fromOld.done && fromOld.searchState?.trend !== undefined);
    const withChosen = nextSuggestion(cfg, runs, { seed: 4, index: 25, searchState: { ...old, trend: fromOld.searchState?.trend ?? null } });
    assert.ok(!withChosen.done);
    assert.deepEqual(withChosen.config, fromOld.config);
    // Near the optimum by the end.
    const best = Math.min(...runs.map((r) => r.metric as number));
    assert.ok(best < 0.5, `best ${best}`);
  });
});
