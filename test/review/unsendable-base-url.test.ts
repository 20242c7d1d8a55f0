import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// A request that can never be made (credentials in the URL, a port fetch refuses) is not retried
// until the deadline: each online call would otherwise wait about 7 s for nothing.
test('review, item 12: a W&B base URL fetch cannot use (userinfo, a blocked port) fails at the first attempt, its secret redacted', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  for (const base of ['http://user:S3CRET@127.0.0.1:18997/', 'http://127.0.0.1:1/']) {
    const res = await runCli(['sync'], { cwd: dir, env: { WANDB_DIR: dir, WANDB_API_KEY: 'k'.repeat(40), WANDB_BASE_URL: base } });
    const out = JSON.parse(res.stdout) as { status: string; error?: { code: string; details?: { attempts?: number } } };
    assert.equal(out.error?.code, 'BACKEND_UNAVAILABLE', res.stdout);
    assert.equal(out.error?.details?.attempts, 1, `${base}: ${res.stdout}`);
    assert.ok(!res.stdout.includes('S3CRET') && !res.stderr.includes('S3CRET'), 'the password is redacted');
  }
});
