import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSkillRunner } from '../../src/index.js';
import { tempDir, valid } from '../helpers/tmp.js';

test('issue 11 item 13: WANDB_SKILL_STORE naming /dev/null, a folder, a non-database file or a data folder is INVALID_INPUT naming it', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'notes.txt'), 'not a database\n');
  mkdirSync(join(dir, 'afolder'));
  const cases: Array<[string, RegExp]> = [
    ['/dev/null', /not a regular file/],
    [join(dir, 'afolder'), /is a folder/],
    [join(dir, 'notes.txt'), /not a SQLite database/],
    [join(dir, 'wandb', 'artifacts', 'store.sqlite'), /data folder/],
  ];
  for (const [store, message] of cases) {
    const runner = createSkillRunner({ env: { WANDB_SKILL_STORE: store, WANDB_MODE: 'offline' }, cwd: dir });
    try {
      const out = valid(await runner.execute({ action: 'init', project: 'p' }));
      assert.equal(out.status, 'error', store);
      assert.equal(out.error?.code, 'INVALID_INPUT', `${store}: ${JSON.stringify(out.error)}`);
      assert.equal(out.error?.details?.issues?.[0]?.path, 'WANDB_SKILL_STORE', store);
      assert.match(out.error?.message ?? '', message, store);
    } finally {
      runner.close();
    }
  }
  assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'not a database\n', 'a non-database file is left as it is');
  assert.equal(existsSync(join(dir, 'notes.txt-wal')), false);
  assert.equal(existsSync(join(dir, 'notes.txt-journal')), false);
});

test('issue 11 item 13: the TypeScript storePath option is named when it is not a database', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'x.db'), 'hello');
  const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir, storePath: join(dir, 'x.db') });
  t.after(() => runner.close());
  const out = valid(await runner.execute({ action: 'init', project: 'p' }));
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.equal(out.error?.details?.issues?.[0]?.path, 'storePath');
  assert.equal(readFileSync(join(dir, 'x.db'), 'utf8'), 'hello');
});
