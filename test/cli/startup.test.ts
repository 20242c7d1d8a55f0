import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, tempDir } from '../helpers/tmp.js';

// A one-call process must not pay for what the call does not use: the agent path's start-up budget
// (npm run bench: at most 1.5x `node -e 0`, issue 13) leaves no room for loading these on every log.
const HEAVY = ['/yaml/', '/ajv/dist/core', '/ajv/dist/ajv', '/vega', '/graphql/', '/pino/', '/playwright', '/music-metadata/', '/image-size/'];

test('a log call from the CLI loads none of the heavy dependencies', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const probe = join(dir, 'probe.cjs');
  writeFileSync(
    probe,
    `const M = require('module'); const orig = M._load; const seen = [];
M._load = function (req, parent) { const r = orig.apply(this, arguments); try { seen.push(M._resolveFilename(req, parent)); } catch {} return r; };
process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(join(dir, 'loaded.json'))}, JSON.stringify(seen)));`,
  );
  const env = { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline' };
  const init = spawnSync(process.execPath, [binPath, '{"action":"init","project":"p","runConfig":{"name":"r"}}'], { cwd: dir, env });
  assert.equal(init.status, 0, init.stderr.toString());
  const r = spawnSync(process.execPath, ['-r', probe, binPath, '{"action":"log","project":"p","runConfig":{"name":"r"},"logData":{"metrics":{"a":1}}}'], {
    cwd: dir,
    env,
  });
  assert.equal(r.status, 0, r.stderr.toString());
  const loaded = JSON.parse(readFileSync(join(dir, 'loaded.json'), 'utf8')) as string[];
  const heavy = [...new Set(loaded.filter((f) => HEAVY.some((h) => f.includes(h))))].slice(0, 5);
  assert.deepEqual(heavy, [], `loaded on the log path: ${heavy.join(', ')}`);
  assert.ok(
    loaded.some((f) => f.includes('better-sqlite3')),
    'the probe saw the store being loaded',
  );
});

// The built-ins a log call must not add to what `node -e 0` loads: node:tty and process.stdout
// (net, stream), node:crypto (stream again) and node:fs/promises each cost a one-call process
// milliseconds (the CLI's budget is 1.5x `node -e 0`). Compared with node's own list in the same run,
// so a Node version that loads one of them at start-up does not fail the test.
const HEAVY_BUILTINS = ['NativeModule net', 'NativeModule tty', 'NativeModule crypto', 'NativeModule fs/promises', 'NativeModule stream'];

test('a log call from the CLI, its output on a pipe, loads no stream, tty, crypto or fs/promises module', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const probe = join(dir, 'probe.cjs');
  writeFileSync(probe, `process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify(process.moduleLoadList)));`);
  const env = { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline' };
  const loadedBy = (args: string[]): string[] => {
    const out = join(dir, `loaded-${args.length}.json`);
    const r = spawnSync(process.execPath, ['-r', probe, ...args], { cwd: dir, env: { ...env, PROBE_OUT: out }, stdio: 'pipe' });
    assert.equal(r.status, 0, r.stderr.toString());
    return JSON.parse(readFileSync(out, 'utf8')) as string[];
  };
  const init = spawnSync(process.execPath, [binPath, '{"action":"init","project":"p","runConfig":{"name":"r"}}'], { cwd: dir, env });
  assert.equal(init.status, 0, init.stderr.toString());
  const node = new Set(loadedBy(['-e', '0']));
  const ours = loadedBy([binPath, '{"action":"log","project":"p","runConfig":{"name":"r"},"logData":{"metrics":{"a":1}}}']);
  const added = HEAVY_BUILTINS.filter((m) => ours.includes(m) && !node.has(m));
  assert.deepEqual(added, [], `loaded on the log path: ${added.join(', ')}`);
});
