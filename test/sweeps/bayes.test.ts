import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextSuggestion, parseSweepConfig, type SweepConfig, type SweepRunObservation } from '../../src/sweeps/index.js';

type Objective = (c: Record<string, unknown>) => number;

/** Runs a sequential sweep: every suggestion becomes a finished run with the objective's value. */
function sweep(cfg: SweepConfig, f: Objective, n: number, seed: number | string): SweepRunObservation[] {
  const runs: SweepRunObservation[] = [];
  for (let i = 0; i < n; i++) {
    const s = nextSuggestion(cfg, runs, { seed, index: i });
    if (s.done) break;
    runs.push({ runId: `r${String(i).padStart(3, '0')}`, config: s.config, state: 'finished', metric: f(s.config) });
  }
  return runs;
}
const best = (runs: SweepRunObservation[]): number => Math.min(...runs.map((r) => r.metric as number));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const bowl: Objective = (c) => ((c['x'] as number) - 0.37) ** 2 + ((c['y'] as number) - 0.61) ** 2;
const space = { x: { min: 0, max: 1.0000001 }, y: { min: 0, max: 1.0000001 } };

describe('bayes search', () => {
  it('warms up with 2 prior draws, then proposes from the surrogate', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: space });
    const runs = sweep(cfg, bowl, 2, 1);
    assert.equal(runs.length, 2);
    const third = nextSuggestion(cfg, runs, { seed: 1, index: 2 });
    assert.equal(third.done, false);
    assert.ok(!third.done && third.info && third.info.predictedStdDev > 0);
    const second = nextSuggestion(cfg, runs.slice(0, 1), { seed: 1, index: 1 });
    assert.ok(!second.done && second.info === undefined);
  });

  it('finds the optimum of a 2-D bowl faster than random search, on average over seeds', () => {
    const bayes = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: space });
    const random = parseSweepConfig({ method: 'random', parameters: space });
    const seeds = [1, 2, 3, 4, 5, 6];
    const b = mean(seeds.map((s) => best(sweep(bayes, bowl, 18, s))));
    const r = mean(seeds.map((s) => best(sweep(random, bowl, 18, s))));
    assert.ok(b < r / 10, `bayes ${b} vs random ${r}`);
  });

  it('maximises when the goal says so', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'acc', goal: 'maximize' }, parameters: space });
    const runs = sweep(cfg, (c) => 1 - bowl(c), 18, 3);
    assert.ok(Math.max(...runs.map((r) => r.metric as number)) > 0.995);
  });

  it('picks the best category, not a list position, in either list order', () => {
    const penalty: Record<string, number> = { adam: 0.6, sgd: 0.9, rmsprop: 0, adagrad: 0.7, lion: 0.8 };
    const f: Objective = (c) => penalty[c['opt'] as string]! + ((c['x'] as number) - 0.5) ** 2;
    for (const values of [Object.keys(penalty), Object.keys(penalty).reverse()]) {
      for (const seed of [1, 2, 3]) {
        const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: { opt: { values }, x: { min: 0, max: 1.0000001 } } });
        const runs = sweep(cfg, f, 20, seed);
        const counts = new Map<unknown, number>();
        for (const r of runs.slice(2)) counts.set(r.config['opt'], (counts.get(r.config['opt']) ?? 0) + 1);
        const top = [...counts.entries()].sort((a, b) => b[1] - a[1]);
        assert.equal(top[0]?.[0], 'rmsprop', `order ${values.join(',')}, seed ${seed}: ${JSON.stringify(top)}`);
        assert.ok((top[0]?.[1] ?? 0) >= 7 && (top[1]?.[1] ?? 0) <= 5, JSON.stringify(top));
        assert.ok(best(runs) < 0.01);
      }
    }
  });

  it('never re-proposes a discrete point any run holds, and ends when the space is used up', () => {
    const cfg = parseSweepConfig({
      method: 'bayes',
      metric: { name: 'loss' },
      parameters: { a: { values: [true, false, 'x'] }, n: { min: 1, max: 4 }, k: { value: 7 } },
    });
    const f: Objective = (c) => (c['n'] as number) + (c['a'] === false ? 0 : 1);
    const runs: SweepRunObservation[] = [{ runId: 'f0', config: { a: false, n: 1, k: 7 }, state: 'failed' }];
    for (let i = 0; i < 11; i++) {
      const s = nextSuggestion(cfg, runs, { seed: 9, index: i });
      assert.equal(s.done, false);
      if (s.done) return;
      assert.equal(s.config['k'], 7);
      runs.push({ runId: `r${String(i).padStart(2, '0')}`, config: s.config, state: i % 4 === 3 ? 'running' : 'finished', metric: f(s.config) });
    }
    const keys = runs.map((r) => JSON.stringify([r.config['a'], r.config['n']]));
    assert.equal(new Set(keys).size, 12);
    assert.deepEqual(nextSuggestion(cfg, runs, { seed: 9, index: 12 }), { done: true, reason: 'space_exhausted' });
  });

  it('keeps falsy categories apart (W&B encodes true and false alike)', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: { flag: { values: [true, false] }, x: { min: 0, max: 1.0000001 } } });
    const f: Objective = (c) => (c['flag'] === false ? 0 : 1) + ((c['x'] as number) - 0.3) ** 2;
    const runs = sweep(cfg, f, 14, 4);
    assert.ok(runs.slice(6).filter((r) => r.config['flag'] === false).length >= 6);
  });

  it('works with categorical_w_probabilities and never proposes a zero-probability value', () => {
    const cfg = parseSweepConfig({
      method: 'bayes',
      metric: { name: 'loss' },
      parameters: { act: { values: ['relu', 'gelu', 'tanh', 'never'], probabilities: [0.5, 0.3, 0.2, 0] }, x: { min: 0, max: 1.0000001 } },
    });
    const f: Objective = (c) => (c['act'] === 'tanh' ? 0 : 1) + ((c['x'] as number) - 0.5) ** 2;
    const runs = sweep(cfg, f, 16, 2);
    assert.equal(runs.length, 16);
    assert.ok(runs.every((r) => r.config['act'] !== 'never'));
    assert.ok(runs.slice(8).filter((r) => r.config['act'] === 'tanh').length >= 5);
  });

  it('spreads parallel proposals: in-flight runs are fantasised, not re-proposed', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: { n: { min: 1, max: 30 } } });
    const runs: SweepRunObservation[] = [
      { runId: 'a', config: { n: 3 }, state: 'finished', metric: 5 },
      { runId: 'b', config: { n: 20 }, state: 'finished', metric: 1 },
    ];
    const proposed: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = nextSuggestion(cfg, runs, { seed: 5, index: i });
      assert.ok(!s.done);
      if (s.done) return;
      proposed.push(s.config['n'] as number);
      runs.push({ runId: `p${i}`, config: s.config, state: 'pending' });
    }
    assert.equal(new Set(proposed).size, 5, `proposals ${proposed.join(',')}`);
    assert.ok(proposed.every((n) => n !== 3 && n !== 20));
  });

  it('handles nested parameters and every numeric distribution', () => {
    const cfg = parseSweepConfig({
      method: 'bayes',
      metric: { name: 'loss' },
      parameters: {
        opt: { parameters: { lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 }, mom: { distribution: 'beta', a: 2, b: 2 } } },
        drop: { distribution: 'q_uniform', min: 0, max: 0.5, q: 0.1 },
        noise: { distribution: 'normal', mu: 0, sigma: 1 },
        size: { distribution: 'q_log_normal', mu: 3, sigma: 0.5, q: 4 },
      },
    });
    const f: Objective = (c) => {
      const opt = c['opt'] as { lr: number; mom: number };
      return (Math.log10(opt.lr) + 3) ** 2 + (opt.mom - 0.5) ** 2 + Math.abs(c['noise'] as number) * 0.1;
    };
    const runs = sweep(cfg, f, 10, 'nested');
    for (const r of runs) {
      const opt = r.config['opt'] as { lr: number; mom: number };
      assert.ok(opt.lr >= 1e-5 && opt.lr <= 1e-1 && opt.mom >= 0 && opt.mom <= 1);
      assert.ok(Number.isInteger(Math.round(((r.config['drop'] as number) / 0.1) * 1e9) / 1e9));
      assert.equal((r.config['size'] as number) % 4, 0);
      assert.deepEqual(Object.keys(r.config), ['drop', 'noise', 'size', 'opt']);
    }
  });

  it('uses failed runs as bad samples (impute: worst), steering away from them', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: { n: { min: 1, max: 10 } } });
    const runs: SweepRunObservation[] = [
      { runId: 'a', config: { n: 1 }, state: 'finished', metric: 0.5 },
      { runId: 'b', config: { n: 10 }, state: 'finished', metric: 0.9 },
      { runId: 'c', config: { n: 2 }, state: 'failed' },
      { runId: 'd', config: { n: 3 }, state: 'crashed', history: [0.1] },
    ];
    const s = nextSuggestion(cfg, runs, { seed: 1, index: 4 });
    assert.ok(!s.done && ![1, 2, 3, 10].includes(s.config['n'] as number));
    assert.ok(!s.done && s.info !== undefined);
  });
});
