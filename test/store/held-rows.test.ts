// A store keeps the run rows it last read or wrote (and which runs have no alert rules), so log()
// does not read its run back on every call. These tests hold those copies to what the file says:
// another connection's commits, a rolled-back write and interleaved writers on one run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.js';
import { createSkillRunner } from '../../src/skill.js';
import { tempDir } from '../helpers/tmp.js';

function newRun(store: Store, id: string) {
  return store.write(() =>
    store.runs.insert({
      project: 'p',
      id,
      entity: null,
      displayName: id,
      state: 'running',
      config: { a: 1 },
      tags: [],
      notes: null,
      group: null,
      jobType: null,
      username: null,
      host: null,
      sweepId: null,
      now: 1,
    }),
  );
}

/** Two connections to one new store file, closed (and the folder removed) after the test. */
function twoConnections(t: { after(fn: () => void): void }): { a: Store; b: Store } {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'store.sqlite');
  const a = openStore({ path });
  const b = openStore({ path });
  t.after(() => {
    a.close();
    b.close();
    cleanup();
  });
  return { a, b };
}

test("a held run row gives way to another connection's commit", (t) => {
  const { a, b } = twoConnections(t);
  const run = newRun(a, 'r1');
  assert.equal(a.runs.get('p', 'r1')?.step, 0);
  b.write(() => b.runs.saveProgress(run.key, { state: 'finished', step: 7, historyCount: 0, pendingRow: null, heartbeatAt: 2, finishedAt: 2, exitCode: 0 }));
  const seen = a.runs.get('p', 'r1');
  assert.equal(seen?.state, 'finished');
  assert.equal(seen?.step, 7);
  assert.equal(a.runs.getByKey(run.key)?.state, 'finished');
  // Inside a write too: the other connection's later commit is seen by the next transaction.
  b.write(() => b.runs.saveLogProgress(run.key, { step: 9, historyCount: 0, pendingRow: { x: 1 }, heartbeatAt: 3 }));
  assert.deepEqual(
    a.write(() => a.runs.get('p', 'r1')?.pendingRow),
    { x: 1 },
  );
});

test('a rolled-back write leaves no trace in the held rows', (t) => {
  const { dir, cleanup } = tempDir();
  const store = openStore({ path: join(dir, 'store.sqlite') });
  t.after(() => {
    store.close();
    cleanup();
  });
  const run = newRun(store, 'r1');
  store.write(() => store.runs.saveLogProgress(run.key, { step: 1, historyCount: 0, pendingRow: null, heartbeatAt: 2 }));
  assert.throws(() =>
    store.write(() => {
      store.runs.get('p', 'r1');
      store.runs.saveLogProgress(run.key, { step: 5, historyCount: 3, pendingRow: { y: 2 }, heartbeatAt: 4, summary: { value: { y: 2 }, seq: 3 } });
      assert.equal(store.runs.get('p', 'r1')?.step, 5, 'the write sees its own change');
      throw new Error('refused');
    }),
  );
  const after = store.runs.get('p', 'r1');
  assert.equal(after?.step, 1);
  assert.equal(after?.historyCount, 0);
  assert.equal(after?.pendingRow, null);
  assert.deepEqual(after?.summary, {});
  assert.equal(after?.heartbeatAt, 2);
});

test('a record made before a summary fold keeps the summary it was made with', (t) => {
  const { dir, cleanup } = tempDir();
  const store = openStore({ path: join(dir, 'store.sqlite') });
  t.after(() => {
    store.close();
    cleanup();
  });
  const run = newRun(store, 'r1');
  const before = store.runs.get('p', 'r1');
  store.write(() =>
    store.runs.saveLogProgress(run.key, { step: 1, historyCount: 1, pendingRow: null, heartbeatAt: 2, summary: { value: { loss: 1 }, seq: 1 } }),
  );
  assert.deepEqual(before?.summary, {});
  assert.equal(before?.summarySeq, 0);
  assert.deepEqual(store.runs.get('p', 'r1')?.summary, { loss: 1 });
});

