import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { categoryWeights, parzen, parzenPdf, parzenSample, tpeNext, type TpeTrial } from '../../bench/tpe.js';
import { PROBLEMS, ackley, dixonPrice, levy, michalewicz, rosenbrock, styblinskiTang } from '../../bench/search-problems.js';
import { searchRegrets } from '../../bench/search.js';
import { createRng, nextSuggestion, parseSweepConfig } from '../../src/sweeps/index.js';
import { buildSpace, categoricalNeighbours, coordinateRedraws } from '../../src/sweeps/bayes-space.js';
import { warpOutputs } from '../../src/sweeps/bayes-warp.js';
import { conditionGp } from '../../src/sweeps/gp.js';
import { checkBoundAll } from './gp-checks.js';

describe('TPE baseline (bench/tpe.ts)', () => {
  it('has Parzen densities that integrate to 1 on [0, 1] and samples inside it', () => {
    for (const pts of [[0.5], [0.01, 0.02, 0.9], [0.3, 0.31, 0.32, 0.7, 0.99]]) {
      const p = parzen(pts);
      let area = 0;
      const steps = 20000;
      for (let i = 0; i < steps; i++) area += parzenPdf(p, (i + 0.5) / steps) / steps;
      assert.ok(Math.abs(area - 1) < 1e-3, `area ${area} for ${pts.join(',')}`);
      const rng = createRng('parzen');
      for (let i = 0; i < 500; i++) {
        const u = parzenSample(p, rng);
        assert.ok(u > 0 && u < 1);
      }
    }
  });

  it('weights categories by smoothed counts', () => {
    const w = categoryWeights([2, 2, 2, 0], 3);
    assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    [2, 1, 4].forEach((c, i) => assert.ok(Math.abs((w[i] as number) - c / 7) < 1e-12));
  });

  it('starts with random draws, then concentrates near the good trials, reproducibly', () => {
    const cfg = parseSweepConfig({ method: 'random', parameters: { x: { distribution: 'uniform', min: 0, max: 1 }, c: { values: ['a', 'b', 'c'] } } });
    const f = (c: Record<string, unknown>) => ((c['x'] as number) - 0.8) ** 2 + (c['c'] === 'b' ? 0 : 1);
    const run = (seed: number): TpeTrial[] => {
      const rng = createRng('tpe-test', seed);
      const trials: TpeTrial[] = [];
      for (let i = 0; i < 40; i++) {
        const config = tpeNext(cfg, trials, rng);
        trials.push({ config, y: f(config) });
      }
      return trials;
    };
    assert.deepEqual(run(1), run(1));
    for (const seed of [1, 2, 3]) {
      const late = run(seed).slice(20);
      const nearB = late.filter((t) => t.config['c'] === 'b' && Math.abs((t.config['x'] as number) - 0.8) < 0.2).length;
      assert.ok(nearB >= 10, `seed ${seed}: ${nearB} of 20 late trials near the optimum`);
    }
  });
});

describe('search-quality problems', () => {
  it('have their stated minima', () => {
    assert.ok(rosenbrock([1, 1, 1]) < 1e-30);
    assert.ok(levy([1, 1, 1, 1]) < 1e-30);
    assert.ok(Math.abs(ackley([0, 0])) < 1e-12);
    assert.ok(dixonPrice([1, 2 ** -0.5]) < 1e-30);
    assert.ok(Math.abs(styblinskiTang([-2.903534, -2.903534]) - 2 * -39.16616570377142) < 1e-6);
    assert.ok(Math.abs(michalewicz([2.20290552, 1.57079633]) - -1.8013034100985537) < 1e-6);
    for (const p of PROBLEMS) {
      const cfg = parseSweepConfig({ method: 'random', parameters: p.parameters });
      for (let i = 0; i < 200; i++) {
        const s = nextSuggestion(cfg, [], { seed: p.name, index: i });
        assert.ok(!s.done && p.f(s.config) >= p.fStar - 1e-6, p.name);
      }
    }
  });

  it('give the same regrets for the same seed (bayes is deterministic on a mixed space)', () => {
    const mixed = PROBLEMS.find((p) => p.name.startsWith('mixed ML')) ?? assert.fail('no mixed problem');
    assert.deepEqual(searchRegrets(mixed, 'bayes', 3), searchRegrets(mixed, 'bayes', 3));
  });
});

