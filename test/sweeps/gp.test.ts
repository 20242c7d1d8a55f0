import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSpace, encode, encodeInto, randomChoice } from '../../src/sweeps/bayes-space.js';
import { parseSweepConfig } from '../../src/sweeps/index.js';
import { fitGp } from '../../src/sweeps/gp-fit.js';
import { expNonPositive, matern52 } from '../../src/sweeps/gp-kernel.js';
import { createRng } from '../../src/sweeps/rng.js';

/** 40 noisy samples of a smooth function of 3 numbers and a 3-valued categorical (one-hot, one group). */
function data() {
  const rng = createRng('gp-pin');
  const xs: number[][] = [];
  const ys: number[] = [];
  const scale: number[] = [];
  for (let i = 0; i < 40; i++) {
    const u = [rng.next(), rng.next(), rng.next()];
    const cat = rng.int(3);
    const oneHot = [0, 0, 0];
    oneHot[cat] = Math.SQRT1_2;
    xs.push([...u, ...oneHot]);
    ys.push(Math.sin(6 * (u[0] as number)) + (u[1] as number) ** 2 + 0.3 * cat + 0.05 * rng.normal());
    scale.push(0.5 + rng.next());
  }
  return { xs, ys, scale, groups: [0, 1, 2, 3, 3, 3] };
}

describe('GP kernel', () => {
  it("computes the kernel's exponential within 1e-15 of Math.exp (relative) from -700 to 0, and the edge cases exactly", () => {
    const rng = createRng('exp');
    let worst = 0;
    const xs = [-700, -699.5, -1e-300, -Number.MIN_VALUE, Math.log(0.5), -Math.LN2 / 128, -Math.LN2 / 64];
    for (let i = 0; i < 200_000; i++) xs.push(-rng.next() * (i % 2 === 0 ? 5 : 700));
    for (let k = 0; k <= 1000; k++) xs.push(-k * 0.7); // every table step and both ends of the range
    for (const x of xs) worst = Math.max(worst, Math.abs(expNonPositive(x) - Math.exp(x)) / Math.exp(x));
    assert.ok(worst < 1e-15, `worst relative error ${worst}`);
    assert.equal(expNonPositive(0), 1);
    assert.equal(expNonPositive(-0), 1);
    assert.equal(expNonPositive(-701), 0);
    assert.equal(expNonPositive(-Infinity), 0);
    assert.ok(Number.isNaN(expNonPositive(NaN)));
    assert.equal(expNonPositive(1.5), Math.exp(1.5));
    assert.equal(matern52(0), 1);
    const r = 0.8;
    assert.ok(Math.abs(matern52(r * r) - (1 + Math.sqrt(5) * r + (5 / 3) * r * r) * Math.exp(-Math.sqrt(5) * r)) < 1e-16);
  });
});

describe('GP fit', () => {
  // The values the fit gave before it reused the kernel matrix across moves of the noise alone:
  // the reuse is a saving of work, not a change of the search (the search bench's table is the same).
  it('gives bit for bit the fit of the plain search, cold and warm', () => {
    const { xs, ys, scale, groups } = data();
    assert.deepEqual(fitGp(xs, ys, groups, 4, undefined, scale), {
      lengthScales: [0.567627019437303, 1.981212969758046, 6.257052753675269, 5.951892689949134],
      noise: 0.0003867410234545016,
    });
    assert.deepEqual(fitGp(xs, ys, groups, 4, { lengthScales: [0.3, 0.3, 0.3, 0.3], noise: 0.01 }, scale), {
      lengthScales: [0.33155127542269425, 0.9960350768209641, 1.2165599900534023, 1.2165599900534023],
      noise: 0.0024659696394160693,
    });
  });

  it('encodes candidates into a flat array as encode does', () => {
    const cfg = parseSweepConfig({
      method: 'bayes',
      metric: { name: 'y', goal: 'minimize' },
      parameters: {
        lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 },
        layers: { distribution: 'int_uniform', min: 1, max: 12 },
        opt: { values: ['adam', 'sgd', 'rmsprop'] },
        w: { distribution: 'q_uniform', min: 0, max: 4, q: 0.5 },
      },
    });
    const space = buildSpace(cfg);
    const rng = createRng('encode');
    const choices = Array.from({ length: 20 }, () => randomChoice(space, rng, true));
    const flat = new Float64Array(choices.length * space.width);
    choices.forEach((c, i) => encodeInto(space, c, flat, i * space.width));
    assert.deepEqual(
      Array.from(flat),
      choices.flatMap((c) => encode(space, c)),
    );
  });
});
