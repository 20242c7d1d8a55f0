import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { SkillError } from '../../src/errors.js';
import { basicAuthHeader, createGraphqlClient } from '../../src/wandb/graphql.js';
import { encodeConfigJson } from '../../src/wandb/config-encoding.js';
import { createFileStream } from '../../src/wandb/file-stream.js';
import { runResumeStatus, serverFeatures, upsertBucket, viewer } from '../../src/wandb/operations.js';
import { startWandbServer, type WandbTestServer } from '../helpers/wandb-server.js';

function bufferLogger(): { logger: ReturnType<typeof pino>; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), text: () => chunks.join('') };
}

describe('graphql client', () => {
  let server: WandbTestServer;
  before(async () => {
    server = await startWandbServer({ features: { FILESTREAM_GZIP: false, STRUCTURED_CONSOLE_LOGS: true } });
  });
  after(() => server.close());

  it('sends Basic api:<key>, the X-WANDB headers and operationName', async () => {
    const client = createGraphqlClient({ baseUrl: `${server.url}/`, apiKey: server.apiKey, username: 'ann', userEmail: 'ann@x.test' });
    const v = await viewer(client);
    assert.equal(v?.entity, 'test-entity');
    assert.equal(v?.username, 'test-user');
    const req = server.requests.at(-1);
    assert.equal(req?.operationName, 'Viewer');
    assert.equal(req?.headers.authorization, basicAuthHeader(server.apiKey));
    assert.equal(req?.headers['x-wandb-username'], 'ann');
    assert.equal(req?.headers['x-wandb-user-email'], 'ann@x.test');
    assert.equal(req?.path, '/graphql');
  });

  it('sends the X-WANDB headers empty when unset, as wandb-core does', async () => {
    await viewer(createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey }));
    assert.equal(server.requests.at(-1)?.headers['x-wandb-username'], '');
  });

  it('a wrong key is AUTH_FAILED and not retried', async () => {
    const before = server.requests.length;
    await assert.rejects(viewer(createGraphqlClient({ baseUrl: server.url, apiKey: 'x'.repeat(40) })), (err: unknown) => {
      assert.ok(err instanceof SkillError);
      assert.equal(err.code, 'AUTH_FAILED');
      assert.equal(err.details?.['status'], 401);
      return true;
    });
    assert.equal(server.requests.length - before, 1);
  });

  it('errors in a 200 answer are a failure', async () => {
    server.fail('graphql:Viewer', { graphqlErrors: ['project not found'] });
    await assert.rejects(viewer(createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey })), (err: unknown) => {
      assert.ok(err instanceof SkillError);
      assert.equal(err.code, 'NOT_FOUND');
      assert.deepEqual(err.details?.['graphqlErrors'], ['project not found']);
      return true;
    });
    server.fail('graphql:Viewer', { graphqlErrors: ['something odd'] });
    await assert.rejects(viewer(createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey })), { code: 'INVALID_INPUT' });
  });

  it('reads server features; an old server without them means none', async () => {
    const client = createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey });
    assert.deepEqual(await serverFeatures(client), { FILESTREAM_GZIP: false, STRUCTURED_CONSOLE_LOGS: true });
    server.fail('graphql:ServerFeaturesQuery', { graphqlErrors: ['Cannot query field "features" on type "ServerInfo".'] });
    assert.deepEqual(await serverFeatures(client), {});
  });

  it('never puts the API key in error messages, details or logs', async () => {
    const { logger, text } = bufferLogger();
    const secretKey = `sk-${'s3cr3t'.repeat(8)}`;
    const errors: unknown[] = [];
    const sleep = async (): Promise<void> => undefined;
    // wrong key → 401
    await viewer(createGraphqlClient({ baseUrl: server.url, apiKey: secretKey, logger })).catch((e: unknown) => errors.push(e));
    // a server that echoes the key and the auth header back in its error body, with retries logged
    const header = basicAuthHeader(server.apiKey);
    server.fail('graphql:Viewer', { status: 503, times: 2, body: { error: `bad key ${server.apiKey} in ${header}` } });
    await viewer(createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey, logger, sleep, retry: { maxRetries: 1 } })).catch((e: unknown) =>
      errors.push(e),
    );
    server.fail('graphql:Viewer', { graphqlErrors: [`key ${server.apiKey} rejected`] });
    await viewer(createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey, logger })).catch((e: unknown) => errors.push(e));
    server.fail('file_stream', { status: 500, times: 2, body: `echo ${server.apiKey}` });
    const fs = createFileStream({
      baseUrl: server.url,
      apiKey: server.apiKey,
      entity: 'e',
      project: 'p',
      runId: 'nope',
      logger,
      sleep,
      retry: { maxRetries: 1 },
    });
    await fs.heartbeat().catch((e: unknown) => errors.push(e));
    // a hang → timeout
    server.fail('graphql:Viewer', { hang: true });
    await viewer(createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey, logger, timeoutMs: 100, retry: false })).catch((e: unknown) =>
      errors.push(e),
    );

    assert.equal(errors.length, 5);
    const b64 = Buffer.from(`api:${server.apiKey}`).toString('base64');
    for (const err of errors) {
      assert.ok(err instanceof SkillError);
      const dump = `${err.message} ${JSON.stringify(err.details)} ${String(err.stack)}`;
      for (const secret of [server.apiKey, secretKey, b64]) assert.ok(!dump.includes(secret), `secret leaked in: ${dump}`);
    }
    const logs = text();
    assert.ok(logs.length > 0, 'something was logged');
    for (const secret of [server.apiKey, secretKey, b64]) assert.ok(!logs.includes(secret), 'secret leaked in logs');
  });
});

