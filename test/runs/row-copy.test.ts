// log copies the caller's metrics into the stored row key by key (src/actions/log.ts copyRow): the
// history line must keep the caller's key order, a given _timestamp in its place, an own
// `__proto__` key as data, and the caller's object untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSkillRunner } from '../../src/index.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

function lines(dir: string, runId: string): string[] {
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT h.row FROM history h JOIN runs r ON r.key = h.run_key WHERE r.id = ? ORDER BY h.seq').pluck().all(runId) as string[];
  } finally {
    db.close();
  }
}

test('a logged row keeps the caller key order, its _timestamp in place and __proto__ as data; the input is not changed', async () => {
  const { dir, cleanup } = tempDir();
  const runner = createSkillRunner({ ...isolated(dir), now: () => 1_700_000_000_000 });
  try {
    const runId = valid(await runner.execute({ action: 'init', project: 'p' })).runId as string;
    // 100 keys set one by one (V8 keeps such an object as a hash table), integer-like keys first.
    const many: Record<string, unknown> = {};
    for (let k = 0; k < 100; k++) many[`m${99 - k}`] = k;
    many['7'] = 'seven';
    const given = { b: 1, _timestamp: 1_600_000_000.5, a: 2 };
    const proto = JSON.parse('{"x":1,"__proto__":5,"y":{"__proto__":{"z":1}}}') as Record<string, unknown>;
    for (const metrics of [many, given, proto]) {
      const before = JSON.stringify(metrics);
      valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics } }));
      assert.equal(JSON.stringify(metrics), before, 'the caller object is unchanged');
    }
    const [l0, l1, l2] = lines(dir, runId).map((l) => Object.keys(JSON.parse(l) as object));
    assert.deepEqual(l0, ['7', ...Array.from({ length: 100 }, (_, k) => `m${99 - k}`), '_timestamp', '_step', '_runtime']);
    assert.deepEqual(l1, ['b', '_timestamp', 'a', '_step', '_runtime']);
    assert.equal((JSON.parse(lines(dir, runId)[1] as string) as Record<string, unknown>)['_timestamp'], 1_600_000_000.5);
    assert.deepEqual(l2, ['x', '__proto__', 'y', '_timestamp', '_step', '_runtime']);
    assert.match(lines(dir, runId)[2] as string, /^\{"x":1,"__proto__":5,"y":\{"__proto__":\{"z":1\}\}/);
  } finally {
    runner.close();
    cleanup();
  }
});

test('a row with flat values before a nested one folds into the summary as its line does', async () => {
  const { dir, cleanup } = tempDir();
  const runner = createSkillRunner({ ...isolated(dir), now: () => 1_700_000_000_000 });
  try {
    const runId = valid(await runner.execute({ action: 'init', project: 'p' })).runId as string;
    const logs = [{ n: 5 }, { a: 1, b: -0, n: { x: 1 }, z: 'z' }, { a: 2, n: { y: 2 } }];
    for (const metrics of logs) valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics } }));
    const fin = valid(await runner.execute({ action: 'finish', project: 'p', runId }));
    const { _runtime: _r, _timestamp: _t, _wandb: _w, ...summary } = fin['summary'] as Record<string, unknown>;
    assert.deepEqual(summary, { n: { x: 1, y: 2 }, a: 2, b: 0, z: 'z', _step: 2 });
    assert.ok(Object.is(summary['b'], 0), 'b is the line value 0, not the row value -0');
    assert.deepEqual(Object.keys(summary), ['n', '_step', 'a', 'b', 'z']);
  } finally {
    runner.close();
    cleanup();
  }
});
