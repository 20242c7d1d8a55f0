import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill } from '../../src/index.js';
import { endlessBody, startRawServer } from '../helpers/raw-server.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';
import type { SkillOptions } from '../../src/skill.js';

async function alertOnce(options: SkillOptions) {
  const runId = valid(await executeSkill({ action: 'init', project: 'p' }, options)).runId as string;
  return valid(await executeSkill({ action: 'alert', project: 'p', runId, alertConfig: { title: 'T', text: 'x' } }, options));
}

test('a webhook answering 302 or 307 to another host is a failed delivery, not retried; that host receives no request', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const other = await startRawServer((_r, res) => res.end('ok'));
  const found = await startRawServer((_r, res) => {
    res.writeHead(302, { location: `${other.url}/collect` });
    res.end();
  });
  const temporary = await startRawServer((_r, res) => {
    res.writeHead(307, { location: `${other.url}/collect` });
    res.end();
  });
  for (const s of [other, found, temporary]) t.after(() => s.close());
  const out = await alertOnce(isolated(dir, { WANDB_SKILL_ALERT_WEBHOOKS: `${found.url}/hook,${temporary.url}/hook` }));
  const [a, b] = out.alert?.deliveries ?? [];
  assert.deepEqual([a?.ok, a?.attempts, b?.ok, b?.attempts], [false, 1, false, 1]);
  assert.equal(a?.error, `HTTP 302: redirect to ${other.url}/collect not followed`);
  assert.equal(b?.error, `HTTP 307: redirect to ${other.url}/collect not followed`);
  assert.deepEqual([found.requests.length, temporary.requests.length], [1, 1]);
  assert.equal(other.requests.length, 0, 'the other host receives nothing');
});

test('a webhook answering with an endless body: at most 64 KiB is read, so the status counts, not a timeout', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const failing = await startRawServer((_r, res) => endlessBody(res, 500));
  t.after(() => failing.close());
  const out = await alertOnce(isolated(dir, { WANDB_SKILL_ALERT_WEBHOOKS: `${failing.url}/hook` }));
  const d = out.alert?.deliveries[0];
  // Each answer was read up to 64 KiB and dropped, not read until the 2.5 s attempt timeout: all four
  // attempts fit in the 6 s budget (reading it whole left room for two).
  assert.equal(d?.ok, false);
  assert.equal(d?.error, 'HTTP 500 (after 4 attempts)');
  assert.equal(failing.requests.length, 4);
});