describe('run operations', () => {
  let server: WandbTestServer;
  before(async () => {
    server = await startWandbServer();
  });
  after(() => server.close());

  it('creates a run, reads it back for resume, and updates it', async () => {
    const client = createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey });
    const missing = await runResumeStatus(client, { entity: 'e', project: 'p', name: 'r1' });
    assert.deepEqual(missing, { project: null, bucket: null, exists: false });

    const created = await upsertBucket(client, {
      name: 'r1',
      project: 'p',
      entity: null,
      displayName: 'first',
      tags: ['a', 'b'],
      config: encodeConfigJson({ lr: 0.1 }),
    });
    assert.equal(created.inserted, true);
    assert.equal(created.bucket.name, 'r1');
    assert.equal(created.bucket.project?.entity.name, 'test-entity'); // server filled the null entity
    assert.equal(created.bucket.historyLineCount, 0);

    const fs = createFileStream({ baseUrl: server.url, apiKey: server.apiKey, entity: 'test-entity', project: 'p', runId: 'r1' });
    await fs.send({ historyLines: { offset: 0, lines: ['{"_step":0,"loss":1}', '{"_step":1,"loss":NaN}'] }, summaryLine: '{"loss":NaN,"_step":1}' });

    const status = await runResumeStatus(client, { entity: 'test-entity', project: 'p', name: 'r1' });
    assert.equal(status.exists, true);
    assert.equal(status.bucket?.historyLineCount, 2);
    assert.deepEqual(JSON.parse(status.bucket?.historyTail ?? '[]'), ['{"_step":0,"loss":1}', '{"_step":1,"loss":NaN}']);
    assert.equal(status.bucket?.summaryMetrics, '{"loss":NaN,"_step":1}');
    assert.deepEqual(status.bucket?.tags, ['a', 'b']);

    const updated = await upsertBucket(client, { id: created.bucket.id, name: 'r1', project: 'p', entity: 'test-entity', notes: 'n' });
    assert.equal(updated.inserted, false);
    assert.equal(updated.bucket.historyLineCount, 2);
    assert.equal(server.run('test-entity', 'p', 'r1')?.notes, 'n');
    assert.deepEqual(server.invalidDocuments, []);
    assert.deepEqual(server.streamViolations, []);
  });
});
