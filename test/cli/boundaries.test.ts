import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { executeSkill } from '../../src/index.js';
import { outputIssues } from '../../src/contract/validate.js';
import { MAX_INPUT_BYTES } from '../../src/read-all.js';
import { binPath, isolated, tempDir, valid } from '../helpers/tmp.js';
import { AGENT_ENV, writeTrain } from '../agent/helpers.js';

interface Limited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The real CLI in a child process, killed after `timeoutMs` (a call that blocks must not hang the suite). */
function runLimited(
  args: string[],
  cwd: string,
  opts: { timeoutMs?: number; env?: Record<string, string>; stdout?: number; closeStdout?: boolean } = {},
): Promise<Limited> {
  const start = Date.now();
  const stdio: StdioOptions = ['pipe', opts.stdout ?? 'pipe', 'pipe'];
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, WANDB_MODE: 'offline', ...(opts.env ?? {}) },
    stdio,
  });
  let stdout = '';
  let stderr = '';
  if (opts.closeStdout === true) child.stdout?.destroy();
  else child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - start });
    });
  });
}

/** Exactly one schema-valid JSON document on stdout, and no stack trace on stderr. */
function oneDoc(r: Limited): Record<string, unknown> {
  assert.doesNotMatch(r.stderr, /\n\s+at /, `a stack trace reached stderr: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `exactly one JSON document on stdout, got: ${r.stdout} (stderr: ${r.stderr})`);
  const out = JSON.parse(lines[0] as string) as Record<string, unknown>;
  assert.deepEqual(outputIssues(out), []);
  return out;
}

function errorOf(out: Record<string, unknown>): { code: string; message: string } {
  assert.equal(out['status'], 'error', JSON.stringify(out));
  return out['error'] as { code: string; message: string };
}

/** The runs the folder's store holds (none when there is no store). */
function runCount(dir: string): number {
  const path = join(dir, 'wandb', 'skill-store.sqlite');
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const INIT = '{"action":"init","project":"p","runConfig":{"name":"r"}}';

test('--output onto a folder or into a missing folder is a usage error before anything runs', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  mkdirSync(join(dir, 'out'));
  // /proc refuses new files even to root: an unwritable place, found before the call runs.
  const unwritable = existsSync('/proc/self') ? ['/proc/wandb-skill-result.json'] : [];
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  for (const target of ['out', join('missing', 'result.json'), join(dir, 'missing', 'deeper', 'r.json'), join('notes.txt', 'r.json'), ...unwritable]) {
    const r = await runLimited(['--output', target, INIT], dir);
    assert.equal(r.code, 2, `${target}: ${r.stderr}`);
    const err = errorOf(oneDoc(r));
    assert.equal(err.code, 'INVALID_INPUT');
    assert.match(err.message, /--output/);
    assert.equal(runCount(dir), 0, `${target}: no run was created`);
  }
  assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
});

test('--output naming the store or its -wal/-shm files is refused and the store keeps working', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const init = oneDoc(await runLimited([INIT], dir));
  const runId = init['runId'] as string;
  for (const target of ['wandb/skill-store.sqlite', 'wandb/skill-store.sqlite-wal', join(dir, 'wandb', 'skill-store.sqlite-shm')]) {
    const r = await runLimited(['--output', target, JSON.stringify({ action: 'log', project: 'p', runId, logData: { metrics: { a: 1 } } })], dir);
    assert.equal(r.code, 2, `${target}: ${r.stderr}`);
    assert.match(errorOf(oneDoc(r)).message, /store/);
  }
  const fin = oneDoc(await runLimited([JSON.stringify({ action: 'finish', project: 'p', runId })], dir));
  assert.equal(fin['status'], 'success', JSON.stringify(fin));
  assert.equal(fin['historyLength'], 0, 'none of the refused logs ran');
});

test('an --output that cannot be written after the action: the document goes to stdout with a warning', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  // A FIFO nobody reads, and a link to a device that refuses every write (root ignores permissions).
  execFileSync('mkfifo', [join(dir, 'nobody-reads')]);
  const targets = ['nobody-reads'];
  if (existsSync('/dev/full')) {
    symlinkSync('/dev/full', join(dir, 'full.json'));
    targets.push('full.json');
  }
  for (const target of targets) {
    const r = await runLimited(['--output', target, INIT], dir, { timeoutMs: 20000 });
    assert.equal(r.signal, null, `${target}: the call did not block`);
    assert.equal(r.code, 0, `${target}: exit code of the action: ${r.stderr}`);
    const out = oneDoc(r);
    assert.equal(out['status'], 'success');
    assert.ok(
      ((out['warnings'] as string[] | undefined) ?? []).some((w) => w.includes('--output') && w.includes(target)),
      JSON.stringify(out),
    );
    assert.match(r.stderr, /--output/);
    assert.equal(runCount(dir), targets.indexOf(target) + 1, 'the run the document names exists');
  }
  assert.ok(lstatSync(join(dir, 'nobody-reads')).isFIFO(), 'the FIFO was not replaced');
});

test('--output onto a FIFO somebody reads delivers the document there, in place', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  const reader = spawn('cat', ['pipe'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  let read = '';
  reader.stdout.on('data', (c: Buffer) => (read += c.toString()));
  const closed = new Promise((r) => reader.on('close', r));
  const r = await runLimited(['--output', 'pipe', INIT], dir, { timeoutMs: 20000 });
  // A CLI that never opened the FIFO leaves the reader waiting: end it rather than hang the suite.
  const stuck = setTimeout(() => reader.kill('SIGKILL'), 5000);
  await closed;
  clearTimeout(stuck);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'the document went to the FIFO');
  const out = oneDoc({ ...r, stdout: read });
  assert.equal(out['status'], 'success');
  // (A first call in a fresh folder says it made a store: that warning is not about --output.)
  assert.ok(!((out['warnings'] as string[] | undefined) ?? []).some((w) => w.includes('--output')), JSON.stringify(out));
  assert.ok(lstatSync(join(dir, 'pipe')).isFIFO());
});

test('--input must be a regular file: a FIFO with no writer, /dev/zero and a folder answer INVALID_INPUT at once', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  mkdirSync(join(dir, 'folder'));
  for (const input of ['fifo', '/dev/zero', 'folder']) {
    const r = await runLimited(['--input', input], dir, { timeoutMs: 8000 });
    assert.equal(r.signal, null, `${input}: answered before the timeout (${r.ms} ms)`);
    assert.equal(r.code, 1, `${input}: ${r.stderr}`);
    const err = errorOf(oneDoc(r));
    assert.equal(err.code, 'INVALID_INPUT');
    assert.match(err.message, /--input/);
    assert.match(err.message, /regular file/);
  }
  assert.equal(runCount(dir), 0);
});

test('--input larger than the limit is refused by its size, without reading it', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const big = join(dir, 'big.json');
  writeFileSync(big, '');
  truncateSync(big, MAX_INPUT_BYTES + 1); // sparse: costs no disk
  const r = await runLimited(['--input', 'big.json'], dir, { timeoutMs: 20000 });
  assert.equal(r.code, 1, r.stderr);
  const err = errorOf(oneDoc(r));
  assert.equal(err.code, 'PAYLOAD_TOO_LARGE');
  assert.match(err.message, /--input/);
});

test('agent, serve and sync usage errors print a JSON error document on stdout and exit 2', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const cases = [
    ['agent', '--bogus'],
    ['agent'],
    ['agent', 'abc', '--count', 'x'],
    ['serve', '--port', 'nope'],
    ['serve', '--frob'],
    ['sync', '--bogus'],
    ['sync', '--project'],
  ];
  for (const args of cases) {
    const r = await runLimited(args, dir, { timeoutMs: 20000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    const out = oneDoc(r);
    assert.equal(out['action'], args[0]);
    assert.equal(errorOf(out).code, 'INVALID_INPUT');
    assert.match(r.stderr, /Usage|usage/, 'the usage text still goes to stderr');
  }
});

test('every document the agent prints validates against the output schema', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeTrain(dir);
  const created = valid(
    await executeSkill(
      {
        action: 'sweep',
        project: 'p',
        sweepConfig: { method: 'grid', program: 'train.mjs', metric: { name: 'loss' }, parameters: { base: { values: [1, 2] }, epochs: { value: 1 } } },
      },
      isolated(dir, { WANDB_MODE: 'offline' }),
    ),
  );
  const sweepId = created.sweepId as string;
  const runs = await runLimited(['agent', sweepId, '--poll-ms', '50'], dir, { env: AGENT_ENV(), timeoutMs: 60000 });
  assert.equal(runs.code, 0, runs.stderr);
  const summary = oneDoc(runs);
  assert.equal((summary['runs'] as unknown[]).length, 2);
  assert.equal(summary['reason'], 'grid_exhausted');
  const missing = await runLimited(['agent', 'nosuch00'], dir, { env: AGENT_ENV() });
  assert.equal(missing.code, 1);
  assert.equal(errorOf(oneDoc(missing)).code, 'NOT_FOUND');
});

test('a reader that goes away (EPIPE) ends the call quietly, and a failing stdout gives one line on stderr, no stack', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const gone = await runLimited([INIT], dir, { closeStdout: true });
  assert.doesNotMatch(gone.stderr, /\n\s+at /, gone.stderr);
  assert.doesNotMatch(gone.stderr, /EPIPE/, 'EPIPE is not reported');
  assert.equal(gone.code, 0, 'the action succeeded');
  if (!existsSync('/dev/full')) return;
  const fd = openSync('/dev/full', 'w');
  try {
    const full = await runLimited([INIT], dir, { stdout: fd });
    assert.equal(full.code, 1);
    assert.doesNotMatch(full.stderr, /\n\s+at /, full.stderr);
    const lines = full.stderr.trim().split('\n');
    assert.equal(lines.length, 1, full.stderr);
    assert.match(lines[0] as string, /^wandb-skill: /);
  } finally {
    closeSync(fd);
  }
});
