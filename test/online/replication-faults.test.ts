import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill, createSkillRunner } from '../../src/index.js';
import { syncRuns } from '../../src/sync/index.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { ENTITY, server, clean, onlineEnv } from './replication-setup.js';

test('a server that fails or hangs never loses data: the call succeeds with a warning, a later call or sync catches up', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = { env: onlineEnv(s, { WANDB_SKILL_SYNC_TIMEOUT: '1', WANDB_HTTP_TIMEOUT: '0.3' }), cwd: dir, dir };
  const runId = valid(await executeSkill({ action: 'init', project: 'p' }, o)).runId as string;
  s.fail('file_stream', { status: 500, times: 50 });
  const failed = valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 } } }, o));
  assert.equal(failed.status, 'success');
  assert.equal(failed.synced, false);
  assert.ok(
    failed.warnings?.some((w) => /not yet on the W&B server|not on the W&B server/.test(w)),
    JSON.stringify(failed.warnings),
  );
  s.clearFaults();
  s.fail('file_stream', { hang: true, times: 50 });
  const started = Date.now();
  const hung = valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 2 } } }, o));
  assert.equal(hung.status, 'success');
  assert.equal(hung.synced, false);
  assert.ok(Date.now() - started < 8000, 'bounded by the sync timeout');
  s.clearFaults();
  const ok = valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 3 } } }, o));
  assert.equal(ok.synced, true);
  const run = s.run(ENTITY, 'p', runId);
  assert.deepEqual(
    run?.history.map((h) => (h as { a: number }).a),
    [1, 2, 3],
  );
  clean(s);
});

test('a run started on one machine is resumed on another from the server, continuing its lines and steps', async (t) => {
  const s = await server(t);
  const a = tempDir();
  const b = tempDir();
  t.after(a.cleanup);
  t.after(b.cleanup);
  const runId = 'shared01';
  const onA = { env: onlineEnv(s), cwd: a.dir };
  valid(await executeSkill({ action: 'init', project: 'p', runConfig: { id: runId, name: 'two-machines', config: { lr: 0.1 } } }, onA));
  for (let i = 0; i < 3; i++) await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { i } } }, onA);
  valid(await executeSkill({ action: 'finish', project: 'p', runId }, onA));
  const onB = { env: onlineEnv(s), cwd: b.dir };
  const never = valid(
    await executeSkill({ action: 'init', project: 'p', runConfig: { id: runId, resume: 'must' } }, { env: { WANDB_MODE: 'offline' }, cwd: b.dir }),
  );
  assert.equal(never.error?.code, 'NOT_FOUND', 'offline, machine B does not know the run');
  const resumed = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { id: runId, resume: 'must' } }, onB));
  assert.equal(resumed.status, 'success', JSON.stringify(resumed));
  assert.equal(resumed.resumed, true);
  assert.equal(resumed.step, 3);
  assert.equal(resumed.runName, 'two-machines');
  for (let i = 3; i < 5; i++) valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { i } } }, onB));
  valid(await executeSkill({ action: 'finish', project: 'p', runId }, onB));
  const run = s.run(ENTITY, 'p', runId);
  assert.deepEqual(
    run?.history.map((h) => (h as { _step: number })._step),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual((run?.config as Record<string, unknown>)['lr'], { value: 0.1 }, 'config kept');
  assert.equal(run?.state, 'finished');
  clean(s);
});

test('with 30% of file-stream posts failing (some after the server applied them) and some hanging, 1,000 steps arrive exactly once', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner({ env: onlineEnv(s, { WANDB_HTTP_TIMEOUT: '0.3', WANDB_SKILL_SYNC_TIMEOUT: '4' }), cwd: dir });
  t.after(() => runner.close());
  const runId = (await runner.execute({ action: 'init', project: 'chaos' })).runId as string;
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let faults = 0;
  for (let chunk = 0; chunk < 20; chunk++) {
    for (let i = 0; i < 50; i++) await runner.execute({ action: 'log', project: 'chaos', runId, logData: { metrics: { i: chunk * 50 + i } } });
    const r = rand();
    if (r < 0.15) s.fail('file_stream', { status: 500, times: 1 });
    else if (r < 0.3) s.fail('file_stream', { status: 503, times: 1, afterApply: true });
    else if (r < 0.38) s.fail('file_stream', { hang: true, times: 1 });
    if (r < 0.38) faults++;
    await runner.flush();
  }
  const fin = await runner.execute({ action: 'finish', project: 'chaos', runId });
  if (fin.synced !== true) await syncRuns({ env: onlineEnv(s), cwd: dir });
  const run = s.run(ENTITY, 'chaos', runId);
  assert.ok(faults >= 5, `faults injected: ${faults}`);
  assert.equal(run?.history.length, 1000);
  assert.deepEqual(
    run?.history.map((h) => (h as { _step: number })._step),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.equal(run?.state, 'finished');
  clean(s);
});

test('a quiet running run in a long-lived runner keeps telling the server it lives, until it finishes', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner({ env: onlineEnv(s), cwd: dir, heartbeatMs: 100 });
  t.after(() => runner.close());
  const runId = (await runner.execute({ action: 'init', project: 'hb' })).runId as string;
  await runner.execute({ action: 'log', project: 'hb', runId, logData: { metrics: { a: 1 } } });
  await runner.flush();
  const posts = () => s.requests.filter((r) => r.route === 'file_stream').length;
  const before = posts();
  await new Promise((r) => setTimeout(r, 450));
  await runner.flush();
  assert.ok(posts() >= before + 2, `heartbeat posts while idle: ${posts() - before}`);
  await runner.execute({ action: 'finish', project: 'hb', runId });
  const atFinish = posts();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(posts(), atFinish, 'no heartbeat after finish');
  assert.equal(s.run(ENTITY, 'hb', runId)?.history.length, 1);
  clean(s);
});
