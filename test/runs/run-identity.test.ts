import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { png } from '../media/helpers/encoders.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

const storeOf = (dir: string): string => join(dir, 'wandb', 'skill-store.sqlite');

/** Every run of the store, by project and id (read straight from the SQLite file). */
function runsIn(dir: string): Array<{ project: string; id: string; state: string }> {
  openStore({ path: storeOf(dir) }).close(); // creates and migrates a missing store
  const db = new Database(storeOf(dir), { readonly: true });
  try {
    return db.prepare('SELECT project, id, state FROM runs ORDER BY key').all() as Array<{ project: string; id: string; state: string }>;
  } finally {
    db.close();
  }
}

/** Every file under a folder, relative to it (the store's own files left out). */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else if (!e.name.startsWith('skill-store.sqlite')) out.push(`${rel}${e.name}`);
    }
  };
  walk(root, '');
  return out;
}

test('issue 11 item 5: every action naming an unknown run answers NOT_FOUND naming the store, and creates nothing', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'weights.bin'), 'w');
  const o = isolated(dir);
  const started = valid(await executeSkill({ action: 'init', project: 'p' }, o));
  const store = storeOf(dir);
  assert.equal(started.storePath, store);
  const calls: Array<[string, Record<string, unknown>, Record<string, string>]> = [
    ['log runId', { action: 'log', project: 'p', runId: 'typo1234', logData: { metrics: { loss: 1 } } }, {}],
    ['log runConfig.id', { action: 'log', project: 'p', runConfig: { id: 'typo1234', name: 'x' }, logData: { metrics: { loss: 1 } } }, {}],
    ['log WANDB_RUN_ID', { action: 'log', project: 'p', logData: { metrics: { loss: 1 } } }, { WANDB_RUN_ID: 'typo1234' }],
    ['finish', { action: 'finish', project: 'p', runId: 'typo1234' }, {}],
    ['alert', { action: 'alert', project: 'p', runId: 'typo1234', alertConfig: { title: 't' } }, {}],
    ['artifact log', { action: 'artifact', project: 'p', runId: 'typo1234', artifactConfig: { name: 'w', type: 'model', path: 'weights.bin' } }, {}],
    [
      'artifact log WANDB_RUN_ID',
      { action: 'artifact', project: 'p', artifactConfig: { name: 'w', type: 'model', path: 'weights.bin' } },
      { WANDB_RUN_ID: 'typo1234' },
    ],
    ['report', { action: 'report', project: 'p', reportConfig: { runIds: ['typo1234'], format: 'json', outputPath: 'r.json' } }, {}],
  ];
  for (const [label, input, env] of calls) {
    const out = valid(await executeSkill(input, isolated(dir, env)));
    assert.equal(out.status, 'error', `${label}: ${JSON.stringify(out)}`);
    assert.equal(out.error?.code, 'NOT_FOUND', `${label}: ${JSON.stringify(out.error)}`);
    assert.ok(out.error?.message.includes(store), `${label}: the message names the store: ${out.error?.message}`);
    assert.equal(out.storePath, store, `${label}: the output says which store it looked in`);
  }
  assert.deepEqual(
    runsIn(dir).map((r) => r.id),
    [started.runId],
    'no run was started',
  );
  assert.deepEqual(
    filesUnder(join(dir, 'wandb', 'artifacts')).filter((f) => !f.startsWith('tmp/')),
    [],
    'no artifact bytes were stored',
  );
  const versions = valid(await executeSkill({ action: 'artifact', operation: 'use', project: 'p', artifactConfig: { name: 'w:latest' } }, o));
  assert.equal(versions.error?.code, 'NOT_FOUND', 'no artifact version was made');
});

test('issue 11 item 5: runConfig.resume "allow" (or WANDB_RESUME) creates a missing run; a name alone still starts one with a warning', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const allowed = valid(await executeSkill({ action: 'log', project: 'p', runConfig: { id: 'newrun01', resume: 'allow' }, logData: { metrics: { a: 1 } } }, o));
  assert.equal(allowed.status, 'success', JSON.stringify(allowed));
  assert.equal(allowed.runId, 'newrun01');
  assert.equal(allowed.created, true);
  const byEnv = valid(
    await executeSkill({ action: 'log', project: 'p', logData: { metrics: { a: 1 } } }, isolated(dir, { WANDB_RUN_ID: 'newrun02', WANDB_RESUME: 'auto' })),
  );
  assert.equal(byEnv.runId, 'newrun02', JSON.stringify(byEnv));
  const named = valid(await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'by-name' }, logData: { metrics: { a: 1 } } }, o));
  assert.equal(named.status, 'success');
  assert.equal(named.created, true);
  assert.ok(
    named.warnings?.some((w) => w.includes('implicit init')),
    JSON.stringify(named.warnings),
  );
  const again = valid(await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'by-name' }, logData: { metrics: { a: 2 } } }, o));
  assert.equal(again.runId, named.runId, 'the running run of that name is continued');
  assert.equal(runsIn(dir).length, 3);
});

