import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStoreDb } from '../../src/store/db.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** The header's file format write and read versions (2 and 2 in WAL mode). */
function formatVersions(path: string): [number, number] {
  const head = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return [head[18] as number, head[19] as number];
}

test('a store is WAL from its first open on, also when a later open finds it so and does not set it again', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const path = join(dir, 'wandb', 'skill-store.sqlite');
  const first = openStoreDb({ path });
  first.close();
  assert.deepEqual(formatVersions(path), [2, 2]);
  const again = openStoreDb({ path });
  try {
    assert.equal(again.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(again.db.pragma('synchronous', { simple: true }), 1, 'NORMAL');
    assert.equal(again.db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(again.db.pragma('wal_autocheckpoint', { simple: true }), 1000, "SQLite's default unless asked");
  } finally {
    again.close();
  }
});

test('a store left in rollback-journal mode by another tool is put back in WAL mode', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const path = join(dir, 'wandb', 'skill-store.sqlite');
  openStoreDb({ path }).close();
  const other = new Database(path);
  other.pragma('journal_mode = DELETE');
  other.close();
  assert.deepEqual(formatVersions(path), [1, 1]);
  const store = openStoreDb({ path });
  try {
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    store.close();
  }
});

test('walAutocheckpointPages sets the WAL size at which this connection checkpoints', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const store = openStoreDb({ path: join(dir, 'wandb', 'skill-store.sqlite'), walAutocheckpointPages: 100 });
  try {
    assert.equal(store.db.pragma('wal_autocheckpoint', { simple: true }), 100);
  } finally {
    store.close();
  }
});

test('the CLI leaves its store open at exit: the WAL stays beside the store and the next process reads every commit from it', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env = { WANDB_MODE: 'offline' };
  const init = await runCli(['{"action":"init","project":"p"}'], { cwd: dir, env });
  assert.equal(init.code, 0, init.stderr);
  const { runId } = JSON.parse(init.stdout) as { runId: string };
  for (let i = 0; i < 3; i++) {
    const log = await runCli([JSON.stringify({ action: 'log', project: 'p', runId, logData: { metrics: { loss: i } } })], { cwd: dir, env });
    assert.equal(log.code, 0, log.stderr);
  }
  const store = join(dir, 'wandb', 'skill-store.sqlite');
  assert.equal(existsSync(`${store}-wal`), true, 'not checkpointed and deleted at exit');
  const db = new Database(store, { readonly: true });
  try {
    const rows = db.prepare('SELECT count(*) AS n FROM history').get() as { n: number };
    assert.equal(rows.n, 3);
  } finally {
    db.close();
  }
  const query = await runCli([JSON.stringify({ action: 'query', project: 'p', runId, queryConfig: { kind: 'history' } })], { cwd: dir, env });
  assert.equal(query.code, 0, query.stderr);
  assert.equal((JSON.parse(query.stdout) as { query: { total: number } }).query.total, 3);
});
