// executeSkill keeps stores open between calls of a process (issue: the card's loop reopened the store
// on every call). These tests hold it to the same results as a runner and to today's per-call
// semantics wherever the world changes between calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeStores, createSkillRunner, executeSkill } from '../../src/skill.js';
import { LOG_STALE_CHECK_MS } from '../../src/runner/default-runner.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = new URL('../../..', import.meta.url).pathname;

/** The store's runs and history, without what differs by the clock (timestamps, runtimes). */
function contents(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    const runs = db.prepare('SELECT id, project, state, step, history_count AS n, config FROM runs ORDER BY id').all();
    const rows = (
      db.prepare('SELECT r.id, h.seq, h.step, h.row FROM history h JOIN runs r ON r.key = h.run_key ORDER BY r.id, h.seq').all() as Array<{ row: string }>
    ).map((h) => {
      const row = JSON.parse(h.row) as Record<string, unknown>;
      delete row['_timestamp'];
      delete row['_runtime'];
      return { ...h, row };
    });
    return { runs, rows };
  } finally {
    db.close();
  }
}

/** The same calls through executeSkill and through one runner. */
async function drive(call: (ctx: unknown) => Promise<{ status: string }>): Promise<void> {
  for (const id of ['aaaa1111', 'bbbb2222']) {
    assert.equal((await call({ action: 'init', project: 'p', runId: id, runConfig: { config: { lr: 0.1, id } } })).status, 'success');
    for (let i = 0; i < 25; i++) {
      const out = await call({ action: 'log', project: 'p', runId: id, logData: { metrics: { loss: 1 / (i + 1), nested: { a: i } }, commit: i % 3 !== 0 } });
      assert.equal(out.status, 'success');
    }
    assert.equal((await call({ action: 'finish', project: 'p', runId: id, exitCode: 0 })).status, 'success');
  }
}

test('executeSkill in a loop leaves exactly the store a runner leaves', async (t) => {
  const a = tempDir();
  const b = tempDir();
  t.after(() => {
    closeStores();
    a.cleanup();
    b.cleanup();
  });
  const env = { WANDB_MODE: 'offline' };
  await drive((ctx) => executeSkill(ctx, { env, cwd: a.dir }));
  const runner = createSkillRunner({ env, cwd: b.dir });
  await drive((ctx) => runner.execute(ctx));
  runner.close();
  closeStores();
  assert.deepEqual(contents(join(a.dir, 'wandb', 'skill-store.sqlite')), contents(join(b.dir, 'wandb', 'skill-store.sqlite')));
});

/** Descriptors of this process that point at `path` (Linux: /proc/self/fd). */
function openFds(path: string): number {
  if (!existsSync('/proc/self/fd')) return -1;
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(path)) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

test('the store stays open between calls and closeStores() lets it go', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const store = join(dir, 'wandb', 'skill-store.sqlite');
  const out = await executeSkill({ action: 'init', project: 'p' }, { env: { WANDB_MODE: 'offline' }, cwd: dir });
  assert.equal(out.status, 'success');
  if (openFds(store) < 0) return t.skip('no /proc/self/fd here');
  assert.ok(openFds(store) > 0, 'held open after the call');
  closeStores();
  assert.equal(openFds(store), 0, 'closed by closeStores()');
  const again = await executeSkill(
    { action: 'log', project: 'p', runId: out.runId, logData: { metrics: { x: 1 } } },
    { env: { WANDB_MODE: 'offline' }, cwd: dir },
  );
  assert.equal(again.status, 'success', 'the next call reopens it');
  closeStores();
});

