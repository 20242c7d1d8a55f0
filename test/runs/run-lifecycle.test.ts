// Run lifecycle through the skill's actions: init and where the store goes, which run a call acts on,
// resume modes, finished runs, refused input and environment, disabled and unreachable-online modes,
// and the orchestrator envelope. Logging and summaries: log-and-summary.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { executeSkill } from '../../src/index.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

function storeSnapshot(dir: string): string {
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  try {
    return JSON.stringify([db.prepare('SELECT * FROM runs ORDER BY key').all(), db.prepare('SELECT * FROM history ORDER BY run_key, seq').all()]);
  } finally {
    db.close();
  }
}

test('init creates a run with an 8-character [a-z0-9] id, a generated name and an offline warning', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = valid(await executeSkill({ action: 'init', project: 'p' }, isolated(dir)));
  assert.equal(out.status, 'success');
  assert.match(out.runId ?? '', /^[a-z0-9]{8}$/);
  assert.match(out.runName ?? '', /^[a-z]+-[a-z]+-1$/);
  assert.equal(out.mode, 'offline');
  assert.equal(out.state, 'running');
  assert.ok(out.warnings?.some((w) => /offline/.test(w)));
  assert.equal(out.runUrl, `http://127.0.0.1:8765/local/p/runs/${out.runId}`);
  assert.ok(existsSync(join(dir, 'wandb', 'skill-store.sqlite')), 'store under <cwd>/wandb');
});

test('the store goes under WANDB_DIR when it is set', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const wandbDir = join(dir, 'elsewhere');
  const out = valid(await executeSkill({ action: 'init', project: 'p' }, isolated(dir, { WANDB_DIR: wandbDir })));
  assert.equal(out.storePath, join(wandbDir, 'wandb', 'skill-store.sqlite'));
  assert.ok(existsSync(out.storePath as string));
});

test('which run a log acts on: runId, WANDB_RUN_ID, the running run named runConfig.name, else an implicit init', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const named = await executeSkill(
    { action: 'log', project: 'p', runConfig: { name: 'resnet-v1', tags: ['baseline'] }, logData: { metrics: { loss: 0.5 }, step: 10 } },
    o,
  );
  valid(named);
  assert.equal(named.created, true);
  assert.ok(named.warnings?.some((w) => /implicit init/.test(w)));
  const again = valid(await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'resnet-v1' }, logData: { metrics: { loss: 0.4 }, step: 11 } }, o));
  assert.equal(again.runId, named.runId);
  assert.equal(again.created, undefined);
  const viaEnv = valid(
    await executeSkill({ action: 'log', project: 'p', logData: { metrics: { loss: 0.3 } } }, isolated(dir, { WANDB_RUN_ID: named.runId as string })),
  );
  assert.equal(viaEnv.runId, named.runId);
  assert.equal(viaEnv.step, 11);
  // a runId alone finds the run in whichever project holds it
  const byId = valid(await executeSkill({ action: 'log', runId: named.runId as string, logData: { metrics: { loss: 0.2 } } }, o));
  assert.equal(byId.project, 'p');
});

test('resume modes behave as in W&B', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const must = await executeSkill({ action: 'init', project: 'p', runConfig: { id: 'abc123', resume: 'must' } }, o);
  assert.equal(must.error?.code, 'NOT_FOUND');
  const created = valid(
    await executeSkill({ action: 'init', project: 'p', runConfig: { id: 'abc123', resume: 'allow', config: { a: 1, b: 1 }, tags: ['t1'] } }, o),
  );
  assert.equal(created.resumed, false);
  await executeSkill({ action: 'log', project: 'p', runId: 'abc123', logData: { metrics: { m: 1 } } }, o);
  await executeSkill({ action: 'finish', project: 'p', runId: 'abc123' }, o);
  const never = await executeSkill({ action: 'init', project: 'p', runConfig: { id: 'abc123', resume: 'never' } }, o);
  assert.equal(never.error?.code, 'CONFLICT');
  const unset = await executeSkill({ action: 'init', project: 'p', runConfig: { id: 'abc123' } }, o);
  assert.equal(unset.error?.code, 'CONFLICT');
  const resumed = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { id: 'abc123', resume: true, config: { b: 2 } } }, o));
  assert.equal(resumed.resumed, true);
  assert.equal(resumed.state, 'running');
  assert.equal(resumed.step, 1, 'continues after the last step');
  const log = valid(await executeSkill({ action: 'log', project: 'p', runId: 'abc123', logData: { metrics: { m: 2 } } }, o));
  assert.equal(log.step, 1);
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  const row = db.prepare('SELECT config, tags FROM runs WHERE id = ?').get('abc123') as { config: string; tags: string };
  db.close();
  assert.deepEqual(JSON.parse(row.config), { a: 1, b: 2 }, 'config merged, new keys win');
  assert.deepEqual(JSON.parse(row.tags), ['t1'], 'tags kept');
});

test('logging to a finished run is a CONFLICT and changes nothing', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const runId = (await executeSkill({ action: 'init', project: 'p' }, o)).runId as string;
  await executeSkill({ action: 'finish', project: 'p', runId }, o);
  const before = storeSnapshot(dir);
  const out = valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 } } }, o));
  assert.equal(out.error?.code, 'CONFLICT');
  assert.match(out.error?.message ?? '', /finished/);
  assert.equal(storeSnapshot(dir), before);
});

