import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gridSize, nextSuggestion, parseSweepConfig, type SweepConfig, type SweepRunObservation } from '../../src/sweeps/index.js';
import { arange } from '../../src/sweeps/distributions.js';

/** Runs the grid to exhaustion, every run finished. */
function exhaust(cfg: SweepConfig, state: SweepRunObservation['state'] = 'finished'): Record<string, unknown>[] {
  const runs: SweepRunObservation[] = [];
  for (let i = 0; i < 1000; i++) {
    const s = nextSuggestion(cfg, runs, { seed: 1, index: i });
    if (s.done) {
      assert.equal(s.reason, 'grid_exhausted');
      return runs.map((r) => r.config);
    }
    runs.push({ runId: `r${String(i).padStart(4, '0')}`, config: s.config, state });
  }
  assert.fail('grid never ended');
}

describe('grid search', () => {
  it("follows SWEEPS.md's example: sorted names, first slowest, list order kept, constants everywhere", () => {
    const cfg = parseSweepConfig({ method: 'grid', parameters: { b: { values: [1, 2] }, a: { values: ['x', 'y', 'z'] }, c: { value: 0 } } });
    const points = exhaust(cfg).map((p) => [p['a'], p['b'], p['c']]);
    assert.deepEqual(points, [
      ['x', 1, 0],
      ['x', 2, 0],
      ['y', 1, 0],
      ['y', 2, 0],
      ['z', 1, 0],
      ['z', 2, 0],
    ]);
    assert.equal(gridSize(cfg), 6);
  });

  it('sorts nested parameters by flattened name: with opt.lr and z, z changes fastest', () => {
    const cfg = parseSweepConfig({ method: 'grid', parameters: { z: { values: [1, 2] }, opt: { parameters: { lr: { values: [0.1, 0.2] } } } } });
    const points = exhaust(cfg);
    assert.deepEqual(points, [
      { z: 1, opt: { lr: 0.1 } },
      { z: 2, opt: { lr: 0.1 } },
      { z: 1, opt: { lr: 0.2 } },
      { z: 2, opt: { lr: 0.2 } },
    ]);
    assert.deepEqual(Object.keys(points[0] ?? {}), ['z', 'opt'], 'plain keys before nested groups');
  });

  it('expands int_uniform inclusively and q_uniform as numpy.arange (max excluded, float steps)', () => {
    const cfg = parseSweepConfig({ method: 'grid', parameters: { n: { min: 2, max: 4 } } });
    assert.deepEqual(
      exhaust(cfg).map((p) => p['n']),
      [2, 3, 4],
    );
    const q = arange(0, 1, 0.1);
    assert.equal(q.length, 10);
    assert.equal(q[3], 0.30000000000000004);
    assert.equal(q[9], 0.9);
    const cfgQ = parseSweepConfig({ method: 'grid', parameters: { q: { distribution: 'q_uniform', min: 3, max: 10, q: 5 } } });
    assert.deepEqual(
      exhaust(cfgQ).map((p) => p['q']),
      [3, 8],
    );
  });

  it('collapses duplicate values, objects included', () => {
    const cfg = parseSweepConfig({ method: 'grid', parameters: { v: { values: [1, 1, 2, { a: 1, b: 2 }, { b: 2, a: 1 }] } } });
    assert.deepEqual(
      exhaust(cfg).map((p) => p['v']),
      [1, 2, { a: 1, b: 2 }],
    );
  });

  it('lets every run consume its point whatever its state, and ends when all are used', () => {
    const cfg = parseSweepConfig({ method: 'grid', parameters: { a: { values: [1, 2, 3] } } });
    for (const state of ['failed', 'crashed', 'killed', 'running', 'pending'] as const) {
      assert.deepEqual(
        exhaust(cfg, state).map((p) => p['a']),
        [1, 2, 3],
        state,
      );
    }
    const runs: SweepRunObservation[] = [
      { runId: 'x', config: { a: 2 }, state: 'failed' },
      { runId: 'y', config: { a: 1 }, state: 'running' },
    ];
    assert.deepEqual(nextSuggestion(cfg, runs, { seed: 0, index: 2 }), { done: false, config: { a: 3 } });
  });

  it('ignores runs that miss a parameter, and extra keys a run added to a nested group', () => {
    const cfg = parseSweepConfig({ method: 'grid', parameters: { a: { values: [1, 2] }, o: { parameters: { m: { values: [5] } } } } });
    const runs: SweepRunObservation[] = [
      { runId: 'p', config: { a: 1 }, state: 'finished' },
      { runId: 'q', config: { a: 2, o: { m: 5, injected: true } }, state: 'finished' },
    ];
    assert.deepEqual(nextSuggestion(cfg, runs, { seed: 0, index: 2 }), { done: false, config: { a: 1, o: { m: 5 } } });
  });

  it("matches a dict-valued value on the grid value's own keys, recursively: keys the program added do not hide the point", () => {
    const cfg = parseSweepConfig({
      method: 'grid',
      parameters: {
        opt: {
          values: [
            { name: 'adam', cfg: { lr: 1 } },
            { name: 'sgd', cfg: { lr: 1 } },
          ],
        },
        n: { values: [1, 2] },
      },
    });
    const runs: SweepRunObservation[] = [
      { runId: 'a', config: { n: 1, opt: { name: 'adam', cfg: { lr: 1, eps: 1e-8 }, betas: [0.9, 0.99] } }, state: 'finished' },
      { runId: 'b', config: { n: 2, opt: { name: 'adam', cfg: { lr: 1 } } }, state: 'finished' },
      // A different value under a grid key is another point (here none of the grid's).
      { runId: 'c', config: { n: 1, opt: { name: 'sgd', cfg: { lr: 2 } } }, state: 'finished' },
    ];
    assert.deepEqual(nextSuggestion(cfg, runs, { seed: 0, index: 3 }), { done: false, config: { n: 1, opt: { name: 'sgd', cfg: { lr: 1 } } } });
    runs.push({ runId: 'd', config: { n: 1, opt: { name: 'sgd', cfg: { lr: 1, extra: true } } }, state: 'failed' });
    runs.push({ runId: 'e', config: { n: 2, opt: { name: 'sgd', cfg: { lr: 1 }, extra: 1 } }, state: 'running' });
    assert.deepEqual(nextSuggestion(cfg, runs, { seed: 0, index: 5 }), { done: true, reason: 'grid_exhausted' });
  });

  it('keeps NaN and ±Infinity grid values, and a run holding NaN covers the NaN point', () => {
    const cfg = parseSweepConfig({ method: 'grid', parameters: { x: { values: [Number.NaN, Number.NEGATIVE_INFINITY, 0] } } });
    const seen = exhaust(cfg).map((c) => c['x']);
    assert.equal(seen.length, 3);
    assert.ok(Number.isNaN(seen[0]));
    assert.deepEqual(seen.slice(1), [Number.NEGATIVE_INFINITY, 0]);
  });

  it('is deterministic regardless of seed', () => {
    const cfg = parseSweepConfig({ method: 'grid', parameters: { a: { values: [1, 2] } } });
    assert.deepEqual(nextSuggestion(cfg, [], { seed: 'x', index: 0 }), nextSuggestion(cfg, [], { seed: 'y', index: 5 }));
  });
});
