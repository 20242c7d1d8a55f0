import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { createSkillRunner, type SkillRunner } from '../../src/index.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';

/** The run's state and committed rows, read from the store file as a fresh process would. */
function runRow(dir: string, runId: string): { state: string; rows: number } {
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  try {
    const r = db.prepare('SELECT state, key FROM runs WHERE id = ?').get(runId) as { state: string; key: number };
    const n = db.prepare('SELECT count(*) AS n FROM history WHERE run_key = ?').get(r.key) as { n: number };
    return { state: r.state, rows: n.n };
  } finally {
    db.close();
  }
}

/** Every file under `root`, as `/`-separated relative paths. */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(root, p).split('\\').join('/'));
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort();
}

function setup(t: { after: (fn: () => void) => void }): { dir: string; runner: SkillRunner } {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  return { dir, runner };
}

test('issue 11 item 2: logging "." leaves out the store, so downloading it into "." cannot roll the store back', async (t) => {
  const { dir, runner } = setup(t);
  writeFileSync(join(dir, 'train.py'), 'print(1)\n');
  // Another folder's store and content store inside the tree are the tool's too.
  mkdirSync(join(dir, 'old', 'wandb', 'artifacts', 'objects'), { recursive: true });
  writeFileSync(join(dir, 'old', 'wandb', 'skill-store.sqlite'), 'SQLite format 3\u0000');
  writeFileSync(join(dir, 'old', 'wandb', 'artifacts', 'objects', 'blob'), 'x');
  writeFileSync(join(dir, 'old', 'wandb', 'notes.md'), 'kept');
  const run = valid(await runner.execute({ action: 'init', project: 'p' }));
  const runId = run.runId as string;
  // Something in the tool's data folders too: a media file under wandb/runs.
  valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: 1, t: { _type: 'table', columns: ['a'], data: [[1]] } } } }));

  const logged = valid(await runner.execute({ action: 'artifact', project: 'p', artifactConfig: { name: 'all', type: 'code', path: '.' } }));
  assert.equal(logged.status, 'success', JSON.stringify(logged.error));
  const warning = (logged.warnings ?? []).find((w) => w.includes('left out of the artifact'));
  assert.ok(warning, `a warning says what was left out: ${JSON.stringify(logged.warnings)}`);
  assert.match(warning, /wandb\/skill-store\.sqlite/);
  assert.match(warning, /wandb\/runs/);

  // What the version holds: the caller's file only (downloaded elsewhere to look).
  const look = valid(await runner.execute({ action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: 'all', downloadPath: 'look' } }));
  assert.equal(look.status, 'success', JSON.stringify(look.error));
  assert.deepEqual(listFiles(join(dir, 'look')), ['old/wandb/notes.md', 'train.py']);

  valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: 0.5 } } }));
  valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: 0.25 } } }));
  const done = valid(await runner.execute({ action: 'finish', project: 'p', runId }));
  assert.equal(done.status, 'success', JSON.stringify(done.error));
  assert.deepEqual(runRow(dir, runId), { state: 'finished', rows: 3 });

  const back = valid(await runner.execute({ action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: 'all', downloadPath: '.' } }));
  assert.equal(back.status, 'success', JSON.stringify(back.error));
  assert.deepEqual(runRow(dir, runId), { state: 'finished', rows: 3 });
  const again = createSkillRunner(isolated(dir));
  t.after(() => again.close());
  const later = valid(await again.execute({ action: 'log', project: 'p', logData: { metrics: { x: 1 } } }));
  assert.equal(later.status, 'success', JSON.stringify(later.error));
});

test('issue 11 item 2: an artifact holding store files is never downloaded onto the live store, and nothing is written', async (t) => {
  const { dir, runner } = setup(t);
  const run = valid(await runner.execute({ action: 'init', project: 'p' }));
  const runId = run.runId as string;
  for (let i = 0; i < 3; i++) valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: i } } }));
  valid(await runner.execute({ action: 'finish', project: 'p', runId }));
  // A version whose entry paths are the store's (as one logged before collecting skipped them):
  // links named like the store inside the folder, pointing at plain files beside them.
  const snap = join(dir, 'snap');
  mkdirSync(join(snap, 'wandb'), { recursive: true });
  writeFileSync(join(snap, 'junk.bin'), 'not a database');
  writeFileSync(join(snap, 'a-new-file.txt'), 'hello');
  symlinkSync('../junk.bin', join(snap, 'wandb', 'skill-store.sqlite'));
  symlinkSync('../junk.bin', join(snap, 'wandb', 'skill-store.sqlite-wal'));
  const logged = valid(await runner.execute({ action: 'artifact', project: 'p', artifactConfig: { name: 'snap', type: 'dataset', path: 'snap' } }));
  assert.equal(logged.status, 'success', JSON.stringify(logged.error));
  assert.equal(logged.artifact?.fileCount, 4);

  const out = valid(await runner.execute({ action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: 'snap', downloadPath: '.' } }));
  assert.equal(out.status, 'error');
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.equal(out.error?.details?.issues?.[0]?.path, 'artifactConfig.downloadPath');
  assert.match(out.error?.message ?? '', /store/);
  assert.equal(existsSync(join(dir, 'a-new-file.txt')), false, 'a refused download writes nothing');
  assert.equal(existsSync(join(dir, 'junk.bin')), false, 'a refused download writes nothing');
  assert.deepEqual(runRow(dir, runId), { state: 'finished', rows: 3 });
  assert.equal(
    readFileSync(join(dir, 'wandb', 'skill-store.sqlite'))
      .subarray(0, 15)
      .toString('latin1'),
    'SQLite format 3',
  );
});

test('issue 11 item 13: downloadPath onto a file, into /proc/self or into the content store is a coded error naming it', { timeout: 30_000 }, async (t) => {
  const { dir, runner } = setup(t);
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'a.txt'), 'alpha');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  valid(await runner.execute({ action: 'artifact', project: 'p', artifactConfig: { name: 'ds', type: 'dataset', path: 'data' } }));
  const cases: Array<[string, RegExp]> = [
    ['notes.txt', /is a file/],
    ['/proc/self', /cannot write/],
    ['/proc/self/sub', /cannot write/],
    ['wandb/artifacts/objects', /data folder/],
    ['bad\u0000path', /NUL/],
  ];
  for (const [downloadPath, message] of cases) {
    const out = valid(await runner.execute({ action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: 'ds', downloadPath } }));
    assert.equal(out.status, 'error', downloadPath);
    assert.equal(out.error?.code, 'INVALID_INPUT', `${downloadPath}: ${JSON.stringify(out.error)}`);
    assert.equal(out.error?.details?.issues?.[0]?.path, 'artifactConfig.downloadPath', downloadPath);
    assert.match(out.error?.message ?? '', message, downloadPath);
  }
  assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
  assert.deepEqual(listFiles(join(dir, 'wandb', 'artifacts', 'objects')).length, 1);
});
