import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { openStoreDb, type StoreDb } from '../../src/store/db.js';
import { CHECKPOINT_EVERY, SLOW_TICKS, createCheckpointer } from '../../src/store/checkpointer.js';
import { READY } from '../../src/store/checkpoint-state.js';
import { tempDir, repoRoot } from '../helpers/tmp.js';

/** `n` one-row transactions of about 300 bytes each (a log call's size). */
function commit(db: StoreDb, n: number, from = 0): void {
  const ins = db.db.prepare('INSERT INTO bench_rows (i, v) VALUES (?, ?)');
  for (let i = from; i < from + n; i++) db.write(() => ins.run(i, 'x'.repeat(300)));
}

function open(path: string, backgroundCheckpoints?: boolean): StoreDb {
  const db = openStoreDb({ path, template: false, ...(backgroundCheckpoints === undefined ? {} : { backgroundCheckpoints }) });
  db.db.exec('CREATE TABLE IF NOT EXISTS bench_rows (i INTEGER PRIMARY KEY, v TEXT)');
  return db;
}

/** Waits (up to 10 s) until the worker has done at least `n` checkpoints. */
async function checkpointed(db: StoreDb, n = 1): Promise<number> {
  for (let i = 0; i < 200 && db.backgroundCheckpoints() < n; i++) await sleep(50);
  return db.backgroundCheckpoints();
}

test('a store checkpoints on its worker thread; its WAL stays as small as SQLite keeps it, and close leaves none', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const path = join(dir, 'store.sqlite');
  const db = open(path);
  commit(db, CHECKPOINT_EVERY - 1);
  // Below the first tick no worker starts (a short process never pays for one).
  await sleep(100);
  assert.equal(db.backgroundCheckpoints(), 0);
  commit(db, 1, CHECKPOINT_EVERY - 1);
  assert.ok((await checkpointed(db)) >= 1, 'the worker checkpointed');
  // While the worker runs, the connection's own checkpoints (finishing the worker's) wait 4 times longer.
  assert.equal(db.db.pragma('wal_autocheckpoint', { simple: true }), 4000);
  // 40,000 commits: a checkpoint that never let the WAL start over would grow it to about 160 MB;
  // the connection's own autocheckpoint keeps it near 4,000 pages (16 MB; more while the worker's
  // checkpoint holds SQLite's checkpoint lock and the connection's attempts find it busy).
  for (let k = 0; k < 40; k++) commit(db, 1000, CHECKPOINT_EVERY + k * 1000);
  assert.ok(statSync(`${path}-wal`).size < 48 * 1024 * 1024, `WAL of ${statSync(`${path}-wal`).size} bytes`);
  assert.ok(db.backgroundCheckpoints() > 1);
  db.close();
  assert.equal(existsSync(`${path}-wal`), false, 'the owner closed last, so its close removed the WAL');
  const check = new Database(path, { readonly: true });
  t.after(() => check.close());
  assert.equal(check.prepare('SELECT count(*) FROM bench_rows').pluck().get(), CHECKPOINT_EVERY + 40000);
  assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
});

test('without background checkpoints no worker checkpoints', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = open(join(dir, 'store.sqlite'), false);
  t.after(() => db.close());
  commit(db, CHECKPOINT_EVERY * 4);
  await sleep(300);
  assert.equal(db.backgroundCheckpoints(), 0);
  assert.equal(db.db.pragma('wal_autocheckpoint', { simple: true }), 1000);
});

test('closing right after the first tick (the worker still starting) leaves no WAL and the store opens again', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const path = join(dir, 'store.sqlite');
  for (let round = 0; round < 3; round++) {
    const db = open(path);
    commit(db, CHECKPOINT_EVERY, round * CHECKPOINT_EVERY);
    db.close();
    assert.equal(existsSync(`${path}-wal`), false, `round ${round}`);
  }
  const check = new Database(path, { readonly: true });
  t.after(() => check.close());
  assert.equal(check.prepare('SELECT count(*) FROM bench_rows').pluck().get(), 3 * CHECKPOINT_EVERY);
});

