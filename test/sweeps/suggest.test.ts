import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SkillError } from '../../src/errors.js';
import {
  bestRun,
  fromWandbArgs,
  isTargetReached,
  nextSuggestion,
  parseSweepConfig,
  runMetricValue,
  toCommandArgs,
  toWandbArgs,
  type SweepConfig,
  type SweepRunObservation,
} from '../../src/sweeps/index.js';

function sequence(cfg: SweepConfig, seed: number | string, n: number): unknown[] {
  const runs: SweepRunObservation[] = [];
  for (let i = 0; i < n; i++) {
    const s = nextSuggestion(cfg, runs, { seed, index: i });
    assert.ok(!s.done);
    if (s.done) break;
    runs.push({ runId: `r${i}`, config: s.config, state: 'finished', metric: Math.abs((s.config['x'] as number) - 0.3) });
  }
  return runs.map((r) => r.config);
}

const params = {
  x: { min: 0, max: 1.5 },
  c: { values: ['a', 'b', 'c'] },
  opt: { parameters: { lr: { distribution: 'log_uniform_values', min: 1e-4, max: 1 } } },
};

describe('nextSuggestion', () => {
  it('is reproducible with a seed, and different seeds differ (random and bayes)', () => {
    for (const method of ['random', 'bayes']) {
      const cfg = parseSweepConfig({ method, metric: { name: 'loss' }, parameters: params });
      assert.deepEqual(sequence(cfg, 'sweep-1', 6), sequence(cfg, 'sweep-1', 6), method);
      assert.notDeepEqual(sequence(cfg, 'sweep-1', 6), sequence(cfg, 'sweep-2', 6), method);
    }
  });

  it("lets the config's seed win over the caller's", () => {
    const cfg = parseSweepConfig({ method: 'random', seed: 7, parameters: params });
    assert.deepEqual(sequence(cfg, 'a', 3), sequence(cfg, 'b', 3));
  });

  it('does not depend on the order of the runs', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: params });
    const runs = sequence(cfg, 3, 5).map((config, i) => ({
      runId: `r${i}`,
      config: config as Record<string, unknown>,
      state: 'finished' as const,
      metric: i * 0.1,
    }));
    const a = nextSuggestion(cfg, runs, { seed: 3, index: 5 });
    const b = nextSuggestion(cfg, [...runs].reverse(), { seed: 3, index: 5 });
    assert.deepEqual(a, b);
  });

  it('returns nested configs in range for random search', () => {
    const cfg = parseSweepConfig({ method: 'random', parameters: { ...params, k: { value: [1, 2] } } });
    for (const c of sequence(cfg, 0, 50) as Record<string, unknown>[]) {
      assert.deepEqual(Object.keys(c), ['c', 'k', 'x', 'opt']);
      assert.deepEqual(c['k'], [1, 2]);
      const lr = (c['opt'] as { lr: number }).lr;
      assert.ok(lr >= 1e-4 && lr <= 1);
    }
  });

  it('stops at run_cap; killed or crashed runs without a metric do not count', () => {
    const cfg = parseSweepConfig({ method: 'random', run_cap: 2, metric: { name: 'loss' }, parameters: params });
    const run = (id: string, state: SweepRunObservation['state'], metric?: number): SweepRunObservation =>
      metric === undefined ? { runId: id, config: {}, state } : { runId: id, config: {}, state, metric };
    assert.equal(nextSuggestion(cfg, [run('a', 'finished', 1), run('b', 'crashed')], { seed: 0, index: 2 }).done, false);
    assert.deepEqual(nextSuggestion(cfg, [run('a', 'finished', 1), run('b', 'crashed', 3)], { seed: 0, index: 2 }), { done: true, reason: 'run_cap' });
    assert.deepEqual(nextSuggestion(cfg, [run('a', 'running'), run('b', 'failed')], { seed: 0, index: 2 }), { done: true, reason: 'run_cap' });
  });

  it('stops once any run reaches metric.target', () => {
    const min = parseSweepConfig({ method: 'random', metric: { name: 'loss', target: 0.1 }, parameters: params });
    const max = parseSweepConfig({ method: 'random', metric: { name: 'acc', goal: 'maximize', target: 0.9 }, parameters: params });
    const r = (metric: number): SweepRunObservation => ({ runId: 'a', config: {}, state: 'running', metric });
    assert.deepEqual(nextSuggestion(min, [r(0.1)], { seed: 0, index: 1 }), { done: true, reason: 'target_reached' });
    assert.equal(nextSuggestion(min, [r(0.11)], { seed: 0, index: 1 }).done, false);
    assert.equal(isTargetReached(max, [r(0.89)]), false);
    assert.equal(isTargetReached(max, [{ runId: 'h', config: {}, state: 'running', history: [0.5, 0.95, 0.7] }]), true);
  });

  it('refuses method: custom with UNSUPPORTED', () => {
    const cfg = parseSweepConfig({ method: 'custom', parameters: { x: { value: 1 } } });
    assert.throws(
      () => nextSuggestion(cfg, [], { seed: 0, index: 0 }),
      (e: unknown) => e instanceof SkillError && e.code === 'UNSUPPORTED',
    );
  });
});

