// The downsampled history kept by the real log path equals the full scan: resumes and commit:false
// merges through executeSkill, concurrent writers in child processes, and a writer killed with
// SIGKILL mid-stream (the next read catches the buckets up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeStores, executeSkill } from '../../src/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { catchUp } from '../../src/history/fold.js';
import { tempDir, isolated, repoRoot } from '../helpers/tmp.js';
import { assertEqualsScan, optionSets, randomMetrics, rng } from './helpers.js';

const indexUrl = new URL('../../src/index.js', import.meta.url).href;

/** A writer process: logs `count` random rows (half of them in two commit:false parts) to one run, printing each step. */
function writerScript(dir: string): string {
  const path = join(dir, 'writer.mjs');
  writeFileSync(
    path,
    `import { createSkillRunner } from ${JSON.stringify(indexUrl)};
const [runId, count, seed] = process.argv.slice(2);
let a = Number(seed);
const r = () => { a = (a * 16807) % 2147483647; return a / 2147483647; };
const runner = createSkillRunner({ env: {}, cwd: ${JSON.stringify(dir)} });
for (let i = 0; i < Number(count); i++) {
  const v = r() < 0.03 ? NaN : r() < 0.03 ? -Infinity : (r() - 0.5) * 100;
  if (r() < 0.5) {
    const p = await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: v }, commit: false } });
    if (p.status !== 'success') { console.error(JSON.stringify(p)); process.exit(1); }
  }
  const out = await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { acc: r(), w: Number(seed), nested: { x: v } } } });
  if (out.status !== 'success') { console.error(JSON.stringify(out)); process.exit(1); }
  process.stdout.write(out.step + '\\n');
}
runner.close();
`,
  );
  return path;
}

const KEYS = ['loss', 'acc', 'w', 'nested.x', '_runtime'];

function openRun(dir: string, runId: string): { store: Store; key: number } {
  const store = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
  const run = store.runs.get('p', runId);
  assert.ok(run !== undefined);
  return { store, key: run.key };
}

function options(r: () => number, rows: number) {
  return optionSets(r, rows).map((o) => ({ ...o, keys: KEYS }));
}

test('resumes and commit:false merges through executeSkill: stored form = full scan', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(() => {
    closeStores();
    cleanup();
  });
  const o = isolated(dir);
  const r = rng(21);
  let step = 0;
  const runId = (await executeSkill({ action: 'init', project: 'p', runConfig: { id: 'resumed' } }, o)).runId as string;
  for (let segment = 0; segment < 3; segment++) {
    if (segment > 0) assert.equal((await executeSkill({ action: 'init', project: 'p', runConfig: { id: runId, resume: 'allow' } }, o)).status, 'success');
    for (let i = 0; i < 700; i++) {
      const m = randomMetrics(r);
      if (r() < 0.3) await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { loss: i }, commit: false } }, o);
      // Now and then a step given ahead of the run's (W&B's step jumps).
      const jump = r() < 0.05 ? { step: step + 1 + Math.floor(r() * 5) } : {};
      const out = await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { ...m, nested: { x: i % 17 } }, ...jump } }, o);
      assert.equal(out.status, 'success', JSON.stringify(out));
      step = (out.step as number) + 1;
    }
    // A pending commit:false row left open is committed by finish.
    await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { loss: -1 }, commit: false } }, o);
    assert.equal((await executeSkill({ action: 'finish', project: 'p', runId }, o)).status, 'success');
  }
  closeStores();
  const { store, key } = openRun(dir, runId);
  t.after(() => store.close());
  const rows = (store.history.extent(key)?.hi ?? -1) + 1;
  assert.ok(rows >= 2000, `${rows} rows`);
  assert.equal(store.historyBuckets.mark(key)?.folded, Math.floor(rows / 256) * 256, 'the log path folded as it went');
  assertEqualsScan(store, key, options(r, rows), 'resumed');
});

function spawnWriter(script: string, args: string[]) {
  return spawn(process.execPath, [script, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
}

test('3 processes logging to one run at once: stored form = full scan', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runId = (await executeSkill({ action: 'init', project: 'p' }, isolated(dir))).runId as string;
  closeStores();
  const script = writerScript(dir);
  const codes = await Promise.all(
    [1, 2, 3].map(
      (w) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const c = spawnWriter(script, [runId, '900', String(w * 7919)]);
          let stderr = '';
          c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          c.stdout.resume();
          c.on('close', (code) => resolve({ code, stderr }));
        }),
    ),
  );
  for (const c of codes) assert.equal(c.code, 0, c.stderr);
  const { store, key } = openRun(dir, runId);
  t.after(() => store.close());
  assert.equal(store.history.extent(key)?.hi, 2699);
  assert.equal(store.historyBuckets.mark(key)?.folded, 2560, 'every fold boundary was folded once');
  assertEqualsScan(store, key, options(rng(5), 2700), 'concurrent');
});

test('a writer killed with SIGKILL mid-stream: buckets stay consistent and a read catches them up', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runId = (await executeSkill({ action: 'init', project: 'p' }, isolated(dir))).runId as string;
  closeStores();
  const child = spawnWriter(writerScript(dir), [runId, '1000000', '4242']);
  let seen = 0;
  let buf = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      seen += lines.length;
      if (seen >= 3000 && !child.killed) child.kill('SIGKILL');
    });
    child.on('close', () => resolve());
  });
  const { store, key } = openRun(dir, runId);
  t.after(() => store.close());
  const end = (store.history.extent(key)?.hi ?? -1) + 1;
  const mark = store.historyBuckets.mark(key);
  assert.ok(mark !== undefined && mark.folded <= end && mark.folded % 256 === 0 && end - mark.folded < 512, `mark ${mark?.folded}, rows ${end}`);
  // As a writer that died long before its next fold: the mark far behind, then a read repairs it.
  store.write(() => store.historyBuckets.clear(key));
  assertEqualsScan(store, key, options(rng(8), end), 'killed');
  assert.equal(store.historyBuckets.mark(key)?.folded, Math.floor(end / 256) * 256);
  assert.equal(catchUp(store, key).folded, Math.floor(end / 256) * 256);
});
