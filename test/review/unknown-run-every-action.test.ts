import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

/** Every run of the store as project/id (read straight from the SQLite file). */
function runIds(storePath: string): string[] {
  openStore({ path: storePath }).close(); // creates and migrates a missing store
  const db = new Database(storePath, { readonly: true });
  try {
    return (db.prepare('SELECT project, id FROM runs ORDER BY key').all() as Array<{ project: string; id: string }>).map((r) => `${r.project}/${r.id}`);
  } finally {
    db.close();
  }
}
test('review, item 5: sweep, report and artifact download/link/lineage naming an unknown run answer NOT_FOUND naming the store', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'f.txt'), 'x');
  const o = isolated(dir);
  const made = valid(await executeSkill({ action: 'artifact', project: 'p', artifactConfig: { name: 'd', type: 'dataset', path: 'data' } }, o));
  assert.equal(made.status, 'success', JSON.stringify(made));
  const sweep = valid(await executeSkill({ action: 'sweep', project: 'p', sweepConfig: { method: 'grid', parameters: { a: { values: [1, 2] } } } }, o));
  assert.equal(sweep.status, 'success', JSON.stringify(sweep));
  const store = join(dir, 'wandb', 'skill-store.sqlite');
  const calls: Array<[string, Record<string, unknown>, Record<string, string>]> = [
    ['sweep create', { action: 'sweep', project: 'p', runId: 'typo1234', sweepConfig: { method: 'grid', parameters: { a: { values: [1] } } } }, {}],
    ['sweep next', { action: 'sweep', operation: 'next', project: 'p', runId: 'typo1234', sweepId: sweep.sweepId }, {}],
    ['sweep status WANDB_RUN_ID', { action: 'sweep', operation: 'status', project: 'p', sweepId: sweep.sweepId }, { WANDB_RUN_ID: 'typo1234' }],
    ['report runId', { action: 'report', project: 'p', runId: 'typo1234', reportConfig: { format: 'json', outputPath: 'r.json' } }, {}],
    ['download', { action: 'artifact', operation: 'download', project: 'p', runId: 'typo1234', artifactConfig: { name: 'd:latest', downloadPath: 'out' } }, {}],
    [
      'link',
      { action: 'artifact', operation: 'link', project: 'p', runId: 'typo1234', artifactConfig: { name: 'd:latest', registry: 'model-registry/x' } },
      {},
    ],
    ['lineage', { action: 'artifact', operation: 'lineage', project: 'p', runId: 'typo1234', artifactConfig: { name: 'd:latest' } }, {}],
  ];
  for (const [label, input, env] of calls) {
    const out = valid(await executeSkill(input, isolated(dir, env)));
    assert.equal(out.error?.code, 'NOT_FOUND', `${label}: ${JSON.stringify(out)}`);
    assert.ok(out.error?.message.includes(store), `${label}: names the store: ${out.error?.message}`);
  }
  assert.deepEqual(runIds(store), [], 'no run was started');
  // A known run still works for each of them.
  const run = valid(await executeSkill({ action: 'init', project: 'p' }, o));
  const ok = valid(await executeSkill({ action: 'artifact', operation: 'lineage', project: 'p', runId: run.runId, artifactConfig: { name: 'd:latest' } }, o));
  assert.equal(ok.status, 'success', JSON.stringify(ok));
  const rep = valid(await executeSkill({ action: 'report', project: 'p', runId: run.runId, reportConfig: { format: 'json', outputPath: 'r2.json' } }, o));
  assert.equal(rep.status, 'success', JSON.stringify(rep));
});

test('review, item 5: the NOT_FOUND of an action that cannot create runs does not advise resume "allow" (the call may already say it)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const fin = valid(await executeSkill({ action: 'finish', project: 'p', runId: 'ghost123', runConfig: { resume: 'allow' } }, o));
  assert.equal(fin.error?.code, 'NOT_FOUND', JSON.stringify(fin));
  assert.ok(!fin.error?.message.includes('resume "allow"'), fin.error?.message);
  assert.match(fin.error?.message ?? '', /finish does not create runs/);
  const log = valid(await executeSkill({ action: 'log', project: 'p', runId: 'ghost123', logData: { metrics: { a: 1 } } }, o));
  assert.match(log.error?.message ?? '', /pass runConfig\.resume "allow" to create it/, 'a log is still told how to create the run');
});
