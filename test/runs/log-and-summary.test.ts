// Logging through the skill's actions: step and commit semantics across calls, non-finite and nested
// metrics, pending rows, and the summary (folded as rows arrive, kept right when other writers log).
// Run lifecycle and input errors: run-lifecycle.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { executeSkill, createSkillRunner } from '../../src/index.js';
import { parseExtended } from '../../src/json/extended-json.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

function historyOf(dir: string, runId: string): Array<Record<string, unknown>> {
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT h.row FROM history h JOIN runs r ON r.key = h.run_key WHERE r.id = ? ORDER BY h.seq').all(runId) as Array<{ row: string }>;
    return rows.map((r) => parseExtended(r.row) as Record<string, unknown>);
  } finally {
    db.close();
  }
}

test('log/commit semantics across separate calls (each its own runner, as separate processes would be)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  let clock = 1_700_000_000_000;
  const o = { ...isolated(dir), now: () => clock };
  const init = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { name: 'r', config: { lr: 0.1 } } }, o));
  const runId = init.runId as string;
  const call = async (logData: Record<string, unknown>) => {
    clock += 1000;
    return valid(await executeSkill({ action: 'log', project: 'p', runId, logData } as never, o));
  };
  assert.deepEqual([(await call({ metrics: { loss: 1 } })).step, (await call({ metrics: { loss: 2 } })).step], [0, 1]);
  const partial = await call({ metrics: { a: 1 }, commit: false });
  assert.equal(partial.step, 2);
  assert.equal(partial.committed, false);
  const merged = await call({ metrics: { b: 2 } });
  assert.equal(merged.step, 2);
  assert.equal(merged.committed, true);
  const s10 = await call({ metrics: { x: 1 }, step: 10 });
  assert.equal(s10.committed, false);
  await call({ metrics: { y: 2 }, step: 10 });
  const low = await call({ metrics: { z: 1 }, step: 9 });
  assert.equal(low.status, 'error');
  assert.equal(low.error?.code, 'CONFLICT');
  assert.match(low.error?.message ?? '', /current step 10/);
  const fin = valid(await executeSkill({ action: 'finish', project: 'p', runId }, o));
  assert.equal(fin.state, 'finished');
  assert.equal(fin.exitCode, 0);
  const h = historyOf(dir, runId);
  assert.deepEqual(
    h.map((r) => r['_step']),
    [0, 1, 2, 10],
  );
  assert.deepEqual({ a: h[2]?.['a'], b: h[2]?.['b'] }, { a: 1, b: 2 });
  assert.deepEqual({ x: h[3]?.['x'], y: h[3]?.['y'] }, { x: 1, y: 2 });
  assert.equal('z' in (h[3] ?? {}), false, 'the refused row stored nothing');
  // _runtime is seconds since start, _timestamp the Unix seconds of the log call
  assert.equal(h[0]?.['_runtime'], 1);
  assert.equal(h[0]?.['_timestamp'], 1_700_000_001);
  assert.equal(fin.summary?.['loss'], 2);
  assert.equal(fin.summary?.['y'], 2);
  assert.equal(fin.summary?.['_step'], 10);
  assert.deepEqual(fin.summary?.['_wandb'], { runtime: 7 }, 'seven 1 s ticks of the injected clock');
  assert.equal(fin.historyLength, 4);
});

test('NaN and Infinity from TypeScript callers are kept; nested metrics stay nested; summary merges leaves', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  const init = await runner.execute({ action: 'init', project: 'p' });
  const runId = init.runId as string;
  await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: Number.NaN, val: { acc: 0.5, f1: 0.1 } } } });
  await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: Number.POSITIVE_INFINITY, val: { acc: 0.7 } } } });
  const fin = valid(await runner.execute({ action: 'finish', project: 'p', runId }));
  const h = historyOf(dir, runId);
  assert.ok(Number.isNaN(h[0]?.['loss']));
  assert.equal(h[1]?.['loss'], Infinity);
  assert.deepEqual(h[0]?.['val'], { acc: 0.5, f1: 0.1 });
  assert.equal(fin.summary?.['loss'], Infinity);
  assert.deepEqual(fin.summary?.['val'], { acc: 0.7, f1: 0.1 });
});

test('a pending commit:false row survives across processes and is committed by finish', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const runId = (await executeSkill({ action: 'init', project: 'p' }, o)).runId as string;
  await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 }, commit: false } }, o);
  assert.equal(historyOf(dir, runId).length, 0);
  const fin = await executeSkill({ action: 'finish', project: 'p', runId, exitCode: 3 }, o);
  assert.equal(fin.state, 'failed');
  assert.equal(fin.exitCode, 3);
  assert.deepEqual(
    historyOf(dir, runId).map((r) => r['a']),
    [1],
  );
});

