import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill } from '../../src/index.js';
import { openSession } from '../../src/sync/index.js';
import { createReplicator } from '../../src/online/replicator.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { tempDir, valid } from '../helpers/tmp.js';

const KEY = 'k'.repeat(40);

test('the replicator takes services, settings and a memo (no action context): a finished run goes to the server with its output fields', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const s = await startWandbServer({ entity: 'team', apiKey: KEY });
  t.after(() => s.close());
  const offline = { env: { WANDB_MODE: 'offline' }, cwd: dir };
  const runId = valid(await executeSkill({ action: 'init', project: 'p' }, offline)).runId as string;
  valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 } } }, offline));
  valid(await executeSkill({ action: 'finish', project: 'p', runId }, offline));

  const session = openSession({ env: { WANDB_API_KEY: KEY, WANDB_BASE_URL: s.url }, cwd: dir }, { mode: 'online', project: 'p' }, 'test');
  t.after(() => session.close());
  const replicator = createReplicator({ mode: 'sync', owner: 'test', version: '0.0.0' });
  t.after(() => replicator.stop());
  const fields = await replicator.afterCall(session.scope, session.store, runId, 'p', true);
  assert.equal(fields.synced, true);
  assert.equal(fields.entity, 'team');
  assert.match(fields.runUrl ?? '', new RegExp(`/team/p/runs/${runId}$`));
  assert.equal(fields.warnings, undefined);
  assert.deepEqual(
    s.run('team', 'p', runId)?.history.map((h) => (h as { a: number }).a),
    [1],
  );
  // The viewer's entity is asked once per memo, as a runner's cache does.
  assert.equal(session.scope.cache.get(`viewer-entity:${s.url}`), 'team');
  // A run the store does not hold adds nothing.
  assert.deepEqual(await replicator.afterCall(session.scope, session.store, 'nope', 'p', true), {});
});
