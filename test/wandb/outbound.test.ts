import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkillError } from '../../src/errors.js';
import { createGraphqlClient } from '../../src/wandb/graphql.js';
import { httpRequest } from '../../src/wandb/http.js';
import { viewer } from '../../src/wandb/operations.js';
import { endlessBody, startRawServer } from '../helpers/raw-server.js';

async function rejection(p: Promise<unknown>): Promise<SkillError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SkillError, String(err));
    return err;
  }
  assert.fail('expected a SkillError');
}

test('the W&B client follows no redirect: a 302/307 to another host fails, and that host receives no request', async (t) => {
  const other = await startRawServer((_r, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data":{"viewer":{"id":"x","entity":"stolen","username":"u"}}}');
  });
  t.after(() => other.close());
  for (const status of [302, 307]) {
    const api = await startRawServer((_r, res) => {
      res.writeHead(status, { location: `${other.url}/graphql?sig=SIGNATURE-123` });
      res.end();
    });
    t.after(() => api.close());
    const err = await rejection(viewer(createGraphqlClient({ baseUrl: api.url, apiKey: 'k'.repeat(40), retry: false })));
    assert.equal(err.code, 'BACKEND_UNAVAILABLE');
    assert.match(err.message, new RegExp(`HTTP ${status}: redirect to http://127\\.0\\.0\\.1:${other.port}/graphql\\?sig=\\*\\*\\* not followed`));
    assert.equal(api.requests.length, 1, 'not retried');
  }
  assert.equal(other.requests.length, 0, 'the other host receives nothing');
});

test('the W&B client reads at most 64 KiB of an error body: an endless 500 answer is an HTTP 500, not a timeout', async (t) => {
  const api = await startRawServer((_r, res) => endlessBody(res, 500));
  t.after(() => api.close());
  const err = await rejection(httpRequest({ url: `${api.url}/graphql`, operation: 'Viewer', method: 'POST', body: '{}', timeoutMs: 3000, retry: false }));
  assert.equal(err.code, 'BACKEND_UNAVAILABLE', err.message);
  assert.match(err.message, /^Viewer: HTTP 500: x+$/);
});

test('a refused connection fails at once, without retries or backoff waits', async () => {
  const gone = await startRawServer((_r, res) => res.end());
  await gone.close();
  const waits: number[] = [];
  const err = await rejection(
    httpRequest({ url: `${gone.url}/graphql`, operation: 'Viewer', method: 'POST', body: '{}', sleep: async (ms) => void waits.push(ms) }),
  );
  assert.equal(err.code, 'BACKEND_UNAVAILABLE');
  assert.match(err.message, /ECONNREFUSED/);
  assert.deepEqual(waits, [], 'no backoff wait before failing');
  assert.equal(err.details?.['attempts'], 1);
});
