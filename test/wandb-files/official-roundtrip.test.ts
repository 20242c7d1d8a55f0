/**
 * Round trips through W&B's official Python client (skipped without it, see official-client.ts):
 * the official run fixture imported and exported again is uploaded by `wandb sync` exactly as the
 * original file is; a run resumed twice, exported as three segment folders, reaches the server as
 * one run with every row in order, as our own `sync` sends it; a run the official client writes here
 * and now, imported and sent by our own `sync`, gives the server what `wandb sync` of its file gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { repoRoot, tempDir } from '../helpers/tmp.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import type { ServerRun } from '../helpers/wandb-server-state.js';
import { fixtureRunDir, makeResumedRun } from './helpers.js';
import { officialPython, officialSync, skipReason as skip } from './official-client.js';

const userConfig = (c: Record<string, unknown> | null) => Object.fromEntries(Object.entries(c ?? {}).filter(([k]) => k !== '_wandb'));

/** What a user sees of a run on the server, field by field. */
function seen(run: ServerRun | undefined): Record<string, unknown> {
  assert.ok(run, 'the run reached the server');
  const media = [...run.files.keys()].filter((n) => n.startsWith('media/')).sort();
  return {
    displayName: run.displayName,
    tags: run.tags,
    notes: run.notes,
    group: run.group,
    jobType: run.jobType,
    state: run.state,
    exitcode: run.exitcode,
    config: userConfig(run.config),
    history: run.history,
    summary: run.summary,
    media: media.map((n) => [n, run.files.get(n)?.toString('base64')]),
  };
}

test('the official fixture, imported and exported again, is uploaded by wandb sync as the original file is', { skip, timeout: 300_000 }, async () => {
  const ENTITY = 'team-e';
  const original = await startWandbServer({ entity: ENTITY });
  const again = await startWandbServer({ entity: ENTITY });
  const { dir, cleanup } = tempDir();
  try {
    cpSync(fixtureRunDir, join(dir, 'orig', 'offline-run-fixture'), { recursive: true });
    await officialSync(join(dir, 'orig', 'offline-run-fixture'), { cwd: dir, apiKey: original.apiKey, baseUrl: original.url, entity: ENTITY });
    const imp = await runCli(['import', fixtureRunDir], { cwd: dir });
    assert.equal(imp.code, 0, imp.stdout + imp.stderr);
    const exp = await runCli(['export', '6x46wzrv', '--out', 'out'], { cwd: dir });
    assert.equal(exp.code, 0, exp.stdout + exp.stderr);
    await officialSync(join(dir, 'out'), { cwd: dir, apiKey: again.apiKey, baseUrl: again.url, entity: ENTITY });
    const a = seen(original.run(ENTITY, 'py-offline', '6x46wzrv'));
    const b = seen(again.run(ENTITY, 'py-offline', '6x46wzrv'));
    assert.equal((a['history'] as unknown[]).length, 30, 'the fixture logged 30 steps');
    for (const k of Object.keys(a)) assert.deepEqual(b[k], a[k], k);
  } finally {
    await original.close();
    await again.close();
    cleanup();
  }
});

test(
  'a run resumed twice, exported as three segment folders, reaches the server through wandb sync as one run, as our own sync sends it',
  { skip, timeout: 300_000 },
  async () => {
    const ENTITY = 'test-entity';
    const ours = await startWandbServer({ entity: ENTITY });
    const theirs = await startWandbServer({ entity: ENTITY });
    const { dir, cleanup } = tempDir();
    try {
      await makeResumedRun(dir);
      const exp = await runCli(['export', 'resumed1', '--out', 'out'], { cwd: dir });
      assert.equal(exp.code, 0, exp.stdout + exp.stderr);
      const mine = await runCli(['sync'], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', WANDB_API_KEY: ours.apiKey, WANDB_BASE_URL: ours.url } });
      assert.equal(mine.code, 0, mine.stdout + mine.stderr);
      await officialSync(join(dir, 'out'), { cwd: dir, apiKey: theirs.apiKey, baseUrl: theirs.url, entity: ENTITY });
      const a = seen(ours.run(ENTITY, 'exp', 'resumed1'));
      const b = seen(theirs.run(ENTITY, 'exp', 'resumed1'));
      const strip = (rows: unknown) => (rows as Array<Record<string, unknown>>).map((r) => ({ ...r, _runtime: undefined, _timestamp: undefined }));
      assert.equal((a['history'] as unknown[]).length, 12, 'three segments of 5, 4 and 3 rows');
      assert.deepEqual(strip(b['history']), strip(a['history']), 'every row of every segment, in order');
      for (const k of ['displayName', 'tags', 'state', 'exitcode', 'config', 'summary']) assert.deepEqual(b[k], a[k], k);
    } finally {
      await ours.close();
      await theirs.close();
      cleanup();
    }
  },
);

test(
  'a run the official client logs here, imported and sent by our own sync, gives the server what wandb sync of its file gives',
  { skip, timeout: 300_000 },
  async () => {
    const ENTITY = 'team-e';
    const theirs = await startWandbServer({ entity: ENTITY });
    const ours = await startWandbServer({ entity: ENTITY });
    const { dir, cleanup } = tempDir();
    try {
      const runId = (await officialPython([join(repoRoot, 'test', 'fixtures', 'wandb', 'make_offline_run.py'), '3', '120'], { cwd: dir }))
        .trim()
        .split('\n')
        .pop() as string;
      assert.match(runId, /^[a-z0-9]{8}$/);
      await officialSync(join(dir, 'wandb'), { cwd: dir, apiKey: theirs.apiKey, baseUrl: theirs.url, entity: ENTITY });
      const imp = await runCli(['import', join(dir, 'wandb')], { cwd: dir });
      assert.equal(imp.code, 0, imp.stdout + imp.stderr);
      const mine = await runCli(['sync'], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', WANDB_API_KEY: ours.apiKey, WANDB_BASE_URL: ours.url } });
      assert.equal(mine.code, 0, mine.stdout + mine.stderr);
      const a = seen(theirs.run(ENTITY, 'py-offline', runId));
      const b = seen(ours.run(ENTITY, 'py-offline', runId));
      assert.equal((a['history'] as unknown[]).length, 120);
      for (const k of Object.keys(a)) assert.deepEqual(b[k], a[k], k);
    } finally {
      await theirs.close();
      await ours.close();
      cleanup();
    }
  },
);
