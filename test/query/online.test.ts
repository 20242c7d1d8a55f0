import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSkillRunner, defaultStorePath, openStore } from '../../src/index.js';
import type { SkillInput } from '../../src/contract/types.generated.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { ensureProject, newRun } from '../helpers/wandb-server-state.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { onlineRunner } from '../helpers/online.js';

type Obj = Record<string, unknown>;

test('online refresh: a team project runs made by others are fetched (paged GraphQL), filtered with the local ones, updated, and never synced back', async (t) => {
  const { dir, server, runner, call } = await onlineRunner(t);

  // Our own run, replicated to the server as usual.
  const mine = await call({ action: 'init', project: 'team', runConfig: { id: 'mine', config: { lr: 0.5 } } });
  assert.equal(mine.status, 'success', JSON.stringify(mine.error));
  await call({ action: 'log', project: 'team', runId: 'mine', logData: { metrics: { acc: 0.6 } } });
  await call({ action: 'finish', project: 'team', runId: 'mine' });

  // 205 runs a colleague made, straight on the server (W&B's config encoding: {value, desc}).
  const entity = server.state.viewer.entity;
  ensureProject(server.state, entity, 'team');
  for (let i = 0; i < 205; i += 1) {
    const r = newRun(server.state, entity, 'team', `other${i}`);
    r.displayName = `colleague-${i}`;
    r.config = { lr: { value: i / 1000, desc: null }, _wandb: { value: { cli_version: 'x' } } };
    r.summaryText = JSON.stringify({ acc: i / 205 });
    r.state = 'finished';
    r.tags = i % 2 === 0 ? ['even'] : [];
    r.createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  }

  const before = await call({ action: 'query', project: 'team', queryConfig: { filters: { 'config.lr': { $lt: 0.01 } } } });
  assert.equal((before.query as Obj)['total'], 0, 'without refresh the store knows only its own runs');

  const out = await call({
    action: 'query',
    project: 'team',
    queryConfig: { refresh: true, filters: { 'config.lr': { $lt: 0.01 } }, order: '-summary_metrics.acc' },
  });
  assert.equal(out.status, 'success', JSON.stringify(out.error));
  const q = out.query as Obj;
  assert.deepEqual(q['refreshed'], { fetched: 206, added: 205, updated: 0, local: 1 });
  assert.equal(q['total'], 10);
  const runs = q['runs'] as Array<{ runId: string; config: Obj; summary: Obj; name: string }>;
  assert.equal(runs[0]?.runId, 'other9');
  assert.deepEqual(runs[0]?.config, { lr: 0.009 });
  assert.equal(runs[0]?.name, 'colleague-9');

  // Local and mirrored runs answer one filter together.
  const both = await call({ action: 'query', project: 'team', queryConfig: { filters: { 'summary_metrics.acc': { $gte: 0.6 } }, order: '-created_at' } });
  assert.ok(((both.query as Obj)['runs'] as Array<{ runId: string }>).some((r) => r.runId === 'mine'));

  // A later refresh updates what changed on the server; our run is left as the store has it.
  const changed = [...server.state.runs.values()].find((r) => r.name === 'other3');
  assert.ok(changed !== undefined);
  changed.summaryText = JSON.stringify({ acc: 0.99 });
  changed.tags = ['promoted'];
  const again = await call({ action: 'query', project: 'team', queryConfig: { refresh: true, filters: { tags: 'promoted' } } });
  const q2 = again.query as Obj;
  assert.deepEqual(q2['refreshed'], { fetched: 206, added: 0, updated: 205, local: 1 });
  assert.deepEqual(
    (q2['runs'] as Array<{ runId: string; summary: Obj }>).map((r) => [r.runId, r.summary['acc']]),
    [['other3', 0.99]],
  );
  const one = await call({ action: 'query', project: 'team', runId: 'other3', queryConfig: { kind: 'run' } });
  assert.equal(((one.query as Obj)['run'] as Obj)['state'], 'finished');
  assert.deepEqual(server.invalidDocuments, []);
  runner.close();

  // Sync has nothing to send for mirrored runs.
  const store = openStore({ path: defaultStorePath(dir) });
  try {
    assert.deepEqual(store.sync.unsentRunKeys(), []);
    assert.equal(store.runMirrors.count('team'), 205);
  } finally {
    store.close();
  }
});

test('online refresh of an unreachable server answers from the store with a warning; offline refresh warns', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner({ cwd: dir, dir, env: { WANDB_MODE: 'offline' } });
  t.after(() => runner.close());
  const out = valid(await runner.execute({ action: 'query', project: 'p', queryConfig: { refresh: true } } as SkillInput));
  assert.equal(out.status, 'success');
  assert.ok(out.warnings?.some((w) => /online/.test(w)));
  const server = await startWandbServer();
  const online = createSkillRunner({ cwd: dir, dir, env: { WANDB_MODE: 'online', WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url } });
  t.after(() => online.close());
  server.fail('graphql:ProjectRuns', { status: 500, times: Infinity });
  const failed = valid(await online.execute({ action: 'query', project: 'p', queryConfig: { refresh: true } } as SkillInput));
  server.close();
  assert.equal(failed.status, 'success');
  assert.ok(
    failed.warnings?.some((w) => /could not refresh project p/.test(w)),
    JSON.stringify(failed.warnings),
  );
});
