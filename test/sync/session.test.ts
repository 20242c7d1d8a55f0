import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import { openSession, syncStore, type SyncProgress } from '../../src/sync/index.js';
import { exportWandbRunsFrom } from '../../src/wandb-files/export.js';
import { importWandbRunsInto } from '../../src/wandb-files/import.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { tempDir, valid } from '../helpers/tmp.js';

const KEY = 'k'.repeat(40);

test('a session resolves settings from runner options (no action), opens the store, and syncStore sends its unsent runs', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const s = await startWandbServer({ entity: 'team', apiKey: KEY });
  t.after(() => s.close());
  const offline = { env: { WANDB_MODE: 'offline' }, cwd: dir };
  const init = valid(await executeSkill({ action: 'init', project: 'p' }, offline));
  const runId = init.runId as string;
  valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 } } }, offline));
  valid(await executeSkill({ action: 'finish', project: 'p', runId }, offline));

  const session = openSession({ env: { WANDB_API_KEY: KEY, WANDB_BASE_URL: s.url }, cwd: dir }, { mode: 'online', project: 'p' }, 'sync');
  t.after(() => session.close());
  assert.equal(session.scope.settings.mode, 'online');
  assert.equal(session.scope.settings.project, 'p');
  assert.equal(session.store.path, init.storePath);
  assert.equal('input' in session.scope, false, 'a session is no action context');

  const seen: SyncProgress[] = [];
  const res = await syncStore(session.scope, session.store, { onRunSynced: (p) => seen.push(p) });
  assert.deepEqual(
    res.runs.map((r) => [r.runId, r.synced, r.linesSent]),
    [[runId, true, 1]],
  );
  assert.deepEqual(
    seen.map((p) => [p.done, p.total, p.runId]),
    [[1, 1, runId]],
  );
  assert.deepEqual(
    s.run('team', 'p', runId)?.history.map((h) => (h as { a: number }).a),
    [1],
  );
  // Nothing is unsent any more: a second pass sends nothing.
  assert.deepEqual((await syncStore(session.scope, session.store)).runs, []);
});

test("W&B offline files: export from and import into a session's store, without a runner", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const offline = { env: { WANDB_MODE: 'offline' }, cwd: dir };
  const init = valid(await executeSkill({ action: 'init', project: 'p' }, offline));
  const runId = init.runId as string;
  valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 } } }, offline));
  valid(await executeSkill({ action: 'finish', project: 'p', runId }, offline));

  const from = openSession(offline, { mode: 'offline' }, 'export');
  t.after(() => from.close());
  const out = join(dir, 'exported');
  const { exported } = exportWandbRunsFrom(from.store, from.scope.settings, { out });
  assert.deepEqual(
    exported.map((e) => [e.runId, e.historyRows]),
    [[runId, 1]],
  );
  assert.ok(existsSync(exported[0]?.file ?? ''));

  const other = tempDir();
  t.after(other.cleanup);
  const into = openSession({ env: { WANDB_MODE: 'offline' }, cwd: other.dir }, { mode: 'offline' }, 'import');
  t.after(() => into.close());
  const { imported } = importWandbRunsInto(into.store, into.scope.settings, [out], { project: 'q' });
  assert.deepEqual(
    imported.map((r) => [r.runId, r.status]),
    [[runId, 'imported']],
  );
  assert.equal(into.store.runs.get('q', runId)?.historyCount, 1);
});