describe('GP on a mixed (one-hot) space', () => {
  it('scores candidates in a batch exactly as one by one, with a true upper bound of the deviation', () => {
    const rng = createRng('gp-batch');
    // Columns: a numeric, a 3-value one-hot categorical, a numeric.
    const groups = [0, 1, 1, 1, 2];
    const point = (): number[] => {
      const x = [rng.next(), 0, 0, 0, rng.next()];
      x[1 + rng.int(3)] = Math.SQRT1_2;
      return x;
    };
    const xs = Array.from({ length: 30 }, point);
    const ys = xs.map((x) => Math.sin(6 * (x[0] as number)) + (x[2] ? 1 : 0) + (x[4] as number) ** 2);
    const model = conditionGp(xs, ys, groups, { lengthScales: [0.3, 1, 0.5], noise: 1e-4 });
    const m = 200;
    const cands = Float64Array.from(Array.from({ length: m }, point).flat());
    checkBoundAll(model, cands, m, 5, 1e-9);
    const fitted = model.fittedMeans();
    ys.forEach((y, i) => assert.ok(Math.abs((fitted[i] as number) - y) < 0.05));
  });

  it('takes out more noise where the noise scale is larger, and none with scale 0', () => {
    // Two samples at one point, far apart in value: the fitted means meet in the middle with
    // equal scales and lean to the sample of smaller scale otherwise.
    const xs = [[0.5], [0.5], [0.1], [0.9]];
    const ys = [-1, 1, 0, 0];
    const hyper = { lengthScales: [0.3], noise: 0.5 };
    const even = conditionGp(xs, ys, [0], hyper).fittedMeans();
    assert.ok(Math.abs((even[0] as number) - (even[1] as number)) < 1e-9);
    const lean = conditionGp(xs, ys, [0], hyper, [0, 4, 1, 1]).fittedMeans();
    assert.ok(Math.abs((lean[0] as number) + 1) < 1e-6, `the noiseless sample keeps its value: ${lean[0]}`);
    assert.ok(Math.abs((lean[1] as number) + 1) < 1e-3, `the noisy one is pulled to it: ${lean[1]}`);
  });
});

describe('output warping', () => {
  it('scales the noise by the squared slope of the log, mean 1, largest at the minimum', () => {
    const raw = [0, 1, 2, 5, 50, 400];
    const w = warpOutputs(raw);
    const mean = w.noiseScale.reduce((a, b) => a + b, 0) / raw.length;
    assert.ok(Math.abs(mean - 1) < 1e-12);
    for (let i = 1; i < raw.length; i++) assert.ok((w.noiseScale[i] as number) < (w.noiseScale[i - 1] as number));
    // spread = median − min = sorted[3] − 0 = 5, shift = min − spread = −5: the slope is 1/(y + 5).
    const shift = 0 - 5;
    const ratio = (w.noiseScale[0] as number) / (w.noiseScale[5] as number);
    assert.ok(Math.abs(ratio - (400 - shift) ** 2 / (0 - shift) ** 2) < 1e-6 * ratio);
    assert.deepEqual(warpOutputs([3, 3, 3]).noiseScale, [1, 1, 1]);
  });
});

describe('categorical neighbours (bayes-space)', () => {
  it('changes exactly one categorical per neighbour, to each of its other values', () => {
    const cfg = parseSweepConfig({
      method: 'bayes',
      metric: { name: 'y', goal: 'minimize' },
      parameters: { a: { values: ['x', 'y', 'z'] }, u: { min: 0.0, max: 1.0, distribution: 'uniform' }, b: { values: [true, false] } },
    });
    const space = buildSpace(cfg);
    const centre = space.dims.map((dim) => (dim.kind === 'cat' ? 0 : 0.3));
    const out = categoricalNeighbours(space, centre);
    assert.equal(out.length, 2 + 1);
    for (const c of out) assert.equal(c.filter((v, d) => v !== centre[d]).length, 1);
    assert.equal(new Set(out.map((c) => c.join(','))).size, out.length);
    assert.ok(out.every((c) => c[space.dims.findIndex((dim) => dim.kind === 'num')] === 0.3));
  });
});

describe('coordinate redraws (bayes-space)', () => {
  const cfg = parseSweepConfig({
    method: 'bayes',
    metric: { name: 'y', goal: 'minimize' },
    parameters: {
      a: { values: ['x', 'y', 'z'] },
      u: { min: 0.0, max: 1.0, distribution: 'uniform' },
      n: { min: 1, max: 9, distribution: 'int_uniform' },
      lr: { min: 1e-5, max: 1e-1, distribution: 'log_uniform_values' },
    },
  });
  const space = buildSpace(cfg);
  const centre = space.dims.map((dim) => (dim.kind === 'cat' ? 1 : 0.5));
  const numeric = space.dims.flatMap((dim, d) => (dim.kind === 'num' ? [d] : []));

  it('redraws exactly one numeric coordinate per point, perDim points per numeric parameter, over the whole range', () => {
    const out = coordinateRedraws(space, centre, createRng('redraw'), 15);
    assert.equal(numeric.length, 3);
    assert.equal(out.length, 15 * 3);
    for (const d of numeric) {
      const moved = out.filter((c) => c[d] !== centre[d]);
      assert.equal(moved.length, 15, `dimension ${d}`);
      for (const c of moved) {
        assert.deepEqual(
          c.filter((_, k) => k !== d),
          centre.filter((_, k) => k !== d),
          'every other coordinate (categoricals included) stays the centre`s',
        );
        assert.ok((c[d] as number) > 0 && (c[d] as number) < 1);
      }
      // From the prior, not a step: 15 draws reach both ends of the quantile range.
      const values = moved.map((c) => c[d] as number);
      assert.ok(Math.min(...values) < 0.25 && Math.max(...values) > 0.75, values.join(', '));
    }
  });

  it('is reproducible from the rng, and empty without a numeric parameter', () => {
    assert.deepEqual(coordinateRedraws(space, centre, createRng('redraw', 3), 4), coordinateRedraws(space, centre, createRng('redraw', 3), 4));
    const cats = buildSpace(parseSweepConfig({ method: 'bayes', metric: { name: 'y', goal: 'minimize' }, parameters: { a: { values: [1, 2] } } }));
    assert.deepEqual(coordinateRedraws(cats, [0], createRng('redraw'), 4), []);
  });
});