test('issue 11 item 3: a log whose media is refused starts no run and leaves no file', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'ok.png'), png(3, 3));
  const o = isolated(dir);
  // The first image is fine and would be written; the second is missing: the call is refused.
  const metrics = { a: { _type: 'image', path: 'ok.png' }, b: { _type: 'image', path: 'missing.png' } };
  const out = valid(await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'r' }, logData: { metrics } }, o));
  assert.equal(out.error?.code, 'INVALID_INPUT', JSON.stringify(out));
  assert.deepEqual(runsIn(dir), [], 'no implicit run');
  assert.deepEqual(filesUnder(join(dir, 'wandb')), [], 'no media file');
  // A row too large for W&B is refused inside the transaction: the staged media go too.
  const big = { a: { _type: 'image', path: 'ok.png' }, text: 'x'.repeat(11 * 1024 * 1024) };
  const tooBig = valid(await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'r' }, logData: { metrics: big } }, o));
  assert.equal(tooBig.error?.code, 'PAYLOAD_TOO_LARGE', JSON.stringify(tooBig.error));
  assert.deepEqual(runsIn(dir), []);
  assert.deepEqual(filesUnder(join(dir, 'wandb')), []);
  // And a good one lands in the run's folder.
  const good = valid(await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'r' }, logData: { metrics: { a: metrics.a } } }, o));
  assert.equal(good.status, 'success', JSON.stringify(good));
  const files = filesUnder(join(dir, 'wandb'));
  assert.equal(files.length, 1, JSON.stringify(files));
  assert.equal(files[0], `runs/p/${good.runId}/files/${good.media?.[0]?.['path'] as string}`);
});

test('issue 11 item 3: a log with media to a finished run answers CONFLICT before writing any file', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'ok.png'), png(3, 3));
  const o = isolated(dir);
  const runId = valid(await executeSkill({ action: 'init', project: 'p' }, o)).runId as string;
  valid(await executeSkill({ action: 'finish', project: 'p', runId }, o));
  // What init wrote (the run's wandb-metadata.json) is all there is before the refused log.
  const before = filesUnder(join(dir, 'wandb'));
  assert.deepEqual(before, [`runs/p/${runId}/files/wandb-metadata.json`]);
  const out = valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { a: { _type: 'image', path: 'ok.png' } } } }, o));
  assert.equal(out.error?.code, 'CONFLICT', JSON.stringify(out));
  assert.deepEqual(filesUnder(join(dir, 'wandb')), before, 'no media file');
});

test('issue 11 item 7: runConfig on a log or init for a live run is applied (config merged key by key; name, tags, notes replaced)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const runId = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { name: 'first', config: { lr: 0.1, layers: 2 }, tags: ['a'] } }, o))
    .runId as string;
  const out = valid(
    await executeSkill(
      {
        action: 'log',
        project: 'p',
        runId,
        runConfig: { name: 'second', config: { lr: 0.01, batch: 32 }, tags: ['b', 'c'], notes: 'tuned', group: 'g', jobType: 'train' },
        logData: { metrics: { loss: 1 } },
      },
      o,
    ),
  );
  assert.equal(out.status, 'success', JSON.stringify(out));
  assert.equal(out.runName, 'second');
  const read = (): Record<string, unknown> => {
    const store = openStore({ path: storeOf(dir) });
    try {
      const r = store.runs.get('p', runId);
      assert.ok(r);
      return { name: r.displayName, config: r.config, tags: r.tags, notes: r.notes, group: r.group, jobType: r.jobType };
    } finally {
      store.close();
    }
  };
  assert.deepEqual(read(), { name: 'second', config: { lr: 0.01, layers: 2, batch: 32 }, tags: ['b', 'c'], notes: 'tuned', group: 'g', jobType: 'train' });
  const resumed = valid(
    await executeSkill({ action: 'init', project: 'p', runConfig: { id: runId, resume: 'allow', config: { layers: 3 }, notes: 'deeper' } }, o),
  );
  assert.equal(resumed.status, 'success', JSON.stringify(resumed));
  assert.deepEqual(read(), { name: 'second', config: { lr: 0.01, layers: 3, batch: 32 }, tags: ['b', 'c'], notes: 'deeper', group: 'g', jobType: 'train' });
});

test('issue 11 item 7: online, a config changed by a log reaches the W&B server', async (t) => {
  const s = await startWandbServer({ entity: 'e' });
  t.after(() => s.close());
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir, { WANDB_API_KEY: s.apiKey, WANDB_BASE_URL: s.url });
  const runId = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { config: { lr: 0.1 } } }, o)).runId as string;
  const out = valid(
    await executeSkill({ action: 'log', project: 'p', runId, runConfig: { config: { lr: 0.01 }, tags: ['tuned'] }, logData: { metrics: { loss: 1 } } }, o),
  );
  assert.equal(out.synced, true, JSON.stringify(out));
  const run = s.run('e', 'p', runId);
  assert.ok(run);
  assert.deepEqual((run.config?.['lr'] as { value?: unknown } | undefined)?.value, 0.01, JSON.stringify(run.config));
  assert.deepEqual(run.tags, ['tuned']);
  assert.deepEqual(s.invalidDocuments, []);
});

test('issue 11 item 7: on a sweep run, runConfig keeps the values the sweep chose (W&B locks them) and adds the others', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const sweep = valid(
    await executeSkill(
      { action: 'sweep', project: 'p', sweepConfig: { method: 'grid', metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { values: [0.1] } } } },
      o,
    ),
  );
  assert.equal(sweep.status, 'success', JSON.stringify(sweep));
  const next = valid(await executeSkill({ action: 'sweep', operation: 'next', project: 'p', sweepId: sweep.sweepId as string }, o));
  const runId = next.runId as string;
  const out = valid(
    await executeSkill({ action: 'log', project: 'p', runId, runConfig: { config: { lr: 5, batch: 8 } }, logData: { metrics: { loss: 1 } } }, o),
  );
  assert.equal(out.status, 'success', JSON.stringify(out));
  assert.ok(
    out.warnings?.some((w) => w.startsWith('runConfig.config.lr')),
    JSON.stringify(out.warnings),
  );
  const store = openStore({ path: storeOf(dir) });
  try {
    assert.deepEqual(store.runs.get('p', runId)?.config, { lr: 0.1, batch: 8 });
  } finally {
    store.close();
  }
});
