/** History lines are read by ranges of history_rows' key, never by a scan (store/history-layout.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { inRun, rowKey, seqOf } from '../../src/store/history-layout.js';
import { RUN_COLUMNS } from '../../src/store/run-live.js';
import { tempDir } from '../helpers/tmp.js';
import { newRun } from './contract.js';

/** SQLite's plan of a statement, one line a step. */
function plan(db: Database.Database, sql: string): string[] {
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const args = sql.includes('@') ? [{ k: 1, from: 0, to: 10 }] : Array<number>((sql.match(/\?/g) ?? []).length).fill(1);
  return (stmt.all(...args) as Array<{ detail: string }>).map((r) => r.detail);
}

test('every kind of history read is a search of the key, not a scan', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const path = join(dir, 'store.sqlite');
  openStore({ path }).close();
  const db = new Database(path);
  t.after(() => db.close());
  const reads: Record<string, string> = {
    'a range': `SELECT row FROM history_rows WHERE ${inRun('id', '@k', '@from', '@to')} ORDER BY id`,
    'from a line on': `SELECT ${seqOf('id')}, step FROM history_rows WHERE ${inRun('id', '@k', '@from')} ORDER BY id LIMIT 10`,
    'the last line': `SELECT ${seqOf('id')} FROM history_rows WHERE ${inRun('id', '@k')} ORDER BY id DESC LIMIT 1`,
    'one line': `SELECT step FROM history_rows WHERE id = ${rowKey('?', '?')}`,
    "a run's live step and count": `SELECT ${RUN_COLUMNS} FROM runs WHERE key = ?`,
    'media lines': `SELECT h.row FROM history_media m JOIN history_rows h ON h.id = ${rowKey('m.run_key', 'm.seq')} WHERE m.run_key = ? ORDER BY m.seq`,
  };
  for (const [what, sql] of Object.entries(reads)) {
    const steps = plan(db, sql).filter((d) => /history_rows|\bh\b/.test(d));
    assert.ok(steps.length > 0, `${what}: reads history_rows`);
    for (const d of steps) assert.match(d, /^SEARCH .*(INTEGER PRIMARY KEY|rowid)/, `${what}: ${d}`);
  }
  // The old column names through the view do scan (other tools and older builds: correct, not fast).
  assert.ok(plan(db, 'SELECT row FROM history WHERE run_key = 1 AND seq >= 5').some((d) => /^SCAN/.test(d)));
});

test('keys keep runs apart at the ends of their ranges, past 2^53 too', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = new Database(join(dir, 'keys.sqlite'));
  t.after(() => db.close());
  db.exec('CREATE TABLE history_rows (id INTEGER PRIMARY KEY, step INTEGER NOT NULL, row TEXT NOT NULL)');
  const ins = db.prepare(`INSERT INTO history_rows (id, step, row) VALUES (${rowKey('?', '?')}, ?, ?)`);
  const big = 2 ** 30 + 7; // a run key whose keys pass 2^53
  for (const k of [1, 2, big, big + 1]) for (const seq of [0, 1, 4294967295]) ins.run(k, seq, seq, `${k}:${seq}`);
  const range = db.prepare(`SELECT ${seqOf('id')} AS seq, row FROM history_rows WHERE ${inRun('id', '@k', '@from')} ORDER BY id`);
  for (const k of [1, 2, big, big + 1]) {
    assert.deepEqual(
      range.all({ k, from: 0 }),
      [0, 1, 4294967295].map((seq) => ({ seq, row: `${k}:${seq}` })),
      `run ${k}: its own lines, its seqs exact`,
    );
  }
  assert.deepEqual(range.all({ k: big, from: 2 }), [{ seq: 4294967295, row: `${big}:4294967295` }]);
  // An upper bound past the last seq (a caller's "to the end") stops at the run's end, not in the next run.
  const upTo = db.prepare(`SELECT row FROM history_rows WHERE ${inRun('id', '@k', '@from', '@to')} ORDER BY id`).pluck();
  assert.deepEqual(upTo.all({ k: 1, from: 1, to: Number.MAX_SAFE_INTEGER }), ['1:1', '1:4294967295']);
  assert.deepEqual(upTo.all({ k: 1, from: 0, to: Infinity }), ['1:0', '1:1', '1:4294967295']);
  assert.deepEqual(upTo.all({ k: 2, from: 0, to: 1 }), ['2:0']);
});

test('a line past the last seq a key holds is refused, and nothing is written', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const store = openStore({ path: join(dir, 'store.sqlite') });
  t.after(() => store.close());
  const run = store.write(() => store.runs.insert(newRun({ id: 'r1', config: {}, tags: [], now: 1 })));
  store.write(() => store.history.append(run.key, 4294967295, 1, '{"a":1}'));
  assert.throws(
    () => store.write(() => store.history.append(run.key, 4294967296, 2, '{"a":2}')),
    (err: unknown) => (err as { code?: string }).code === 'PAYLOAD_TOO_LARGE',
  );
  assert.throws(
    () => store.write(() => store.wandbFiles.appendHistory(run.key, 4294967295, { length: 2, stepAt: () => 0, lineAt: () => '{}' })),
    (err: unknown) => (err as { code?: string }).code === 'PAYLOAD_TOO_LARGE',
  );
  assert.deepEqual(store.history.extent(run.key), { lo: 4294967295, hi: 4294967295 }, 'the refused lines left nothing');
});
