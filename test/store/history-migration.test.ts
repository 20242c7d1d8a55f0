// History lines live in history_rows (store/history-layout.ts). Stores made before keep a table keyed
// (run_key, seq): 011 made it WITHOUT ROWID, 601 moves it. Here a store is put back into an old form,
// then opened again; and the `history` view is used as the old table was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { createSkillRunner } from '../../src/skill.js';
import { tempDir } from '../helpers/tmp.js';
import { newRun } from './contract.js';

const objectSql = (db: Database.Database, name: string) =>
  db.prepare('SELECT type, sql FROM sqlite_master WHERE name = ?').get(name) as { type: string; sql: string } | undefined;

const BUCKET_RESET = `CREATE TRIGGER history_buckets_reset AFTER DELETE ON history WHEN OLD.seq = 0 BEGIN
    DELETE FROM history_marks WHERE run_key = OLD.run_key;
    DELETE FROM history_keys WHERE run_key = OLD.run_key;
    DELETE FROM history_buckets WHERE run_key = OLD.run_key;
    DELETE FROM history_media WHERE run_key = OLD.run_key;
  END;`;

/**
 * Puts a store's history back into an older form: a table keyed (run_key, seq), WITHOUT ROWID (as
 * 011 left it) or a rowid table plus its key's index (before 011), with the later migrations not
 * recorded. Rows go in in reverse order, so a rebuild that kept the file order would be seen.
 */
function toOldForm(path: string, withoutRowid: boolean): void {
  const db = new Database(path);
  db.exec(`BEGIN;
    CREATE TABLE history_old (run_key INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE, seq INTEGER NOT NULL,
      step INTEGER NOT NULL, row TEXT NOT NULL, PRIMARY KEY (run_key, seq))${withoutRowid ? ' WITHOUT ROWID' : ''};
    INSERT INTO history_old SELECT run_key, seq, step, row FROM history ORDER BY run_key DESC, seq DESC;
    DROP VIEW history;
    DROP TABLE history_rows;
    DROP TRIGGER runs_history_delete;
    ALTER TABLE history_old RENAME TO history;
    ${BUCKET_RESET}
    DELETE FROM schema_migrations WHERE name = '601-history-rows'${withoutRowid ? '' : " OR name = '011-history-without-rowid'"};
    COMMIT;`);
  db.close();
}

for (const withoutRowid of [true, false]) {
  const form = withoutRowid ? 'a WITHOUT ROWID history table (011)' : 'a rowid history table (before 011)';
  test(`an old store with ${form} moves to history_rows, every row and bucket kept, and logs go on`, async (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const env = { WANDB_MODE: 'offline' };
    const runner = createSkillRunner({ env, cwd: dir });
    const ids: string[] = [];
    for (let r = 0; r < 3; r++) {
      const init = await runner.execute({ action: 'init', project: 'p' });
      ids.push(init.runId as string);
      const n = r === 0 ? 300 : 40; // the first run passes a fold (256 rows): it has buckets
      for (let i = 0; i < n; i++) await runner.execute({ action: 'log', project: 'p', runId: init.runId, logData: { metrics: { loss: 1 / (i + 1), r } } });
    }
    runner.close();
    const path = join(dir, 'wandb', 'skill-store.sqlite');
    const snap = new Database(path, { readonly: true });
    const before = snap.prepare('SELECT run_key, seq, step, row FROM history ORDER BY run_key, seq').all();
    const buckets = snap.prepare('SELECT * FROM history_buckets ORDER BY run_key, tier, key, bucket').all();
    snap.close();
    assert.ok(buckets.length > 0);
    toOldForm(path, withoutRowid);

    openStore({ path }).close();
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(objectSql(db, 'history')?.type, 'view');
      assert.equal(objectSql(db, 'history_rows')?.type, 'table');
      assert.deepEqual(db.prepare('SELECT run_key, seq, step, row FROM history ORDER BY run_key, seq').all(), before);
      assert.deepEqual(
        db.prepare('SELECT * FROM history_buckets ORDER BY run_key, tier, key, bucket').all(),
        buckets,
        'the move deletes no line, so no bucket goes',
      );
      for (const name of ['011-history-without-rowid', '601-history-rows'])
        assert.equal(db.prepare('SELECT count(*) FROM schema_migrations WHERE name = ?').pluck().get(name), 1, name);
      assert.equal(db.prepare('PRAGMA foreign_key_check').all().length, 0);
      assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('history_old', 'history_rebuilt')").pluck().get(), 0);
    } finally {
      db.close();
    }
    // The migrated store takes more rows where the run left off.
    const again = createSkillRunner({ env, cwd: dir });
    t.after(() => again.close());
    const out = await again.execute({ action: 'log', project: 'p', runId: ids[1], logData: { metrics: { loss: 0 } } });
    assert.equal(out.status, 'success');
    assert.equal(out.historyLength, 41);
  });
}

test('a new store has history_rows and the history view, and records the older rebuild as applied without running it', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const path = join(dir, 'store.sqlite');
  openStore({ path, template: false }).close();
  const db = new Database(path, { readonly: true });
  try {
    assert.equal(objectSql(db, 'history')?.type, 'view');
    assert.match(objectSql(db, 'history_rows')?.sql ?? '', /id\s+INTEGER PRIMARY KEY/);
    for (const name of ['011-history-without-rowid', '601-history-rows'])
      assert.equal(db.prepare('SELECT count(*) FROM schema_migrations WHERE name = ?').pluck().get(name), 1, name);
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'history_rebuilt'").pluck().get(), 0);
  } finally {
    db.close();
  }
});

test('the history view is written and read as the table was: by other tools, and by older builds of this package', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const path = join(dir, 'store.sqlite');
  const store = openStore({ path });
  const run = store.write(() => store.runs.insert(newRun({ id: 'r1', config: {}, tags: [], now: 1 })));
  const other = store.write(() => store.runs.insert(newRun({ id: 'r2', config: {}, tags: [], now: 1 })));
  store.close();
  const db = new Database(path);
  t.after(() => db.close());
  const ins = db.prepare('INSERT INTO history (run_key, seq, step, row) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < 5; i++) ins.run(run.key, i, i * 10, `{"x":${i}}`);
  ins.run(other.key, 0, 0, '{"y":1}');
  // Rows of another run never land in this run's range, and the view gives the columns back.
  assert.deepEqual(
    db.prepare('SELECT seq, step FROM history WHERE run_key = ? ORDER BY seq').raw().all(run.key),
    [0, 1, 2, 3, 4].map((i) => [i, i * 10]),
  );
  const reopened = openStore({ path });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.history.textRange(run.key, 1, 4), ['{"x":1}', '{"x":2}', '{"x":3}']);
  assert.deepEqual(reopened.history.extent(run.key), { lo: 0, hi: 4 });
  assert.deepEqual(reopened.history.extent(other.key), { lo: 0, hi: 0 });
  db.prepare('UPDATE history SET row = ? WHERE run_key = ? AND seq = 2').run('{"x":20}', run.key);
  db.prepare('DELETE FROM history WHERE run_key = ? AND seq = 4').run(run.key);
  assert.deepEqual(reopened.history.textRange(run.key, 0, 10), ['{"x":0}', '{"x":1}', '{"x":20}', '{"x":3}']);
  // A run deleted takes its lines with it (the table's foreign key did).
  db.prepare('DELETE FROM runs WHERE key = ?').run(other.key);
  assert.equal(db.prepare('SELECT count(*) FROM history_rows').pluck().get(), 4);
});
