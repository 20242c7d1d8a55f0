import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill } from '../../src/index.js';
import { runPath } from '../../src/dashboard/scope.js';
import { runUrl } from '../../src/wandb/urls.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';

test('one run URL: the skill, the dashboard and the W&B client encode a run id alike (W&B leaves =+&$@ as they are)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = valid(await executeSkill({ action: 'init', project: 'p q', runConfig: { id: 'a=b+c@d e' } }, isolated(dir)));
  const path = '/local/p%20q/runs/a=b+c@d%20e';
  assert.equal(new URL(out.runUrl as string).pathname, path);
  assert.equal(runPath(null, 'p q', 'a=b+c@d e'), path);
  assert.equal(runUrl({ appUrl: 'https://wandb.ai', entity: 'local', project: 'p q', runId: 'a=b+c@d e' }), `https://wandb.ai${path}`);
});
