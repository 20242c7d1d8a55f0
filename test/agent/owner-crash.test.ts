// Runs of long-lived owners that are SIGKILLed end crashed (issue 11, item 9): the owner is recorded
// with the claim (agents) or the init (createTracker), and checked at the next read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { executeSkill } from '../../src/index.js';
import { startDashboard } from '../../src/dashboard/index.js';
import { pidScope, type Liveness } from '../../src/liveness.js';
import { isolated, repoRoot, tempDir, valid } from '../helpers/tmp.js';

const indexUrl = pathToFileURL(join(repoRoot, 'dist', 'src', 'index.js')).href;
const agentUrl = pathToFileURL(join(repoRoot, 'dist', 'src', 'agent', 'index.js')).href;

/** Runs `script` (an ES module) in a child Node.js process; resolves with its signal and stdout once it is gone. */
function runScript(dir: string, name: string, script: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; stdout: string; stderr: string }> {
  writeFileSync(join(dir, name), script);
  const child = spawn(process.execPath, [join(dir, name)], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function httpJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) as Record<string, unknown> }));
    }).on('error', reject);
  });
}

const offline = (dir: string) => isolated(dir, { WANDB_MODE: 'offline' });
/** A run's state as the dashboard's run API answers it (a read that runs the crash check). */
const state = async (url: string, id: string) => ((await httpJson(`${url}/api/p/local/p/runs/${id}`)).body['run'] as { state: string }).state;

test('an agent SIGKILLed right after its claim (before its trial starts) leaves a run that ends crashed at the next status', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const sweepId = valid(
    await executeSkill(
      { action: 'sweep', project: 'p', sweepConfig: { method: 'grid', program: 'train.mjs', parameters: { a: { values: [1, 2] } } } },
      offline(dir),
    ),
  ).sweepId as string;
  // The kill lands in the agent's own onRun('start'), after the claim and before the trial's process exists.
  const agent = await runScript(
    dir,
    'agent.mjs',
    `
import { runAgent } from ${JSON.stringify(agentUrl)};
await runAgent({ env: { WANDB_MODE: 'offline' }, cwd: ${JSON.stringify(dir)}, sweepId: ${JSON.stringify(sweepId)}, count: 1,
  onRun: (e) => { if (e.phase === 'start') { console.log(e.runId); process.kill(process.pid, 'SIGKILL'); } } });
console.log('not killed');
`,
  );
  assert.equal(agent.signal, 'SIGKILL', agent.stderr);
  const runId = agent.stdout.trim();
  assert.match(runId, /^[a-z0-9]{8}$/);
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  t.after(() => db.close());
  const owner = db.prepare('SELECT o.host, o.pid FROM sweep_run_owners o JOIN runs r ON r.key = o.run_key WHERE r.id = ?').get(runId) as
    { host: string; pid: number } | undefined;
  assert.equal(owner?.host, pidScope(), 'the claim recorded its owner');
  const status = valid(await executeSkill({ action: 'sweep', operation: 'status', sweepId }, offline(dir)));
  const runs = status.sweep?.['runs'] as Array<{ runId: string; state: string }>;
  assert.deepEqual(
    runs.map((r) => [r.runId, r.state]),
    [[runId, 'crashed']],
  );
  assert.ok(status.warnings?.some((w) => w.includes(runId) && /crashed/.test(w)));
});

test('a createTracker run whose process was SIGKILLed is crashed at the next dashboard read; liveness is injectable; a CLI run has no owner', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const tracker = await runScript(
    dir,
    'tracker.mjs',
    `
import { createTracker } from ${JSON.stringify(indexUrl)};
const tracker = createTracker({ env: { WANDB_MODE: 'offline' }, cwd: ${JSON.stringify(dir)}, project: 'p' });
const run = await tracker.init({ name: 'killed' });
await run.log({ loss: 1 });
console.log(run.id);
process.kill(process.pid, 'SIGKILL');
`,
  );
  assert.equal(tracker.signal, 'SIGKILL', tracker.stderr);
  const runId = tracker.stdout.trim();
  // A one-call process's run (the CLI's) is not owned: it outlives its process by design.
  const cliRun = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { name: 'one-call' } }, offline(dir))).runId as string;
  const storePath = join(dir, 'wandb', 'skill-store.sqlite');
  // An injected liveness that holds every process alive: the run stays running.
  const everyoneAlive: Liveness = { host: pidScope(), pid: process.pid, isAlive: () => true };
  const held = await startDashboard({ storePath, port: 0, liveness: everyoneAlive });
  try {
    assert.equal(await state(held.url, runId), 'running');
  } finally {
    await held.close();
  }
  const dash = await startDashboard({ storePath, port: 0 });
  t.after(() => dash.close());
  assert.equal(await state(dash.url, runId), 'crashed');
  assert.equal(await state(dash.url, cliRun), 'running');
  const db = new Database(storePath, { readonly: true });
  t.after(() => db.close());
  assert.equal((db.prepare('SELECT count(*) AS n FROM sweep_run_owners o JOIN runs r ON r.key = o.run_key WHERE r.id = ?').get(cliRun) as { n: number }).n, 0);
  const history = db.prepare('SELECT count(*) AS n FROM history h JOIN runs r ON r.key = h.run_key WHERE r.id = ?').get(runId) as { n: number };
  assert.equal(history.n, 1, 'the logged row is kept');
});

test('a live tracker keeps its run running across reads (its owner is this process)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { createTracker } = await import('../../src/index.js');
  const tracker = createTracker({ ...offline(dir), project: 'p' });
  t.after(() => tracker.close());
  const run = await tracker.init({ name: 'alive' });
  const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
  // The same run seen by a checker whose injected liveness holds this process dead: crashed.
  const dash = await startDashboard({ storePath: join(dir, 'wandb', 'skill-store.sqlite'), port: 0 });
  t.after(() => dash.close());
  assert.equal(await state(dash.url, run.id), 'running');
  const judge = await startDashboard({
    storePath: join(dir, 'wandb', 'skill-store.sqlite'),
    port: 0,
    liveness: { host: pidScope(), pid: dead, isAlive: (pid) => pid !== process.pid },
  });
  t.after(() => judge.close());
  assert.equal(await state(judge.url, run.id), 'crashed');
});
