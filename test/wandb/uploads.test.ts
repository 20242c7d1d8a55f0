import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGraphqlClient } from '../../src/wandb/graphql.js';
import { upsertBucket } from '../../src/wandb/operations.js';
import { parseUploadHeaders, putSignedUrl, uploadRunFiles } from '../../src/wandb/uploads.js';
import { startWandbServer, type WandbTestServer } from '../helpers/wandb-server.js';

describe('run file uploads', () => {
  let server: WandbTestServer;
  let dir: string;
  before(async () => {
    server = await startWandbServer({ nullUploadUrlFiles: ['requirements.txt'] });
    dir = await mkdtemp(join(tmpdir(), 'wandb-uploads-'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('splits upload headers at the first colon', () => {
    assert.deepEqual(parseUploadHeaders(['Content-Type: text/plain', 'X-Token:  a:b:c ', 'junk', ': nameless']), {
      'Content-Type': 'text/plain',
      'X-Token': 'a:b:c',
    });
  });

  it('streams files to the signed URLs with the upload headers and without W&B credentials', async () => {
    const client = createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey });
    await upsertBucket(client, { name: 'up1', project: 'p', entity: 'e' });
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 7);
    await writeFile(join(dir, 'config.yaml'), 'lr:\n  value: 0.1\n');
    await writeFile(join(dir, 'img.png'), big);
    await writeFile(join(dir, 'req.txt'), 'x==1\n');
    const result = await uploadRunFiles({
      client,
      entity: 'e',
      project: 'p',
      runId: 'up1',
      files: [
        { name: 'config.yaml', path: join(dir, 'config.yaml') },
        { name: 'media/images/img_1_abc.png', path: join(dir, 'img.png') },
        { name: 'requirements.txt', path: join(dir, 'req.txt') },
      ],
    });
    assert.deepEqual(result, { uploaded: ['config.yaml', 'media/images/img_1_abc.png'], skipped: ['requirements.txt'] });
    const run = server.run('e', 'p', 'up1');
    assert.equal(run?.files.get('config.yaml')?.toString('utf8'), 'lr:\n  value: 0.1\n');
    assert.ok(run?.files.get('media/images/img_1_abc.png')?.equals(big));
    assert.equal(run?.files.has('requirements.txt'), false);
    const puts = server.requests.filter((r) => r.route === 'upload');
    assert.equal(puts.length, 2);
    for (const put of puts) {
      assert.equal(put.hasAuthorization, false);
      assert.equal(put.status, 200);
      assert.equal(put.headers['x-test-upload-token'], 'tok:abc:123');
    }
    assert.equal(puts.find((p) => p.headers['content-length'] === String(big.length))?.method, 'PUT');
    assert.deepEqual(server.signedUrlAuthViolations, []);
    assert.deepEqual(server.uploadHeaderViolations, []);
    assert.deepEqual(server.invalidDocuments, []);
  });

  it('retries a failed PUT with a fresh stream', async () => {
    const client = createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey });
    await upsertBucket(client, { name: 'up2', project: 'p', entity: 'e' });
    await writeFile(join(dir, 'a.txt'), 'hello');
    server.fail('upload', { status: 503 });
    const res = await uploadRunFiles({
      client,
      entity: 'e',
      project: 'p',
      runId: 'up2',
      files: [{ name: 'a.txt', path: join(dir, 'a.txt') }],
      sleep: async () => undefined,
    });
    assert.deepEqual(res.uploaded, ['a.txt']);
    assert.equal(server.run('e', 'p', 'up2')?.files.get('a.txt')?.toString(), 'hello');
  });

  it('an upload to an unknown run fails at CreateRunFiles', async () => {
    const client = createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey });
    await assert.rejects(uploadRunFiles({ client, entity: 'e', project: 'p', runId: 'nope', files: [{ name: 'a.txt', path: join(dir, 'a.txt') }] }), {
      code: 'NOT_FOUND',
    });
  });

  it('the test server flags credentials sent to a signed URL', async () => {
    const client = createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey });
    await upsertBucket(client, { name: 'up3', project: 'p', entity: 'e' });
    const { createRunFiles } = await import('../../src/wandb/operations.js');
    const answer = await createRunFiles(client, { entity: 'e', project: 'p', run: 'up3', files: ['f.txt'] });
    const url = answer.files[0]?.uploadUrl ?? '';
    // putSignedUrl drops an Authorization header even if a server listed one
    await putSignedUrl({ url, uploadHeaders: [...answer.uploadHeaders, 'Authorization: Basic Zm9vOmJhcg=='], source: { data: 'x' } });
    assert.deepEqual(server.signedUrlAuthViolations, []);
    await fetch(url, { method: 'PUT', body: 'x', headers: { Authorization: 'Basic Zm9v', 'X-Test-Upload-Token': 'tok:abc:123' } });
    assert.equal(server.signedUrlAuthViolations.length, 1);
  });
});
