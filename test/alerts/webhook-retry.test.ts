import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill } from '../../src/index.js';
import { parseWebhooks, postWebhook, type DeliveryBudget } from '../../src/alerts/webhooks.js';
import type { AlertEvent } from '../../src/alerts/payloads.js';
import type { SkillOptions } from '../../src/skill.js';
import { startRawServer } from '../helpers/raw-server.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';

const EVENT: AlertEvent = {
  id: 'al-1',
  title: 'T',
  text: 'x',
  level: 'WARN',
  waitDuration: 60,
  time: Date.parse('2026-01-01T00:00:00Z'),
  run: { id: 'r', name: 'r', url: 'http://x/r', project: 'p', entity: null },
};

/** A server answering the statuses (and Retry-After values) of `plan` in turn, then 200. */
async function scripted(plan: Array<{ status: number; retryAfter?: string }>) {
  let i = 0;
  return startRawServer((_r, res) => {
    const step = plan[i++];
    res.writeHead(step?.status ?? 200, step?.retryAfter !== undefined ? { 'retry-after': step.retryAfter } : {});
    res.end('ok');
  });
}

function hookOf(url: string) {
  const hook = parseWebhooks(url).hooks[0];
  assert.ok(hook !== undefined);
  return hook;
}

test('webhooks: a Retry-After over the cap ends the delivery at once instead of being waited for', async (t) => {
  const server = await scripted([{ status: 503, retryAfter: '3600' }]);
  t.after(() => server.close());
  const waits: number[] = [];
  // A budget long enough that only the cap can refuse the wait (before the cap, this waited an hour).
  const policy: DeliveryBudget = { attemptTimeoutMs: 2500, totalMs: 2 * 3_600_000, sleep: async (ms) => void waits.push(ms) };
  const out = await postWebhook(fetch, hookOf(`${server.url}/hook`), EVENT, policy);
  assert.deepEqual([out.ok, out.attempts, out.status, out.error], [false, 1, 503, 'HTTP 503']);
  assert.deepEqual(waits, []);
  assert.equal(server.requests.length, 1);
});

test('webhooks: a Retry-After within the cap is waited for, as the server asked', async (t) => {
  const server = await scripted([{ status: 429, retryAfter: '2' }]);
  t.after(() => server.close());
  const waits: number[] = [];
  const out = await postWebhook(fetch, hookOf(`${server.url}/hook`), EVENT, {
    attemptTimeoutMs: 2500,
    totalMs: 60_000,
    sleep: async (ms) => void waits.push(ms),
  });
  assert.deepEqual([out.ok, out.attempts, out.status], [true, 2, 200]);
  assert.deepEqual(waits, [2000]);
});

test('webhooks: the cap itself is part of the policy', async (t) => {
  const server = await scripted([{ status: 503, retryAfter: '2' }]);
  t.after(() => server.close());
  const out = await postWebhook(fetch, hookOf(`${server.url}/hook`), EVENT, {
    attemptTimeoutMs: 2500,
    totalMs: 60_000,
    retry: { maxRetryAfterMs: 1000 },
    sleep: async () => undefined,
  });
  assert.deepEqual([out.ok, out.attempts], [false, 1]);
});

async function alertWith(options: SkillOptions) {
  const runId = valid(await executeSkill({ action: 'init', project: 'p' }, options)).runId as string;
  return valid(await executeSkill({ action: 'alert', project: 'p', runId, alertConfig: { title: 'T', text: 'x' } }, options));
}

test('SkillOptions.retry.webhooks: a custom policy is honoured (retries, backoff, off)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const failing = await startRawServer((_r, res) => {
    res.writeHead(500);
    res.end('no');
  });
  t.after(() => failing.close());
  const waits: number[] = [];
  const base = isolated(dir, { WANDB_SKILL_ALERT_WEBHOOKS: `${failing.url}/hook` });
  const sleep = async (ms: number): Promise<void> => void waits.push(ms);

  const two = await alertWith({ ...base, sleep, retry: { webhooks: { maxRetries: 1, initialDelayMs: 50, jitter: 0 } } });
  assert.equal(two.alert?.deliveries[0]?.error, 'HTTP 500 (after 2 attempts)');
  assert.deepEqual(waits, [50], 'one wait of the custom backoff, through the injected sleep');
  assert.equal(failing.requests.length, 2);

  const one = await alertWith({ ...base, sleep, retry: { webhooks: false } });
  assert.deepEqual([one.alert?.deliveries[0]?.attempts, one.alert?.deliveries[0]?.error], [1, 'HTTP 500']);
  assert.equal(failing.requests.length, 3);

  const defaults = await alertWith({ ...base, sleep });
  assert.equal(defaults.alert?.deliveries[0]?.attempts, 4, 'without options: the default four attempts');
});