test('the worker never makes a store: a store file deleted before its first tick stays gone', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const path = join(dir, 'store.sqlite');
  const db = open(path);
  commit(db, 10);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  // The owner's connection writes on into the deleted files; its ticks start the worker, which finds no file.
  let from = 10;
  // The worker gave up (seen at a later tick): the connection checkpoints at SQLite's default again.
  for (let i = 0; i < 200 && db.db.pragma('wal_autocheckpoint', { simple: true }) !== 1000; i++) {
    commit(db, CHECKPOINT_EVERY, from);
    from += CHECKPOINT_EVERY;
    await sleep(50);
  }
  assert.equal(db.db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  assert.equal(db.backgroundCheckpoints(), 0);
  assert.equal(existsSync(path), false, 'no new store file at the path');
  db.close();
  assert.equal(existsSync(path), false);
});

test('a process that logs past the first tick and ends without closeStores exits, its WAL removed by the exit hook', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const script = join(dir, 'logger.mjs');
  const indexUrl = new URL('../../src/index.js', import.meta.url).href;
  writeFileSync(
    script,
    `import { executeSkill } from ${JSON.stringify(indexUrl)};
const opts = { env: { WANDB_MODE: 'offline' }, cwd: ${JSON.stringify(dir)}, dir: ${JSON.stringify(dir)}, homedir: ${JSON.stringify(dir)} };
const { runId } = await executeSkill({ action: 'init', project: 'p' }, opts);
for (let i = 0; i < ${CHECKPOINT_EVERY * 5}; i++) {
  const out = await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { i } } }, opts);
  if (out.status !== 'success') { console.error(JSON.stringify(out)); process.exit(1); }
}
// Let the worker run a checkpoint before the process ends (it is unref'd: it must not hold the process).
await new Promise((r) => setTimeout(r, 200));
`,
  );
  const code = await new Promise<number | null>((resolve) => {
    const c = spawn(process.execPath, [script], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    c.on('close', resolve);
  });
  assert.equal(code, 0);
  const store = join(dir, 'wandb', 'skill-store.sqlite');
  assert.equal(existsSync(`${store}-wal`), false);
  const check = new Database(store, { readonly: true });
  t.after(() => check.close());
  assert.equal(check.prepare('SELECT count(*) FROM history').pluck().get(), CHECKPOINT_EVERY * 5);
});

test('a slow checkpoint makes the committing call wait for it; one that never ends lets the worker go', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  // A worker that starts (READY) and never finishes a checkpoint: the last one still running at every later tick.
  const module = join(dir, 'stuck-worker.mjs');
  writeFileSync(
    module,
    `import { parentPort, workerData } from 'node:worker_threads';\nAtomics.store(workerData.state, ${READY}, 1);\nparentPort.on('message', () => {});\n`,
  );
  const heard: boolean[] = [];
  const c = createCheckpointer({ path: join(dir, 'none.sqlite'), dev: 0, ino: 0, binding: undefined }, (on) => heard.push(on), module, 300);
  t.after(() => c.close());
  // Its start-up is not counted: ticks go by before it is ready.
  for (let i = 0; i < CHECKPOINT_EVERY * SLOW_TICKS * 2; i++) c.committed();
  assert.deepEqual(heard, [true]);
  await sleep(1000);
  for (let i = 0; i < CHECKPOINT_EVERY * (SLOW_TICKS - 1); i++) c.committed();
  assert.deepEqual(heard, [true], 'no wait before SLOW_TICKS ticks');
  // The SLOW_TICKS-th tick waits (300 ms here) for a checkpoint that never ends, then lets the worker go.
  for (let i = 0; i < CHECKPOINT_EVERY; i++) c.committed();
  assert.deepEqual(heard, [true, false]);
  // Let go for good: more commits start nothing.
  for (let i = 0; i < CHECKPOINT_EVERY * 4; i++) c.committed();
  assert.deepEqual(heard, [true, false]);
});
