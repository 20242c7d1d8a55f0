import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SkillError } from '../../src/errors.js';
import { backoffDelay, codeForStatus, httpRequest, parseRetryAfter } from '../../src/wandb/http.js';
import { createGraphqlClient } from '../../src/wandb/graphql.js';
import { viewer } from '../../src/wandb/operations.js';
import { startWandbServer, type WandbTestServer } from '../helpers/wandb-server.js';

function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<SkillError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SkillError, `expected SkillError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe('http: status table and backoff', () => {
  it('maps statuses to codes', () => {
    assert.equal(codeForStatus(401), 'AUTH_FAILED');
    assert.equal(codeForStatus(403), 'AUTH_FAILED');
    assert.equal(codeForStatus(404), 'NOT_FOUND');
    assert.equal(codeForStatus(409), 'CONFLICT');
    assert.equal(codeForStatus(413), 'PAYLOAD_TOO_LARGE');
    assert.equal(codeForStatus(429), 'RATE_LIMITED');
    assert.equal(codeForStatus(400), 'INVALID_INPUT');
    assert.equal(codeForStatus(422), 'INVALID_INPUT');
    assert.equal(codeForStatus(500), 'BACKEND_UNAVAILABLE');
    assert.equal(codeForStatus(503), 'BACKEND_UNAVAILABLE');
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3', 0), 3000);
    assert.equal(parseRetryAfter(null, 0), undefined);
    assert.equal(parseRetryAfter('soon', 0), undefined);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
  });

  it('backs off exponentially with jitter under a cap', () => {
    const retry = { maxRetries: 10, initialDelayMs: 100, maxDelayMs: 1000, jitter: 0.25, maxRetryAfterMs: 60000, retryStatuses: [429] };
    assert.equal(
      backoffDelay(0, retry, () => 0),
      100,
    );
    assert.equal(
      backoffDelay(2, retry, () => 0),
      400,
    );
    assert.equal(
      backoffDelay(8, retry, () => 0),
      1000,
    );
    assert.equal(
      backoffDelay(8, retry, () => 1),
      750,
    );
  });
});

describe('http: against the test server', () => {
  let server: WandbTestServer;
  before(async () => {
    server = await startWandbServer();
  });
  after(() => server.close());

  const client = (extra: Parameters<typeof createGraphqlClient>[0] extends infer O ? Partial<O> : never = {}) =>
    createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey, ...extra });

  it('retries a 500 and then succeeds', async () => {
    const { waits, sleep } = recordingSleep();
    server.fail('graphql:Viewer', { status: 500 });
    const before = server.requests.length;
    const v = await viewer(client({ sleep, random: () => 0 }));
    assert.equal(v?.entity, 'test-entity');
    assert.equal(server.requests.length - before, 2);
    assert.deepEqual(waits, [500]);
  });

  it('honours Retry-After on 429 (injected sleep records the wait)', async () => {
    const { waits, sleep } = recordingSleep();
    server.fail('graphql:Viewer', { status: 429, retryAfter: 3, times: 2 });
    await viewer(client({ sleep }));
    assert.deepEqual(waits, [3000, 3000]);
  });

  it('gives up with RATE_LIMITED when Retry-After exceeds the allowed wait', async () => {
    const { waits, sleep } = recordingSleep();
    server.fail('graphql:Viewer', { status: 429, retryAfter: 3600 });
    const err = await rejectsWith(viewer(client({ sleep })), 'RATE_LIMITED');
    assert.equal(err.details?.['retryAfterMs'], 3_600_000);
    assert.deepEqual(waits, []);
  });

  it('returns RATE_LIMITED after the retries run out', async () => {
    const { waits, sleep } = recordingSleep();
    server.fail('graphql:Viewer', { status: 429, times: 3 });
    const err = await rejectsWith(viewer(client({ sleep, retry: { maxRetries: 2 } })), 'RATE_LIMITED');
    assert.equal(err.details?.['status'], 429);
    assert.equal(err.details?.['attempts'], 3);
    assert.equal(waits.length, 2);
  });

  it('does not retry 404 (NOT_FOUND), 401 (AUTH_FAILED), 400 (INVALID_INPUT), 413 (PAYLOAD_TOO_LARGE)', async () => {
    for (const [status, code] of [
      [404, 'NOT_FOUND'],
      [401, 'AUTH_FAILED'],
      [400, 'INVALID_INPUT'],
      [413, 'PAYLOAD_TOO_LARGE'],
    ] as const) {
      const { waits, sleep } = recordingSleep();
      server.fail('graphql:Viewer', { status });
      const before = server.requests.length;
      const err = await rejectsWith(viewer(client({ sleep })), code);
      assert.equal(server.requests.length - before, 1, `status ${status} must not be retried`);
      assert.equal(err.details?.['status'], status);
      assert.equal(err.details?.['operation'], 'Viewer');
      assert.deepEqual(waits, []);
    }
  });

  it('retries 409 CONFLICT', async () => {
    const { sleep } = recordingSleep();
    server.fail('graphql:Viewer', { status: 409 });
    assert.ok(await viewer(client({ sleep })));
  });

  it('a hanging route ends in TIMEOUT within the configured time', async () => {
    server.fail('graphql:Viewer', { hang: true });
    const started = Date.now();
    const err = await rejectsWith(viewer(client({ timeoutMs: 200, retry: false })), 'TIMEOUT');
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
    assert.equal(err.details?.['operation'], 'Viewer');
  });

  it('an overall deadline bounds retries of hanging attempts', async () => {
    server.fail('graphql:Viewer', { hang: true, times: 50 });
    const started = Date.now();
    await rejectsWith(viewer(client({ timeoutMs: 150, deadlineMs: 600, retry: { initialDelayMs: 10, maxRetries: 50 } })), 'TIMEOUT');
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1500, `took ${elapsed} ms`);
    server.clearFaults();
  });

  it('a slow answer within the timeout succeeds', async () => {
    server.fail('graphql:Viewer', { delayMs: 100 });
    assert.ok(await viewer(client({ timeoutMs: 2000 })));
  });

  it('network errors are BACKEND_UNAVAILABLE and retried (a refused connection is not: see outbound.test.ts)', async () => {
    // A server that accepts the connection and drops it: the next attempt may find it well.
    const dropper = createNetServer((socket) => socket.destroy());
    await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(dropper.address() as AddressInfo).port}`;
    const { waits, sleep } = recordingSleep();
    try {
      const err = await rejectsWith(
        viewer(createGraphqlClient({ baseUrl: url, apiKey: 'k'.repeat(40), sleep, retry: { maxRetries: 2 } })),
        'BACKEND_UNAVAILABLE',
      );
      assert.equal(waits.length, 2);
      assert.ok(err.cause !== undefined, 'cause is kept');
    } finally {
      await new Promise<void>((r) => dropper.close(() => r()));
    }
  });

  it('httpRequest puts the server message (not the body of secrets) in the error', async () => {
    const err = await rejectsWith(
      httpRequest({ url: `${server.url}/graphql`, operation: 'raw', method: 'POST', body: 'not json', retry: false }),
      'INVALID_INPUT',
    );
    assert.match(err.message, /raw: HTTP 400: request body is not JSON/);
    assert.equal(err.details?.['url'], `${server.url}/graphql`);
  });

  it('an external abort signal stops waiting', async () => {
    server.fail('graphql:Viewer', { hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await rejectsWith(viewer(client({ signal: controller.signal, timeoutMs: 10_000 })), 'TIMEOUT');
    assert.equal(err.details?.['aborted'], true);
  });
});
