import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// JSON text may name a parameter `__proto__`; JavaScript objects drop it on assignment, so the
// sweep silently lost the parameter (config {} and one run instead of two). It is refused instead.
test('review, item 15: a sweep parameter named __proto__ is refused naming it, not silently dropped', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env = { WANDB_DIR: dir };
  for (const params of ['{"__proto__":{"values":[1,2]}}', '{"opt":{"parameters":{"__proto__":{"values":[1,2]}}}}']) {
    const res = await runCli([`{"action":"sweep","project":"p","sweepConfig":{"method":"grid","parameters":${params}}}`], { cwd: dir, env });
    const out = JSON.parse(res.stdout) as { status: string; error?: { code: string; details?: { issues?: Array<{ path: string }> } } };
    assert.equal(out.error?.code, 'INVALID_INPUT', res.stdout);
    assert.ok(
      out.error?.details?.issues?.some((i) => i.path.endsWith('parameters.__proto__')),
      res.stdout,
    );
  }
});
