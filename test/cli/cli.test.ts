import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { artifactDigest } from '../../src/artifacts/digest.js';
import { join } from 'node:path';
import { outputIssues } from '../../src/contract/validate.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

function oneJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, `exactly one JSON document on stdout, got: ${stdout}`);
  const out = JSON.parse(lines[0] as string) as Record<string, unknown>;
  assert.deepEqual(outputIssues(out), []);
  return out;
}

test('init, log and finish as separate processes with the JSON as an argument', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const init = await runCli(['{"action":"init","project":"demo","runConfig":{"name":"cli-run","config":{"lr":0.01}}}'], { cwd: dir });
  assert.equal(init.code, 0, init.stderr);
  const runId = oneJson(init.stdout)['runId'] as string;
  const log = await runCli([JSON.stringify({ action: 'log', project: 'demo', runId, logData: { metrics: { loss: 0.42 } } })], { cwd: dir });
  assert.equal(log.code, 0);
  assert.equal(oneJson(log.stdout)['step'], 0);
  const fin = await runCli([JSON.stringify({ action: 'finish', project: 'demo', runId })], { cwd: dir });
  const out = oneJson(fin.stdout);
  assert.equal(out['state'], 'finished');
  assert.equal((out['summary'] as Record<string, unknown>)['loss'], 0.42);
});

test('--input/--output files (the orchestrator inputs.json/result.json), with the skill envelope', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(
    join(dir, 'inputs.json'),
    JSON.stringify({ kind: 'skill', skill: { name: 'wandb-experiment-tracker', context: { action: 'init', project: 'p' } } }),
  );
  const r = await runCli(['--input', 'inputs.json', '--output', 'result.json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'with --output, stdout stays empty');
  const out = oneJson(readFileSync(join(dir, 'result.json'), 'utf8'));
  assert.equal(out['status'], 'success');
});

test('JSON on standard input, with bare NaN accepted and written back as a string', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const r = await runCli([], { cwd: dir, stdin: '{"action":"log","project":"p","runConfig":{"name":"n"},"logData":{"metrics":{"loss":NaN}}}' });
  assert.equal(r.code, 0, r.stderr);
  const runId = oneJson(r.stdout)['runId'] as string;
  const fin = oneJson((await runCli([JSON.stringify({ action: 'finish', project: 'p', runId })], { cwd: dir })).stdout);
  assert.equal((fin['summary'] as Record<string, unknown>)['loss'], 'NaN');
});

test('exit codes: 1 with an error document for bad input, 2 for usage errors', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const malformed = await runCli(['{"action": "log", '], { cwd: dir });
  assert.equal(malformed.code, 1);
  const m = oneJson(malformed.stdout);
  assert.equal((m['error'] as { code: string }).code, 'INVALID_INPUT');
  const unknown = await runCli(['{"action":"dance"}'], { cwd: dir });
  assert.equal(unknown.code, 1);
  assert.equal(oneJson(unknown.stdout)['status'], 'error');
  const flag = await runCli(['--frobnicate'], { cwd: dir });
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /unknown option --frobnicate/);
  oneJson(flag.stdout);
  const two = await runCli(['{}', '{}'], { cwd: dir });
  assert.equal(two.code, 2);
  const missing = await runCli(['--input', 'nope.json'], { cwd: dir });
  assert.equal(missing.code, 1);
  assert.match(JSON.stringify(oneJson(missing.stdout)), /cannot be read/);
  const empty = await runCli([], { cwd: dir, stdin: '' });
  assert.equal(empty.code, 1);
});

test('--help documents the forms, exit codes and environment', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const r = await runCli(['--help'], { cwd: dir });
  assert.equal(r.code, 0);
  for (const s of ['--input', '--output', 'standard input', 'Exit codes', 'WANDB_DIR', 'WANDB_MODE']) assert.ok(r.stdout.includes(s), s);
});

test('logs go to stderr, never stdout', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const r = await runCli(['--log-level', 'info', '{"action":"init","project":"p"}'], { cwd: dir });
  assert.equal(r.code, 0);
  oneJson(r.stdout);
  assert.match(r.stderr, /"level":30/);
});

test('a big folder logged through the CLI is hashed on worker threads and gets the digest of its bytes', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  mkdirSync(join(dir, 'data'));
  const contents: Record<string, { digest: string }> = {};
  for (let i = 0; i < 6; i++) {
    const bytes = randomFillSync(Buffer.alloc(3 * 1024 * 1024 + i));
    writeFileSync(join(dir, 'data', `shard-${i}.bin`), bytes);
    contents[`shard-${i}.bin`] = { digest: createHash('md5').update(bytes).digest('base64') };
  }
  const res = await runCli([JSON.stringify({ action: 'artifact', project: 'p', artifactConfig: { name: 'shards', type: 'dataset', path: 'data' } })], {
    cwd: dir,
    env: { WANDB_SKILL_LOG_LEVEL: 'debug' },
  });
  assert.equal(res.code, 0, res.stderr);
  const artifact = oneJson(res.stdout)['artifact'] as { digest: string; fileCount: number };
  assert.equal(artifact.fileCount, 6);
  assert.equal(artifact.digest, artifactDigest({ contents }));
  const stored = res.stderr
    .split('\n')
    .filter((l) => l.includes('artifact files stored'))
    .map((l) => JSON.parse(l) as { threads: number; files: number });
  assert.equal(stored.length, 1, res.stderr);
  assert.ok((stored[0]?.threads ?? 0) >= 1, `the bundled CLI found the hashing worker: ${JSON.stringify(stored[0])}`);
});