test('a changed WANDB_DIR, a deleted store and a second store are each seen by the next call', async (t) => {
  const a = tempDir();
  const b = tempDir();
  const saved = { dir: process.env['WANDB_DIR'], mode: process.env['WANDB_MODE'] };
  t.after(() => {
    closeStores();
    if (saved.dir === undefined) delete process.env['WANDB_DIR'];
    else process.env['WANDB_DIR'] = saved.dir;
    if (saved.mode === undefined) delete process.env['WANDB_MODE'];
    else process.env['WANDB_MODE'] = saved.mode;
    a.cleanup();
    b.cleanup();
  });
  process.env['WANDB_MODE'] = 'offline';
  process.env['WANDB_DIR'] = a.dir;
  const first = await executeSkill({ action: 'init', project: 'p' });
  assert.equal(first.storePath, join(a.dir, 'wandb', 'skill-store.sqlite'));
  process.env['WANDB_DIR'] = b.dir;
  const second = await executeSkill({ action: 'init', project: 'p' });
  assert.equal(second.storePath, join(b.dir, 'wandb', 'skill-store.sqlite'), 'the changed variable names another store');
  // Both stores are held; a log to the first (named again) lands in the first file.
  process.env['WANDB_DIR'] = a.dir;
  const logged = await executeSkill({ action: 'log', project: 'p', runId: first.runId, logData: { metrics: { x: 1 } } });
  assert.equal(logged.status, 'success');
  // The store deleted between calls: the next call makes a new one, as a fresh open would; the
  // held connection to the deleted file is not written to. A log re-checks at most every
  // LOG_STALE_CHECK_MS, so this one comes after that long.
  rmSync(join(a.dir, 'wandb'), { recursive: true, force: true });
  await sleep(LOG_STALE_CHECK_MS + 1);
  const after = await executeSkill({ action: 'log', project: 'p', runId: first.runId, logData: { metrics: { x: 2 } } });
  assert.equal(after.status, 'error', 'the run went with its store');
  assert.equal(after.error?.code, 'NOT_FOUND');
  assert.ok(existsSync(join(a.dir, 'wandb', 'skill-store.sqlite')), 'a new store file at the same place');
  // Any other action checks on every call: an init right after the deletion makes its run in a new store.
  const made = await executeSkill({ action: 'init', project: 'p', runId: 'again001' });
  assert.equal(made.status, 'success');
  rmSync(join(a.dir, 'wandb'), { recursive: true, force: true });
  const fresh = await executeSkill({ action: 'init', project: 'p', runId: 'again001' });
  assert.equal(fresh.status, 'success');
  assert.equal(fresh.resumed ?? false, false, 'the run was made again in the new store, not resumed from the deleted one');
  assert.ok(existsSync(join(a.dir, 'wandb', 'skill-store.sqlite')));
});

test('a process killed after acknowledged executeSkill calls loses none of them', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const script = `
    const { executeSkill } = await import(${JSON.stringify(join(ROOT, 'dist', 'src', 'skill.js'))});
    const env = { WANDB_MODE: 'offline' };
    const init = await executeSkill({ action: 'init', project: 'p', runId: 'kill0001' }, { env, cwd: ${JSON.stringify(dir)} });
    for (let i = 0; i < 200; i++) {
      const out = await executeSkill({ action: 'log', project: 'p', runId: init.runId, logData: { metrics: { i } } }, { env, cwd: ${JSON.stringify(dir)} });
      if (out.status !== 'success') throw new Error(JSON.stringify(out));
      process.stdout.write('ack ' + i + '\\n');
    }
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let acked = -1;
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = buf.match(/ack (\d+)\n/g);
      if (m) acked = Number(/(\d+)/.exec(m[m.length - 1] ?? '')?.[1]);
      if (acked >= 199) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => resolve());
    child.on('error', reject);
  });
  await new Promise((r) => child.once('close', r));
  assert.equal(acked, 199, 'every call was acknowledged before the kill');
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  try {
    const n = (db.prepare("SELECT h.row FROM history h JOIN runs r ON r.key = h.run_key WHERE r.id = 'kill0001'").all() as Array<{ row: string }>).length;
    assert.equal(n, 200, 'all 200 acknowledged rows are in the store after SIGKILL');
  } finally {
    db.close();
  }
});
