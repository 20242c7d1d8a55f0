/**
 * `wandb sync` (W&B's official Python client) of our export, compared with our own `sync` of the same
 * run, both against the repo's W&B-protocol test server. Needs the official client (see
 * official-client.ts); without it the test is skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { createSkillRunner } from '../../src/skill.js';
import { fixtureRunDir } from './helpers.js';
import { officialSync, skipReason as skip } from './official-client.js';

test('wandb sync of an export gives the server the same run as our own sync', { skip, timeout: 180_000 }, async () => {
  const ENTITY = 'test-entity';
  const ours = await startWandbServer({ entity: ENTITY });
  const theirs = await startWandbServer({ entity: ENTITY });
  const { dir, cleanup } = tempDir();
  try {
    const runner = createSkillRunner({ cwd: dir, env: { WANDB_MODE: 'offline' } });
    let runId: string;
    try {
      runId = valid(
        await runner.execute({
          action: 'init',
          project: 'cmp',
          runConfig: { name: 'compared', config: { lr: 0.5, arch: { depth: 2 } }, tags: ['t1'], notes: 'nn', group: 'gg', jobType: 'jj' },
        }),
      ).runId as string;
      const image = join(fixtureRunDir, 'files', 'media', 'images', 'sample_9_ff7de3dce912c8da7e68.png');
      for (let s = 0; s < 12; s++) {
        const metrics: Record<string, unknown> = { loss: 1 / (s + 1), nested: { a: s } };
        if (s === 2) metrics['pic'] = { _type: 'image', path: image };
        if (s === 3) metrics['odd'] = NaN;
        valid(await runner.execute({ action: 'log', project: 'cmp', runId, logData: { metrics } }));
      }
      valid(await runner.execute({ action: 'finish', project: 'cmp', runId, exitCode: 0 }));
    } finally {
      runner.close();
    }
    const exp = await runCli(['export', runId, '--out', 'out'], { cwd: dir });
    assert.equal(exp.code, 0, exp.stdout);
    const base = { PATH: process.env['PATH'] ?? '' };
    const mine = await runCli(['sync'], { cwd: dir, env: { ...base, WANDB_API_KEY: ours.apiKey, WANDB_BASE_URL: ours.url } });
    assert.equal(mine.code, 0, mine.stdout + mine.stderr);
    await officialSync(join(dir, 'out'), { cwd: dir, apiKey: theirs.apiKey, baseUrl: theirs.url, entity: ENTITY });
    const a = ours.run(ENTITY, 'cmp', runId);
    const b = theirs.run(ENTITY, 'cmp', runId);
    assert.ok(a, 'our sync made the run');
    assert.ok(b, 'wandb sync of the export made the run (a bad file makes wandb sync exit 0 with nothing uploaded)');
    for (const k of ['displayName', 'tags', 'notes', 'group', 'jobType', 'state', 'exitcode'] as const) assert.deepEqual(b[k], a[k], k);
    const userConfig = (c: Record<string, unknown> | null) => Object.fromEntries(Object.entries(c ?? {}).filter(([k]) => k !== '_wandb'));
    assert.deepEqual(userConfig(b.config), userConfig(a.config), 'config');
    const strip = (rows: unknown[]) => rows.map((r) => ({ ...(r as Record<string, unknown>), _runtime: undefined, _timestamp: undefined }));
    assert.deepEqual(strip(b.history), strip(a.history), 'every history row in order');
    for (const k of ['loss', 'nested', 'pic']) assert.deepEqual(b.summary[k], a.summary[k], `summary ${k}`);
    const media = [...a.files.keys()].filter((n) => n.startsWith('media/'));
    assert.ok(media.length > 0);
    for (const n of media) assert.deepEqual(b.files.get(n), a.files.get(n), `file ${n}`);
  } finally {
    await ours.close();
    await theirs.close();
    cleanup();
  }
});
