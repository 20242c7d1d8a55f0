import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { executeSkill, createSkillRunner, createLogger } from '../../src/index.js';
import { syncRuns } from '../../src/sync/index.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { ENTITY, server, clean, onlineEnv, allText } from './replication-setup.js';

test('online by default with an API key: init/log/finish reach the server in W&B form, store first', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = { env: onlineEnv(s), cwd: dir, dir };
  const init = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { name: 'r', config: { lr: 0.1, arch: { depth: 3 } }, tags: ['t1'] } }, o));
  assert.equal(init.mode, 'online');
  assert.equal(init.synced, true);
  assert.equal(init.warnings, undefined);
  const runId = init.runId as string;
  assert.equal(init.runUrl, `${s.url}/${ENTITY}/p/runs/${runId}`, "W&B's run page (the app URL of a non-wandb.ai base URL is the base URL)");
  for (let i = 0; i < 3; i++)
    valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { loss: 1 / (i + 1), bad: i === 2 ? Number.NaN : 0 } } }, o));
  valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { acc: 0.5 }, commit: false } }, o));
  const fin = valid(await executeSkill({ action: 'finish', project: 'p', runId }, o));
  assert.equal(fin.synced, true);
  const run = s.run(ENTITY, 'p', runId);
  assert.ok(run, 'the run exists on the server');
  assert.equal(run.displayName, 'r');
  assert.deepEqual(run.tags, ['t1']);
  assert.deepEqual((run.config as Record<string, { value: unknown }>)['lr'], { value: 0.1 });
  assert.deepEqual((run.config as Record<string, { value: unknown }>)['arch'], { value: { depth: 3 } });
  assert.ok('t' in ((run.config as Record<string, { value: Record<string, unknown> }>)['_wandb']?.value ?? {}), '_wandb.t so the official SDK can resume');
  assert.equal(run.historyText.length, 4);
  assert.deepEqual(
    run.history.map((h) => (h as { _step: number })._step),
    [0, 1, 2, 3],
  );
  assert.match(run.historyText[2] as string, /"bad":NaN/, 'bare NaN kept on the wire');
  assert.equal(run.state, 'finished');
  assert.equal(run.exitcode, 0);
  assert.equal(run.summary['acc'], 0.5);
  for (const f of ['wandb-metadata.json', 'config.yaml', 'wandb-summary.json']) {
    assert.ok(run.uploaded.includes(f), `${f} reported uploaded`);
    assert.ok(run.files.has(f), `${f} PUT to its signed URL`);
  }
  clean(s);
  assert.ok(!allText(join(dir, 'wandb')).includes(s.apiKey), 'the API key is never stored');
});

test('runs logged offline become runs on the server with the same ids, configs and history; sync is idempotent', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const offline = { env: { WANDB_MODE: 'offline' }, cwd: dir, dir };
  const ids: string[] = [];
  for (const name of ['a', 'b']) {
    const id = (await executeSkill({ action: 'init', project: 'off', runConfig: { name, config: { k: name } } }, offline)).runId as string;
    for (let i = 0; i < 5; i++) await executeSkill({ action: 'log', project: 'off', runId: id, logData: { metrics: { i } } }, offline);
    ids.push(id);
  }
  await executeSkill({ action: 'finish', project: 'off', runId: ids[0] as string, exitCode: 2 }, offline);
  const env = { ...onlineEnv(s), PATH: process.env['PATH'] ?? '' };
  const first = await runCli(['sync'], { cwd: dir, env });
  assert.equal(first.code, 0, first.stderr + first.stdout);
  const out = JSON.parse(first.stdout) as { runs: Array<{ runId: string; synced: boolean }> };
  assert.deepEqual(out.runs.map((r) => r.runId).sort(), [...ids].sort());
  assert.match(first.stderr, /sync 2\/2/);
  for (const id of ids) {
    const run = s.run(ENTITY, 'off', id);
    assert.ok(run, id);
    assert.deepEqual(
      run.history.map((h) => (h as { i: number }).i),
      [0, 1, 2, 3, 4],
    );
  }
  assert.equal(s.run(ENTITY, 'off', ids[0] as string)?.state, 'failed');
  assert.equal(s.run(ENTITY, 'off', ids[1] as string)?.state, 'running');
  assert.deepEqual((s.run(ENTITY, 'off', ids[1] as string)?.config as Record<string, unknown>)['k'], { value: 'b' });
  const before = s.requests.length;
  const again = await runCli(['sync'], { cwd: dir, env });
  assert.equal(again.code, 0);
  assert.match(again.stderr, /nothing to send/);
  assert.equal(s.requests.filter((r, i) => i >= before && r.route !== 'graphql').length, 0, 'a second sync sends no history');
  clean(s);
});

