import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { METHODS, nextSuggestion, parameterNames, parseSweepConfig } from '../../src/sweeps/index.js';

describe('search methods table', () => {
  it("holds every method the config accepts, and nextSuggestion asks the config's entry", () => {
    assert.deepEqual(Object.keys(METHODS).sort(), ['bayes', 'custom', 'grid', 'random']);
    const cfg = parseSweepConfig({ method: 'grid', parameters: { a: { values: [1, 2] } } });
    assert.deepEqual(nextSuggestion(cfg, [], { index: 0 }), METHODS.grid.next(cfg, [], undefined as never));
  });

  it("keeps each method's config rules: bayes needs a metric and a searchable parameter, grid refuses continuous ones", () => {
    assert.throws(
      () => parseSweepConfig({ method: 'bayes', parameters: { a: { min: 0.0, max: 1.5 } } }),
      /metric: is required: bayesian search needs a metric to optimise/,
    );
    assert.throws(
      () => parseSweepConfig({ method: 'bayes', metric: { name: 'loss' }, parameters: { a: { value: 1 } } }),
      /needs at least one searchable \(non-constant\) parameter/,
    );
    assert.throws(() => parseSweepConfig({ method: 'grid', parameters: { a: { min: 0.0, max: 1.5 } } }), /grid search allows only/);
    // An unknown method is the schema's issue alone.
    assert.throws(() => parseSweepConfig({ method: 'annealing', parameters: { a: { value: 1 } } }), /sweepConfig\.method: must be one of/);
  });
});

describe('parameterNames', () => {
  it("names a raw config's parameters, nested blocks dotted, in the config's order; a non-object names none", () => {
    assert.deepEqual(parameterNames({ lr: { values: [1] }, opt: { parameters: { beta: { value: 0.9 }, eps: { value: 1 } } } }), ['lr', 'opt.beta', 'opt.eps']);
    assert.deepEqual(parameterNames(undefined), []);
    assert.deepEqual(parameterNames([{ a: 1 }]), []);
  });
});
