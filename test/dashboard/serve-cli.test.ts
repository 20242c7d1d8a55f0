// `wandb-skill serve` as a real child process: the URL first on stdout, a clean exit on SIGTERM/SIGINT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSkillRunner } from '../../src/index.js';
import { binPath, tempDir, valid } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

function serveChild(args: string[], cwd: string) {
  const child = spawn(process.execPath, [binPath, 'serve', ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0] as string);
    });
    child.on('exit', (c) => reject(new Error(`exited ${c}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { child, firstLine, exited, out: () => ({ stdout, stderr }) };
}

test('serve --port 0 prints its URL first, serves the store, and exits 0 on SIGTERM', async (t) => {
  const { dir, cleanup } = tempDir('dash-cli-');
  t.after(cleanup);
  const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir, dir });
  const init = valid(await runner.execute({ action: 'init', project: 'cli-proj', runConfig: { name: 'r1' } }));
  runner.close();
  const s = serveChild(['--port', '0'], dir);
  const url = await s.firstLine;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const projects = (await (await fetch(`${url}/api/projects`)).json()) as { projects: Array<{ project: string }> };
  assert.deepEqual(
    projects.projects.map((p) => p.project),
    ['cli-proj'],
  );
  // The runUrl the skill returned names a page of this dashboard (same path scheme).
  const path = new URL(init.runUrl as string).pathname;
  assert.equal(path, `/local/cli-proj/runs/${init.runId}`);
  const page = await fetch(url + path);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /app\.js/);
  s.child.kill('SIGTERM');
  assert.equal(await s.exited, 0);
  assert.equal(s.out().stdout.trim().split('\n').length, 1, 'only the URL on stdout');
});

test('serve stops on SIGINT; a non-loopback host needs --allow-remote and warns', async (t) => {
  const { dir, cleanup } = tempDir('dash-cli-');
  t.after(cleanup);
  const refused = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd: dir });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--allow-remote/);
  const s = serveChild(['--host', '0.0.0.0', '--port', '0', '--allow-remote', '--dir', dir], dir);
  const url = await s.firstLine;
  assert.match(url, /^http:\/\/0\.0\.0\.0:\d+$/);
  assert.match(s.out().stderr, /WARNING/);
  s.child.kill('SIGINT');
  assert.equal(await s.exited, 0);
});

test('serve refuses bad arguments with usage errors', async (t) => {
  const { dir, cleanup } = tempDir('dash-cli-');
  t.after(cleanup);
  for (const args of [['--port', 'abc'], ['--port', '70000'], ['--bogus'], ['--host']]) {
    const r = await runCli(['serve', ...args], { cwd: dir });
    assert.equal(r.code, 2, args.join(' '));
    // Issue 11: a usage error is a JSON error document on stdout too (agents read only stdout).
    const doc = JSON.parse(r.stdout) as { status: string; action: string; error: { code: string } };
    assert.deepEqual([doc.status, doc.action, doc.error.code], ['error', 'serve', 'INVALID_INPUT']);
  }
  const help = await runCli(['serve', '--help'], { cwd: dir });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--allow-remote/);
});
