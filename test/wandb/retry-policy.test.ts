import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSkillRunner } from '../../src/index.js';
import { createGraphqlClient } from '../../src/wandb/graphql.js';
import { viewer } from '../../src/wandb/operations.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { tempDir } from '../helpers/tmp.js';

test('W&B client: a custom retry policy is honoured (retries, backoff, Retry-After cap)', async (t) => {
  const server = await startWandbServer();
  t.after(() => server.close());
  const waits: number[] = [];
  const sleep = async (ms: number): Promise<void> => void waits.push(ms);
  const client = createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey, sleep, retry: { maxRetries: 2, initialDelayMs: 10, jitter: 0 } });
  server.fail('graphql:Viewer', { status: 503, times: 3 });
  await assert.rejects(
    viewer(client),
    (err: { code?: string; details?: Record<string, unknown> }) => err.code === 'BACKEND_UNAVAILABLE' && err.details?.['attempts'] === 3,
  );
  assert.deepEqual(waits, [10, 20]);

  const capped = createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey, sleep, retry: { maxRetryAfterMs: 1000 } });
  server.fail('graphql:Viewer', { status: 429, retryAfter: 5, times: 1 });
  await assert.rejects(
    viewer(capped),
    (err: { code?: string; details?: Record<string, unknown> }) => err.code === 'RATE_LIMITED' && err.details?.['retryAfterMs'] === 5000,
  );
});

test('SkillOptions.retry.wandb reaches the W&B client of an online call', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const server = await startWandbServer();
  t.after(() => server.close());
  const waits: number[] = [];
  const runner = createSkillRunner({
    cwd: dir,
    dir,
    replication: 'sync',
    sleep: async (ms) => void waits.push(ms),
    retry: { wandb: { maxRetries: 1, initialDelayMs: 7, jitter: 0 } },
    env: { WANDB_MODE: 'online', WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url },
  });
  t.after(() => runner.close());
  server.fail('graphql:Viewer', { status: 503, times: Infinity });
  await runner.execute({ action: 'init', project: 'p' });
  assert.equal(server.operations().filter((o) => o === 'Viewer').length, 2, 'one retry, as the policy says (the default makes five attempts)');
  assert.deepEqual(waits, [7]);
});