describe('metric helpers', () => {
  it('reads the best value, not the last, skipping non-finite entries', () => {
    assert.equal(runMetricValue([3, 1, 2], 'minimize'), 1);
    assert.equal(runMetricValue([3, Number.NaN, 5, 2], 'maximize'), 5);
    assert.equal(runMetricValue([3, 2], 'minimize', 0.5), 0.5);
    assert.equal(runMetricValue([Number.NaN], 'minimize'), undefined);
  });

  it('bestRun picks by goal and can filter states', () => {
    const cfg = parseSweepConfig({ method: 'random', metric: { name: 'acc', goal: 'maximize' }, parameters: params });
    const runs: SweepRunObservation[] = [
      { runId: 'a', config: {}, state: 'finished', metric: 0.7 },
      { runId: 'b', config: {}, state: 'running', metric: 0.9 },
      { runId: 'c', config: {}, state: 'failed' },
    ];
    assert.equal(bestRun(cfg, runs)?.run.runId, 'b');
    assert.equal(bestRun(cfg, runs, { states: ['finished'] })?.value, 0.7);
    assert.equal(bestRun(cfg, [runs[2]!]), undefined);
  });
});

describe('run argument helpers', () => {
  const config = { b: true, f: false, lr: 1e-5, n: null, s: "it's", l: [1, 'a'], big: 1e16, x: 0.25, opt: { lr: 0.01, name: 'é' } };

  it("converts to and from W&B's {param: {value}} form", () => {
    const args = toWandbArgs(config);
    assert.deepEqual(args['opt'], { value: { lr: 0.01, name: 'é' } });
    assert.deepEqual(fromWandbArgs({ ...args, lr: { value: 1e-5, desc: null } }), config);
  });

  it('formats flags as the Python agent does', () => {
    assert.deepEqual(toCommandArgs(config), [
      '--b=True',
      '--f=False',
      '--lr=1e-05',
      '--n=None',
      "--s=it's",
      "--l=[1, 'a']",
      '--big=1e+16',
      '--x=0.25',
      "--opt={'lr': 0.01, 'name': 'é'}",
    ]);
    assert.deepEqual(toCommandArgs({ b: true, f: false, x: 1 }, 'args_no_boolean_flags'), ['--b', '--x=1']);
    assert.deepEqual(toCommandArgs({ x: 1, s: 'a' }, 'args_no_hyphens'), ['x=1', 's=a']);
    assert.deepEqual(toCommandArgs({ x: 1, s: 'a' }, 'args_no_equals'), ['--x', '1', '--s', 'a']);
    assert.deepEqual(toCommandArgs({ lr: 1e-5, opt: { name: 'é', ok: true } }, 'args_json'), ['{"lr": 1e-05, "opt": {"name": "\\u00e9", "ok": true}}']);
  });
});