test('the summary is right after many rows (folded every few hundred rows and at finish)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  const runId = (await runner.execute({ action: 'init', project: 'p' })).runId as string;
  for (let i = 0; i < 700; i++) {
    const metrics: Record<string, unknown> = { i };
    if (i === 100) metrics['rare'] = 'once';
    await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics } });
  }
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  const mid = db.prepare('SELECT summary_seq FROM runs WHERE id = ?').get(runId) as { summary_seq: number };
  db.close();
  assert.ok(mid.summary_seq >= 256 && mid.summary_seq < 700, `folded part-way: ${mid.summary_seq}`);
  const fin = valid(await runner.execute({ action: 'finish', project: 'p', runId }));
  assert.equal(fin.summary?.['i'], 699);
  assert.equal(fin.summary?.['rare'], 'once');
  assert.equal(fin.summary?.['_step'], 699);
});

test('the summary a runner keeps in memory stays right when another process logs to the run, and when the caller changes its objects', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const a = createSkillRunner(isolated(dir));
  const b = createSkillRunner(isolated(dir)); // its own store connection and cache: another writer
  t.after(() => {
    a.close();
    b.close();
  });
  const log = (r: typeof a, runId: string, metrics: Record<string, unknown>) => r.execute({ action: 'log', project: 'p', runId, logData: { metrics } });
  // 1. B writes between A's rows: A's next log finds its copy behind and drops it.
  const one = (await a.execute({ action: 'init', project: 'p' })).runId as string;
  const nested = { acc: 0.5, f1: 0.25 };
  await log(a, one, { loss: 3, val: nested });
  nested.acc = 999; // the caller reuses its object after the call
  await log(a, one, { loss: 2 });
  await log(b, one, { loss: 1, fromB: true, val: { f1: 0.75 } });
  await log(a, one, { loss: 0.5 });
  const fin1 = valid(await a.execute({ action: 'finish', project: 'p', runId: one }));
  assert.deepEqual(
    { loss: fin1.summary?.['loss'], fromB: fin1.summary?.['fromB'], val: fin1.summary?.['val'], step: fin1.summary?.['_step'] },
    { loss: 0.5, fromB: true, val: { acc: 0.5, f1: 0.75 }, step: 3 },
  );
  // 2. B writes after A's last row, then A finishes: A's copy is older than the store and is completed from it.
  const two = (await a.execute({ action: 'init', project: 'p' })).runId as string;
  await log(a, two, { x: 1, keep: 'a' });
  await log(b, two, { x: 2 });
  await log(b, two, { x: 3, late: 'b' });
  const fin2 = valid(await a.execute({ action: 'finish', project: 'p', runId: two }));
  assert.equal(fin2.summary?.['x'], 3);
  assert.equal(fin2.summary?.['keep'], 'a');
  assert.equal(fin2.summary?.['late'], 'b');
  assert.equal(fin2.summary?.['_step'], 2);
  // 3. A failed log (rolled back) leaves nothing in A's copy.
  const three = (await a.execute({ action: 'init', project: 'p' })).runId as string;
  await log(a, three, { y: 1 });
  const bad = await log(a, three, { y: 'x'.repeat(11 * 1024 * 1024) });
  assert.equal(bad.error?.code, 'PAYLOAD_TOO_LARGE');
  const fin3 = valid(await a.execute({ action: 'finish', project: 'p', runId: three }));
  assert.equal(fin3.summary?.['y'], 1);
  assert.equal(fin3.historyLength, 1);
});

test('the summary is what history holds: undefined, dates, functions and __proto__ in a row give the same summary as the stored lines', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  const runId = (await runner.execute({ action: 'init', project: 'p' })).runId as string;
  const log = async (metrics: Record<string, unknown>) => valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics } }));
  assert.equal((await log({ b: 1, t: { a: 1 } })).status, 'success');
  assert.equal(
    (await log({ b: undefined, t: new Date(0), obj: { v: 2, fmt: () => 'x' } })).status,
    'success',
    'a function nested in a row is dropped, as JSON does',
  );
  assert.equal((await log(JSON.parse('{"__proto__": {"polluted": 1}, "c": 3}') as Record<string, unknown>)).status, 'success');
  const fin = valid(await runner.execute({ action: 'finish', project: 'p', runId }));
  // The summary folded from the stored lines, by hand.
  const expected: Record<string, unknown> = {};
  for (const row of historyOf(dir, runId))
    for (const k of Object.keys(row)) Object.defineProperty(expected, k, { value: row[k], enumerable: true, writable: true, configurable: true });
  const summary = fin.summary as Record<string, unknown>;
  assert.equal(summary['b'], 1);
  assert.equal(summary['t'], '1970-01-01T00:00:00.000Z');
  assert.deepEqual(summary['obj'], { v: 2 });
  assert.ok(Object.hasOwn(summary, '__proto__'), 'kept as an own key');
  assert.equal(Object.getPrototypeOf(summary), Object.prototype);
  for (const k of ['b', 't', 'obj', 'c', '_step']) assert.deepEqual(summary[k], expected[k], k);
});