test('bad input gets a coded error naming the field, and the store is unchanged', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const runId = (await executeSkill({ action: 'init', project: 'p' }, o)).runId as string;
  await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 } } }, o);
  const before = storeSnapshot(dir);
  const cases: Array<[unknown, string, string]> = [
    [{ action: 'explode' }, 'INVALID_INPUT', 'action'],
    [{ action: 'log', runId, logData: { metrics: { a: 1 } }, bogus: true }, 'INVALID_INPUT', 'bogus'],
    [{ action: 'log', runId, logData: { metrics: 'loss=1' } }, 'INVALID_INPUT', 'logData.metrics'],
    [{ action: 'log', runId, logData: { metrics: { a: 1 }, step: -1 } }, 'INVALID_INPUT', 'logData.step'],
    [{ action: 'log', runId, logData: { metrics: { a: 1 }, step: 1.5 } }, 'INVALID_INPUT', 'logData.step'],
    [{ action: 'log', runId, logData: {} }, 'INVALID_INPUT', 'logData.metrics'],
    [{ action: 'log', runId }, 'INVALID_INPUT', 'logData'],
    [{ action: 'log', runId, logData: { metrics: { _step: 3 } } }, 'INVALID_INPUT', 'logData.metrics._step'],
    [{ action: 'init', project: 'team/proj' }, 'INVALID_INPUT', 'project'],
    [{ action: 'init', project: 'x'.repeat(129) }, 'INVALID_INPUT', 'project'],
    [{ action: 'init', runConfig: { id: 'a:b' } }, 'INVALID_INPUT', 'runConfig.id'],
    [{ action: 'init', runConfig: { id: '..' } }, 'INVALID_INPUT', 'runConfig.id'],
    [{ action: 'log', runId: '../../etc', logData: { metrics: {} } }, 'INVALID_INPUT', 'runId'],
    [{ action: 'init', runConfig: { name: 'n'.repeat(129) } }, 'INVALID_INPUT', 'runConfig.name'],
    [{ action: 'init', runConfig: { tags: ['ok', 7] } }, 'INVALID_INPUT', 'runConfig.tags.1'],
    [{ action: 'init', runConfig: { resume: 'sometimes' } }, 'INVALID_INPUT', 'runConfig.resume'],
    [{ action: 'log', runId, logData: { metrics: { big: 'x'.repeat(11 * 1024 * 1024) } } }, 'PAYLOAD_TOO_LARGE', 'logData.metrics'],
    [{ kind: 'skill', skill: { name: 'other-skill', context: { action: 'init' } } }, 'INVALID_INPUT', 'skill.name'],
    [null, 'INVALID_INPUT', '(context)'],
    [[1, 2], 'INVALID_INPUT', '(context)'],
    [{ action: 'finish', runId: 'nosuchrun' }, 'NOT_FOUND', 'runId'],
  ];
  for (const [ctx, code, path] of cases) {
    const out = valid(await executeSkill(ctx, o));
    assert.equal(out.status, 'error', JSON.stringify(ctx).slice(0, 100));
    assert.equal(out.error?.code, code, `${JSON.stringify(ctx).slice(0, 100)} -> ${out.error?.message}`);
    const paths = (out.error?.details?.issues ?? []).map((i) => i.path);
    assert.ok(paths.includes(path), `${JSON.stringify(ctx).slice(0, 100)}: issues ${JSON.stringify(paths)} should name ${path}`);
  }
  assert.equal(storeSnapshot(dir), before);
});

test('an invalid environment variable is named in the error', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = valid(await executeSkill({ action: 'init' }, isolated(dir, { WANDB_MODE: 'sometimes' })));
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.ok(out.error?.details?.issues?.some((i) => i.path === 'WANDB_MODE'));
});

test('disabled mode returns valid outputs and writes nothing', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir, { WANDB_MODE: 'disabled' });
  const init = valid(await executeSkill({ action: 'init', project: 'p' }, o));
  assert.equal(init.mode, 'disabled');
  assert.match(init.runId ?? '', /^[a-z0-9]{8}$/);
  valid(await executeSkill({ action: 'log', runId: init.runId as string, logData: { metrics: { a: 1 }, step: 4 } }, o));
  valid(await executeSkill({ action: 'finish', runId: init.runId as string }, o));
  assert.equal(existsSync(join(dir, 'wandb')), false);
});

test('online mode with an unreachable server still stores the call and says so (store first)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env = { WANDB_API_KEY: 'k'.repeat(40), WANDB_BASE_URL: 'http://127.0.0.1:9', WANDB_SKILL_SYNC_TIMEOUT: '1', WANDB_HTTP_TIMEOUT: '0.2' };
  const out = valid(await executeSkill({ action: 'init', project: 'p' }, isolated(dir, env)));
  assert.equal(out.status, 'success');
  assert.equal(out.mode, 'online');
  assert.equal(out.synced, false);
  assert.ok(out.warnings?.some((w) => /sync/.test(w)));
  assert.ok(existsSync(join(dir, 'wandb', 'skill-store.sqlite')));
});

test('the orchestrator envelope is accepted', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = valid(
    await executeSkill(
      {
        kind: 'skill',
        title: 'Log training metrics to W&B',
        skill: {
          name: 'wandb-experiment-tracker',
          context: {
            action: 'log',
            project: 'ml-experiments',
            runConfig: { name: 'resnet-v1', tags: ['baseline', 'resnet'], config: { lr: 0.001, epochs: 100 } },
            logData: { metrics: { loss: 0.5, accuracy: 0.85 }, step: 10 },
          },
        },
      },
      isolated(dir),
    ),
  );
  assert.equal(out.status, 'success');
  assert.equal(out.action, 'log');
  assert.equal(out.step, 10);
});
