// Stores made before history was a WITHOUT ROWID table keep a rowid table plus its key's index; the
// 011 migration rebuilds it once. Here a store is put back into the old form, then opened again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { createSkillRunner } from '../../src/skill.js';
import { tempDir } from '../helpers/tmp.js';

const historySql = (db: Database.Database) => db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'history'").pluck().get() as string;

test('an old store with a rowid history table is rebuilt WITHOUT ROWID, every row kept, and logs go on', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env = { WANDB_MODE: 'offline' };
  const runner = createSkillRunner({ env, cwd: dir });
  const ids: string[] = [];
  for (let r = 0; r < 3; r++) {
    const init = await runner.execute({ action: 'init', project: 'p' });
    ids.push(init.runId as string);
    for (let i = 0; i < 40; i++) await runner.execute({ action: 'log', project: 'p', runId: init.runId, logData: { metrics: { loss: 1 / (i + 1), r } } });
  }
  runner.close();
  const path = join(dir, 'wandb', 'skill-store.sqlite');
  // Back to the old form: the same columns and key as a rowid table, and the migration not yet recorded.
  const old = new Database(path);
  const before = old.prepare('SELECT run_key, seq, step, row FROM history ORDER BY run_key, seq').all();
  old.exec(`BEGIN;
    CREATE TABLE history_old (run_key INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE, seq INTEGER NOT NULL,
      step INTEGER NOT NULL, row TEXT NOT NULL, PRIMARY KEY (run_key, seq));
    INSERT INTO history_old SELECT run_key, seq, step, row FROM history ORDER BY run_key DESC, seq DESC;
    DROP TABLE history;
    ALTER TABLE history_old RENAME TO history;
    DELETE FROM schema_migrations WHERE name = '011-history-without-rowid';
    COMMIT;`);
  assert.doesNotMatch(historySql(old), /WITHOUT ROWID/i);
  old.close();

  const store = openStore({ path });
  store.close();
  const db = new Database(path, { readonly: true });
  try {
    assert.match(historySql(db), /WITHOUT ROWID/i);
    assert.deepEqual(db.prepare('SELECT run_key, seq, step, row FROM history ORDER BY run_key, seq').all(), before);
    assert.equal(db.prepare("SELECT count(*) FROM schema_migrations WHERE name = '011-history-without-rowid'").pluck().get(), 1);
    assert.equal(db.prepare('PRAGMA foreign_key_check').all().length, 0);
  } finally {
    db.close();
  }
  // The migrated store takes more rows where the run left off.
  const again = createSkillRunner({ env, cwd: dir });
  t.after(() => again.close());
  const out = await again.execute({ action: 'log', project: 'p', runId: ids[0], logData: { metrics: { loss: 0 } } });
  assert.equal(out.status, 'success');
  assert.equal(out.historyLength, 41);
});

test('a new store records the rebuild as applied without running it', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const path = join(dir, 'store.sqlite');
  openStore({ path }).close();
  const db = new Database(path, { readonly: true });
  try {
    assert.match(historySql(db), /WITHOUT ROWID/i);
    assert.equal(db.prepare("SELECT count(*) FROM schema_migrations WHERE name = '011-history-without-rowid'").pluck().get(), 1);
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'history_rebuilt'").pluck().get(), 0);
  } finally {
    db.close();
  }
});