test('a long-lived runner batches in the background and flushes on finish; the key never reaches a log', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  let logged = '';
  const sink = new Writable({
    write(c, _e, cb) {
      logged += c.toString();
      cb();
    },
  });
  const runner = createSkillRunner({ env: onlineEnv(s), cwd: dir, dir, logger: createLogger({ level: 'debug', destination: sink }) });
  t.after(() => runner.close());
  const runId = (await runner.execute({ action: 'init', project: 'bg' })).runId as string;
  for (let i = 0; i < 200; i++) await runner.execute({ action: 'log', project: 'bg', runId, logData: { metrics: { i } } });
  const streamPosts = s.requests.filter((r) => r.route === 'file_stream').length;
  assert.ok(streamPosts < 20, `batched: ${streamPosts} posts for 200 logs`);
  const fin = valid(await runner.execute({ action: 'finish', project: 'bg', runId }));
  assert.equal(fin.synced, true);
  assert.equal(s.run(ENTITY, 'bg', runId)?.history.length, 200);
  assert.equal(s.run(ENTITY, 'bg', runId)?.state, 'finished');
  assert.ok(!logged.includes(s.apiKey));
  clean(s);
});

test('a run the server stopped answers shouldStop: true', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = { env: onlineEnv(s), cwd: dir, dir };
  const runId = valid(await executeSkill({ action: 'init', project: 'p' }, o)).runId as string;
  valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 } } }, o));
  s.stopRun(ENTITY, 'p', runId);
  const out = valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: 2 } } }, o));
  assert.equal(out.shouldStop, true);
});

test('a wrong API key: AUTH_FAILED surfaces as a warning, the data stays local; syncRuns reports it', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = { env: onlineEnv(s, { WANDB_API_KEY: 'x'.repeat(40) }), cwd: dir };
  const out = valid(await executeSkill({ action: 'init', project: 'p' }, o));
  assert.equal(out.status, 'success');
  assert.equal(out.synced, false);
  assert.ok(out.warnings?.some((w) => /AUTH_FAILED/.test(w)));
  assert.ok(!JSON.stringify(out).includes('x'.repeat(40)), 'the key is not echoed');
  const res = await syncRuns({ env: onlineEnv(s, { WANDB_API_KEY: 'x'.repeat(40) }), cwd: dir }).catch((e: unknown) => e);
  assert.ok(res instanceof Error && /AUTH_FAILED|viewer|accept/i.test(String((res as { code?: string }).code ?? res.message)));
  const good = await syncRuns({ env: onlineEnv(s), cwd: dir });
  assert.equal(good.runs.length, 1);
  assert.equal(good.runs[0]?.synced, true);
});

test('the API key from ~/.netrc for the base URL host selects online mode', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const host = new URL(s.url).host;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, '.netrc'), `machine ${host}\n  login user\n  password ${s.apiKey}\n`, { mode: 0o600 });
  const out = valid(await executeSkill({ action: 'init', project: 'n' }, { env: { WANDB_BASE_URL: s.url, HOME: dir }, cwd: dir, homedir: dir }));
  assert.equal(out.mode, 'online');
  assert.equal(out.synced, true);
});

test('a team entity and the user who made the run travel as W&B sends them', async (t) => {
  const s = await server(t);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = { env: onlineEnv(s, { WANDB_ENTITY: 'research-team', WANDB_USERNAME: 'alice' }), cwd: dir };
  const out = valid(await executeSkill({ action: 'init', project: 'shared-proj', runConfig: { name: 'alice-run' } }, o));
  assert.equal(out.synced, true);
  assert.equal(out.runUrl, `${s.url}/research-team/shared-proj/runs/${out.runId}`);
  assert.ok(s.run('research-team', 'shared-proj', out.runId as string), 'the run is in the team project');
  const upserts = s.requests.filter((r) => r.operationName === 'UpsertBucket');
  assert.ok(upserts.length > 0);
  for (const r of upserts) assert.equal(r.headers['x-wandb-username'], 'alice');
});
