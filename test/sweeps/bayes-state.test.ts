import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextSuggestion, parseSweepConfig, type BayesState, type SweepConfig, type SweepRunObservation } from '../../src/sweeps/index.js';

type Objective = (c: Record<string, unknown>) => number;

/** A sequential sweep that threads each suggestion's searchState into the next call, as the store does. */
function sweepWithState(cfg: SweepConfig, f: Objective, n: number, seed: number | string): { runs: SweepRunObservation[]; states: BayesState[] } {
  const runs: SweepRunObservation[] = [];
  const states: BayesState[] = [];
  let state: BayesState | undefined;
  for (let i = 0; i < n; i++) {
    const s = nextSuggestion(cfg, runs, { seed, index: i, ...(state ? { searchState: state } : {}) });
    if (s.done) break;
    if (s.searchState) states.push((state = s.searchState));
    runs.push({ runId: `r${String(i).padStart(3, '0')}`, config: s.config, state: 'finished', metric: f(s.config) });
  }
  return { runs, states };
}

const bowl: Objective = (c) => ((c['x'] as number) - 0.37) ** 2 + ((c['y'] as number) - 0.61) ** 2 + (c['opt'] === 'b' ? 0 : 0.3);
const params = { x: { min: 0, max: 1.0000001 }, y: { min: 0, max: 1.0000001 }, opt: { values: ['a', 'b', 'c'] } };

describe('bayes search state (warm-started GP fits)', () => {
  it('is absent during warm-up, then carries the fit and when it was made', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: params });
    const first = nextSuggestion(cfg, [], { seed: 1, index: 0 });
    assert.ok(!first.done && first.searchState === undefined);
    const { states } = sweepWithState(cfg, bowl, 30, 1);
    assert.equal(states.length, 28);
    for (const s of states) {
      assert.equal(s.lengthScales.length, 3);
      assert.ok(s.noise > 0 && s.coldAt <= s.fitAt);
    }
    // Refits on growth: not every call fits, and a cold fit comes back as the samples grow.
    assert.ok(new Set(states.map((s) => s.fitAt)).size < states.length);
    assert.ok(new Set(states.map((s) => s.coldAt)).size >= 3);
  });

  it('is reproducible: the same runs, seed and state give the same sequence', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: params });
    const a = sweepWithState(cfg, bowl, 25, 'same');
    const b = sweepWithState(cfg, bowl, 25, 'same');
    assert.deepEqual(
      a.runs.map((r) => r.config),
      b.runs.map((r) => r.config),
    );
    assert.deepEqual(a.states, b.states);
  });

  it('finds the optimum as the stateless search does', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: params });
    for (const seed of [1, 2, 3]) {
      const { runs } = sweepWithState(cfg, bowl, 30, seed);
      const best = Math.min(...runs.map((r) => r.metric as number));
      assert.ok(best < 0.01, `seed ${seed}: best ${best}`);
    }
  });

  it('comes back as the very object given from a call that fits nothing (the store writes only a new one)', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: params });
    const runs: SweepRunObservation[] = [];
    let state: BayesState | undefined;
    let reused = 0;
    for (let i = 0; i < 40; i++) {
      const s = nextSuggestion(cfg, runs, { seed: 4, index: i, ...(state ? { searchState: state } : {}) });
      assert.ok(!s.done);
      if (state !== undefined && s.searchState?.fitAt === state.fitAt) {
        assert.equal(s.searchState, state, `call ${i}: no fit, yet a new state object`);
        reused++;
      }
      state = s.searchState ?? state;
      runs.push({ runId: `r${String(i).padStart(3, '0')}`, config: s.config, state: 'finished', metric: bowl(s.config) });
    }
    assert.ok(reused >= 5, `${reused} calls without a fit`);
    // A state written before the trend existed gets its penalties: a new object, to be stored.
    const { trend: _old, ...withoutTrend } = state as BayesState;
    const again = nextSuggestion(cfg, runs, { seed: 4, index: 40, searchState: withoutTrend });
    assert.ok(!again.done && again.searchState !== undefined && again.searchState !== withoutTrend && 'trend' in again.searchState);
  });

  it('ignores a state from a different space (another parameter count) and fits from scratch', () => {
    const cfg = parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: params });
    const { runs } = sweepWithState(cfg, bowl, 10, 4);
    const stranger: BayesState = { lengthScales: [0.3], noise: 1e-3, coldAt: 9, fitAt: 9 };
    const withStranger = nextSuggestion(cfg, runs, { seed: 4, index: 10, searchState: stranger });
    const cold = nextSuggestion(cfg, runs, { seed: 4, index: 10 });
    assert.deepEqual(withStranger, cold);
  });
});
