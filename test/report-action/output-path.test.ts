import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import { tempDir, valid } from '../helpers/tmp.js';

test('a relative reportConfig.outputPath starts at the working directory, not at the work tree root the store lives in', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  mkdirSync(join(dir, '.git'));
  const task = join(dir, 'tasks', 'effect-1');
  mkdirSync(task, { recursive: true });
  const opts = { env: { WANDB_MODE: 'offline' }, cwd: task, homedir: dir };
  const init = valid(await executeSkill({ action: 'init', project: 'p' }, opts));
  assert.equal(init.storePath, join(dir, 'wandb', 'skill-store.sqlite'), 'one store at the work tree root');
  const out = valid(await executeSkill({ action: 'report', project: 'p', reportConfig: { format: 'json', outputPath: 'report.json' } }, opts));
  assert.equal(out.status, 'success', JSON.stringify(out));
  assert.equal(out.report?.path, join(task, 'report.json'));
  assert.ok(existsSync(join(task, 'report.json')));
  assert.ok(!existsSync(join(dir, 'report.json')));
});
