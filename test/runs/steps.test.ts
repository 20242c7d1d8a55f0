import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyLog, flushPending } from '../../src/runs/steps.js';
import { SkillError } from '../../src/errors.js';

test('log without a step commits at the current step and advances', () => {
  const o = applyLog({ step: 3, pending: null }, { metrics: { a: 1 } });
  assert.deepEqual(o.commits, [{ step: 3, row: { a: 1 } }]);
  assert.deepEqual(o.next, { step: 4, pending: null });
  assert.equal(o.step, 3);
  assert.equal(o.committed, true);
});

test('commit: false accumulates into the pending row; the next commit writes both', () => {
  const a = applyLog({ step: 0, pending: null }, { metrics: { a: 1 }, commit: false });
  assert.deepEqual(a.commits, []);
  assert.deepEqual(a.next, { step: 0, pending: { a: 1 } });
  const b = applyLog(a.next, { metrics: { b: 2 } });
  assert.deepEqual(b.commits, [{ step: 0, row: { a: 1, b: 2 } }]);
  assert.equal(b.next.step, 1);
});

test('a given step defaults commit to false and a later step commits the earlier row', () => {
  const a = applyLog({ step: 0, pending: null }, { metrics: { x: 1 }, step: 5 });
  assert.deepEqual(a.commits, []);
  assert.deepEqual(a.next, { step: 5, pending: { x: 1 } });
  const b = applyLog(a.next, { metrics: { y: 2 }, step: 5 });
  assert.deepEqual(b.next, { step: 5, pending: { x: 1, y: 2 } });
  const c = applyLog(b.next, { metrics: { x: 3 }, step: 7 });
  assert.deepEqual(c.commits, [{ step: 5, row: { x: 1, y: 2 } }]);
  assert.deepEqual(c.next, { step: 7, pending: { x: 3 } });
});

test('a given step with commit: true commits that row and moves past it', () => {
  const o = applyLog({ step: 2, pending: { a: 1 } }, { metrics: { b: 1 }, step: 4, commit: true });
  assert.deepEqual(o.commits, [
    { step: 2, row: { a: 1 } },
    { step: 4, row: { b: 1 } },
  ]);
  assert.deepEqual(o.next, { step: 5, pending: null });
});

test('a step lower than the current one is refused with CONFLICT naming the current step', () => {
  assert.throws(
    () => applyLog({ step: 6, pending: null }, { metrics: { a: 1 }, step: 5 }),
    (e: unknown) => e instanceof SkillError && e.code === 'CONFLICT' && /current step 6/.test(e.message),
  );
});

test('flushPending commits a pending row and is a no-op without one', () => {
  assert.deepEqual(flushPending({ step: 2, pending: { a: 1 } }).commits, [{ step: 2, row: { a: 1 } }]);
  assert.deepEqual(flushPending({ step: 2, pending: null }).commits, []);
});
