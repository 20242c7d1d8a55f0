import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputIssues } from '../../src/contract/validate.js';
import { binPath, tempDir } from '../helpers/tmp.js';

function cli(dir: string, ...args: string[]): { code: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [binPath, ...args], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline', WANDB_DIR: dir },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout };
}

const read = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

test('--task-post writes the value file on success and {name, message, data} on failure, removing the stale other', () => {
  const { dir, cleanup } = tempDir();
  try {
    const task = join(dir, 'tasks', 'e1');
    mkdirSync(task, { recursive: true });
    writeFileSync(join(task, 'result.json'), '{"kept":true}');
    const envelope = { kind: 'skill', title: 'init', skill: { name: 'wandb-experiment-tracker', context: { action: 'init', project: 'tp' } } };
    writeFileSync(join(task, 'task.json'), JSON.stringify(envelope));
    const okRun = cli(dir, '--input', join(task, 'task.json'), '--task-post', task);
    assert.equal(okRun.code, 0);
    const value = read(join(task, 'skill-value.json'));
    assert.deepEqual(value, JSON.parse(okRun.stdout), 'the value file is the output document, also on stdout');
    assert.deepEqual(outputIssues(value), []);
    assert.equal(existsSync(join(task, 'skill-error.json')), false);

    const bad = cli(dir, JSON.stringify({ action: 'log', project: 'tp', runId: 'nosuchrun', logData: { metrics: { x: 1 } } }), `--task-post=${task}`);
    assert.equal(bad.code, 1);
    const err = read(join(task, 'skill-error.json'));
    assert.equal(err['name'], 'NOT_FOUND');
    const data = err['data'] as { error: { message: string } };
    assert.equal(err['message'], data.error.message);
    assert.deepEqual(data, JSON.parse(bad.stdout));
    assert.equal(existsSync(join(task, 'skill-value.json')), false, 'a retried task never posts a stale value');
    assert.deepEqual(read(join(task, 'result.json')), { kept: true }, 'result.json belongs to task:post');

    const usage = cli(dir, '--bogus', '--task-post', task);
    assert.equal(usage.code, 2);
    const u = read(join(task, 'skill-error.json'));
    assert.equal(u['name'], 'INVALID_INPUT');
    assert.match(u['message'] as string, /^usage: unknown option --bogus/);
    assert.deepEqual(u['data'], JSON.parse(usage.stdout));

    const missing = cli(dir, '{"action":"init"}', '--task-post', join(dir, 'nope'));
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /--task-post/);
    assert.equal(existsSync(join(dir, 'wandb', 'skill-store.sqlite')), true);
  } finally {
    cleanup();
  }
});