test("a run's alert rules added by another connection are seen by the next log's lookup", (t) => {
  const { a, b } = twoConnections(t);
  const run = newRun(a, 'r1');
  assert.deepEqual(a.alerts.rulesFor(run.key), []);
  b.write(() =>
    b.alerts.upsertRule({
      id: 'rule1',
      runKey: run.key,
      title: 't',
      text: 'x',
      level: 'WARN',
      waitDuration: 0,
      metric: 'loss',
      op: '>',
      value: 1,
      createdAt: 1,
    }),
  );
  assert.deepEqual(
    a.alerts.rulesFor(run.key).map((r) => r.title),
    ['t'],
  );
});

test('two connections interleaving logs on one run keep its count, steps, pending row and summary', async (t) => {
  const { dir, cleanup } = tempDir();
  const env = { WANDB_MODE: 'offline' };
  const one = createSkillRunner({ env, cwd: dir });
  const two = createSkillRunner({ env, cwd: dir });
  t.after(() => {
    one.close();
    two.close();
    cleanup();
  });
  const init = await one.execute({ action: 'init', project: 'p', runId: 'both0001' });
  assert.equal(init.status, 'success');
  const expected: Record<string, unknown> = {};
  let rows = 0;
  for (let i = 0; i < 60; i++) {
    const runner = i % 3 === 0 ? two : one;
    // Every fifth call leaves its metrics pending; the next call (from either writer) merges and commits them.
    const commit = i % 5 !== 4;
    const out = await runner.execute({
      action: 'log',
      project: 'p',
      runId: 'both0001',
      logData: { metrics: { [`k${i % 4}`]: i, writer: i % 3 === 0 ? 2 : 1 }, commit },
    });
    assert.equal(out.status, 'success', JSON.stringify(out));
    expected[`k${i % 4}`] = i;
    expected['writer'] = i % 3 === 0 ? 2 : 1;
    if (commit) rows += 1;
    assert.equal(out.historyLength, rows, `call ${i}`);
  }
  // The last call (59) left its row pending: finish commits it.
  const done = await two.execute({ action: 'finish', project: 'p', runId: 'both0001', exitCode: 0 });
  assert.equal(done.status, 'success');
  rows += 1;
  await one.withContext({ action: 'finish', project: 'p' }, async (_ctx, store) => {
    const run = store.runs.get('p', 'both0001');
    assert.equal(run?.historyCount, rows);
    assert.equal(run?.step, rows);
    assert.equal(run?.state, 'finished');
    const lines = store.history.rows(run?.key ?? -1);
    assert.equal(lines.length, rows);
    lines.forEach((r, i) => assert.equal(r['_step'], i));
    const summary = { ...(run?.summary ?? {}) };
    delete summary['_wandb'];
    for (const k of Object.keys(summary)) if (k.startsWith('_')) delete summary[k];
    assert.deepEqual(summary, expected);
  });
});

test('a record of a held row equals one read from the file, and its parsed columns are shared read-only', (t) => {
  const { a, b } = twoConnections(t);
  const run = newRun(a, 'r1');
  a.write(() => a.runs.saveMeta(run.key, { ...run, config: { a: 1, nested: { deep: [1, 2] } }, tags: ['x'], now: 2 }));
  a.runs.get('p', 'r1'); // read from the file, then held
  a.write(() => a.runs.noteAppended(run.key, 7, 7));
  const held = a.runs.get('p', 'r1');
  const again = a.runs.get('p', 'r1');
  assert.ok(held !== undefined && again !== undefined);
  // The other connection reads the file: the same values, field by field and in the same order.
  b.write(() => b.runs.noteAppended(run.key, 7, 7));
  const fromFile = b.runs.get('p', 'r1');
  assert.ok(fromFile !== undefined);
  assert.deepEqual(Object.keys(held), Object.keys(fromFile));
  assert.deepEqual({ ...held, step: 0, historyCount: 0 }, { ...fromFile, step: 0, historyCount: 0 });
  assert.equal(held.step, 7, "the held row's step, as noteAppended set it");
  assert.equal(held.config, again.config, 'parsed once for the row');
  assert.throws(() => {
    (held.config['nested'] as { deep: number[] }).deep.push(3);
  }, TypeError);
  assert.throws(() => {
    held.tags.push('y');
  }, TypeError);
  // A copy is the caller's own.
  const copy = { ...held.config, b: 2 };
  assert.deepEqual(copy, { a: 1, nested: { deep: [1, 2] }, b: 2 });
});
