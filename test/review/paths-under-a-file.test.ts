import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

test('review, item 13: a store, W&B dir or download folder under a regular file is a coded error naming the field, not INTERNAL', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'afile'), 'x');
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'f.txt'), 'x');
  const viaStore = valid(await executeSkill({ action: 'init', project: 'p' }, isolated(dir, { WANDB_SKILL_STORE: join(dir, 'afile', 'x.db') })));
  assert.equal(viaStore.error?.code, 'INVALID_INPUT', JSON.stringify(viaStore));
  assert.equal(viaStore.error?.details?.issues?.[0]?.path, 'WANDB_SKILL_STORE');
  const viaDir = valid(await executeSkill({ action: 'init', project: 'p' }, { env: { WANDB_DIR: join(dir, 'afile') }, cwd: dir, homedir: dir }));
  assert.equal(viaDir.error?.code, 'INVALID_INPUT', JSON.stringify(viaDir));
  assert.equal(viaDir.error?.details?.issues?.[0]?.path, 'WANDB_DIR');
  const o = isolated(dir);
  valid(await executeSkill({ action: 'artifact', project: 'p', artifactConfig: { name: 'd', type: 'dataset', path: 'data' } }, o));
  const dl = valid(
    await executeSkill({ action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: 'd:latest', downloadPath: 'afile/sub' } }, o),
  );
  assert.equal(dl.error?.code, 'INVALID_INPUT', JSON.stringify(dl));
  assert.equal(dl.error?.details?.issues?.[0]?.path, 'artifactConfig.downloadPath');
});
