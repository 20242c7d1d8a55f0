import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSkillRunner, executeSkill } from '../../src/index.js';
import { syncRuns } from '../../src/sync/index.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { closedPort } from '../helpers/raw-server.js';
import { tempDir, valid } from '../helpers/tmp.js';

const KEY = 'k'.repeat(40);
const SYNC_TIMEOUT_S = 20;

test('a W&B server that refuses connections: init and log answer at once (not after the sync timeout), the data stays, sync sends it later', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const port = await closedPort();
  const env = { WANDB_API_KEY: KEY, WANDB_BASE_URL: `http://127.0.0.1:${port}`, WANDB_SKILL_SYNC_TIMEOUT: String(SYNC_TIMEOUT_S) };
  const o = { env, cwd: dir };
  let started = Date.now();
  const init = valid(await executeSkill({ action: 'init', project: 'p' }, o));
  const runId = init.runId as string;
  const calls = [{ out: init, ms: Date.now() - started }];
  for (const a of [1, 2]) {
    started = Date.now();
    calls.push({ out: valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a } } }, o)), ms: Date.now() - started });
  }
  for (const { out, ms } of calls) {
    assert.equal(out.status, 'success');
    assert.equal(out.synced, false);
    assert.ok(
      out.warnings?.some((w) => /not on the W&B server.*ECONNREFUSED.*wandb-skill sync/.test(w)),
      JSON.stringify(out.warnings),
    );
    // Behavioural bound: far below the 20 s sync timeout (and the ~6 s of retries it used to cost).
    assert.ok(ms < 3000, `${out.action} took ${ms} ms against a refusing server`);
  }

  const s = await startWandbServer({ entity: 'team', apiKey: KEY });
  t.after(() => s.close());
  const res = await syncRuns({ env: { ...env, WANDB_BASE_URL: s.url }, cwd: dir });
  assert.deepEqual(
    res.runs.map((r) => [r.runId, r.synced, r.linesSent]),
    [[runId, true, 2]],
  );
  assert.deepEqual(
    s.run('team', 'p', runId)?.history.map((h) => (h as { a: number }).a),
    [1, 2],
  );
});

test('a refusal is remembered per base URL for 30 s by the runner (injected clock): the server is not asked again until then', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const port = await closedPort();
  const clock = { now: 1_800_000_000_000 };
  const env = { WANDB_API_KEY: KEY, WANDB_BASE_URL: `http://127.0.0.1:${port}`, WANDB_SKILL_SYNC_TIMEOUT: String(SYNC_TIMEOUT_S) };
  const runner = createSkillRunner({ env, cwd: dir, now: () => clock.now, replication: 'sync' });
  t.after(() => runner.close());
  const first = valid(await runner.execute({ action: 'init', project: 'p' }));
  assert.equal(first.synced, false);
  const runId = first.runId as string;

  // The server comes up on that port: within 30 s of the refusal this runner does not ask it.
  const s = await startWandbServer({ entity: 'team', apiKey: KEY, port });
  t.after(() => s.close());
  clock.now += 10_000;
  const quiet = valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 } } }));
  assert.equal(quiet.status, 'success');
  assert.equal(quiet.synced, false);
  assert.ok(
    quiet.warnings?.some((w) => /refused the connection 10 s ago \(ECONNREFUSED\)/.test(w)),
    JSON.stringify(quiet.warnings),
  );
  assert.equal(s.requests.length, 0, 'not asked while the refusal is remembered');

  clock.now += 21_000;
  const back = valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { a: 2 } } }));
  assert.equal(back.synced, true, JSON.stringify(back.warnings));
  assert.deepEqual(
    s.run('team', 'p', runId)?.history.map((h) => (h as { a: number }).a),
    [1, 2],
    'what was kept is sent',
  );
});
