import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { executeSkill } from '../../src/index.js';
import { pidScope } from '../../src/liveness.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';

test('crashed trials are judged only by processes of the same host, boot and pid namespace', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir, { WANDB_MODE: 'offline' });
  const sweepId = valid(
    await executeSkill(
      { action: 'sweep', project: 'p', sweepConfig: { method: 'random', metric: { name: 'loss' }, parameters: { lr: { values: [1, 2, 3] } } } },
      o,
    ),
  ).sweepId as string;
  const runId = valid(await executeSkill({ action: 'sweep', operation: 'next', project: 'p', sweepId }, o)).runId as string;
  const scope = pidScope();
  assert.ok(scope.startsWith(hostname()));
  if (process.platform === 'linux') assert.match(scope, /pid:\[\d+\]/, 'the pid namespace is part of the scope');
  const dead = spawnSync(process.execPath, ['-e', '0']).pid as number; // exited: its pid is free
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'));
  t.after(() => db.close());
  const own = (host: string) =>
    db
      .prepare(
        `INSERT OR REPLACE INTO sweep_run_owners (run_key, host, pid, agent_pid, since)
    SELECT key, ?, ?, ?, 0 FROM runs WHERE id = ?`,
      )
      .run(host, dead, dead, runId);
  const state = async () =>
    (
      valid(await executeSkill({ action: 'sweep', operation: 'status', project: 'p', sweepId }, o)).sweep as { runs: Array<{ runId: string; state: string }> }
    ).runs.find((r) => r.runId === runId)?.state;
  // Recorded by a container with this host name (another pid namespace): its pids mean nothing here.
  own(`${hostname()} other-boot pid:[1]`);
  assert.equal(await state(), 'running');
  // Recorded here, and both processes are gone: crashed.
  own(scope);
  assert.equal(await state(), 'crashed');
  assert.equal((db.prepare('SELECT count(*) AS n FROM sweep_run_owners').get() as { n: number }).n, 0);
});
