// Sweep parameter importance: the forest finds the parameter the metric depends on, correlation
// has its sign, categorical parameters count through their values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parameterImportance } from '../../src/dashboard/importance.js';

test('the parameter the metric depends on ranks first, with the sign of its correlation', () => {
  const runs = Array.from({ length: 40 }, (_, i) => {
    const lr = (i % 10) / 10;
    const noise = ((i * 7919) % 13) / 13;
    const opt = i % 2 === 0 ? 'sgd' : 'adam';
    return { params: { lr, noise, opt }, metric: 3 - 2 * lr + (opt === 'sgd' ? 0.05 : 0) };
  });
  const imp = parameterImportance(['noise', 'lr', 'opt'], runs);
  assert.equal(imp[0]?.name, 'lr');
  assert.ok((imp[0]?.importance ?? 0) > 0.8, JSON.stringify(imp));
  assert.ok((imp[0]?.correlation ?? 0) < -0.95);
  assert.equal(imp.find((p) => p.name === 'opt')?.correlation, null, 'no correlation for a categorical parameter');
  const sum = imp.reduce((s, p) => s + p.importance, 0);
  assert.ok(Math.abs(sum - 1) < 1e-9);
  assert.deepEqual(parameterImportance(['lr'], runs), parameterImportance(['lr'], runs), 'deterministic');
});

test('runs without a finite metric are left out; too few runs give no importance', () => {
  const imp = parameterImportance(
    ['a'],
    [
      { params: { a: 1 }, metric: 1 },
      { params: { a: 2 }, metric: undefined },
    ],
  );
  assert.deepEqual(imp, [{ name: 'a', importance: 0, correlation: null }]);
});
