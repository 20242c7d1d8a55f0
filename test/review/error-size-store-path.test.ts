import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import { tempDir, valid } from '../helpers/tmp.js';

// The store path comes from the environment: a 100,000-character one made a 100 KB error document.
test('review, item 16: an error document stays under 16 KiB when WANDB_SKILL_STORE or WANDB_DIR is huge', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const long = join(dir, 'a'.repeat(100_000));
  for (const env of [{ WANDB_SKILL_STORE: join(long, 'x.db') }, { WANDB_DIR: long }]) {
    const out = valid(await executeSkill({ action: 'init', project: 'p' }, { env, cwd: dir, homedir: dir }));
    assert.equal(out.status, 'error', JSON.stringify(out).slice(0, 300));
    assert.notEqual(out.error?.code, 'INTERNAL');
    const size = Buffer.byteLength(JSON.stringify(out));
    assert.ok(size < 16 * 1024, `${Object.keys(env)[0]}: the error document has ${size} bytes`);
  }
});
