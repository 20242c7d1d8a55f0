import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWandbServer, type WandbTestServer } from '../helpers/wandb-server.js';

describe('W&B test server', () => {
  let server: WandbTestServer;
  const auth = (key: string): string => `Basic ${Buffer.from(`api:${key}`).toString('base64')}`;
  const gql = (body: unknown, key?: string): Promise<Response> =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(key === undefined ? {} : { Authorization: auth(key) }) },
      body: JSON.stringify(body),
    });
  before(async () => {
    server = await startWandbServer({ apiKey: 'k'.repeat(40), entity: 'me' });
  });
  after(() => server.close());

  it('records invalid documents and answers a GraphQL error', async () => {
    const res = await gql({ query: 'query Bad { viewer { nope } }', operationName: 'Bad' }, server.apiKey);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { errors: { message: string }[] };
    assert.match(body.errors[0]?.message ?? '', /nope/);
    assert.equal(server.invalidDocuments.length, 1);
    await gql({ query: 'query { viewer {' }, server.apiKey);
    assert.equal(server.invalidDocuments.length, 2);
    // variables the schema rejects count as invalid too
    await gql(
      {
        query: 'mutation M($f: [String!]!) { createRunFiles(input:{entityName:"a", projectName:"b", runName:"c", files:$f}) { runID } }',
        variables: { f: 3.5 },
      },
      server.apiKey,
    );
    assert.equal(server.invalidDocuments.length, 3);
    server.invalidDocuments.length = 0;
  });

  it('checks Basic api:<key>', async () => {
    assert.equal((await gql({ query: 'query Viewer { viewer { entity } }' })).status, 401);
    assert.equal((await gql({ query: 'query Viewer { viewer { entity } }' }, 'wrong')).status, 401);
    const ok = await gql({ query: 'query Viewer { viewer { entity } }', operationName: '' }, server.apiKey);
    assert.deepEqual(await ok.json(), { data: { viewer: { entity: 'me' } } });
    assert.equal(server.requests.at(-1)?.operationName, 'Viewer', 'an empty operationName falls back to the document');
    const fsRes = await fetch(`${server.url}/files/me/p/r/file_stream`, { method: 'POST', body: '{}' });
    assert.equal(fsRes.status, 401);
  });

  it('applies faults per route, for N requests, then serves normally', async () => {
    server.fail('graphql:Viewer', { status: 429, retryAfter: 7, times: 2 });
    const statuses: (number | string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await gql({ query: 'query Viewer { viewer { entity } }' }, server.apiKey);
      statuses.push(r.status, r.headers.get('retry-after'));
    }
    assert.deepEqual(statuses, [429, '7', 429, '7', 200, null]);
  });

  it('logs operations in order', async () => {
    const start = server.requests.length;
    await gql({ query: 'query ServerFeaturesQuery { serverInfo { features { name isEnabled } } }' }, server.apiKey);
    await gql({ query: 'mutation UpsertBucket { upsertBucket(input:{name:"r", modelName:"p"}) { bucket { id } inserted } }' }, server.apiKey);
    await fetch(`${server.url}/files/me/p/r/file_stream`, {
      method: 'POST',
      headers: { Authorization: auth(server.apiKey) },
      body: '{"complete":true,"exitcode":0}',
    });
    assert.deepEqual(server.operations().slice(start), ['ServerFeaturesQuery', 'UpsertBucket', 'file_stream']);
    assert.equal(server.run('me', 'p', 'r')?.state, 'finished');
  });

  it('RunResumeStatus as the official SDK sends it', async () => {
    const query = `query RunResumeStatus($project: String, $entity: String, $name: String!) {
      model(name: $project, entityName: $entity) { id name entity { id name }
        bucket(name: $name, missingOk: true) { id name summaryMetrics displayName logLineCount historyLineCount
          eventsLineCount historyTail eventsTail config tags notes wandbConfig(keys: ["t"]) } } }`;
    const res = await gql({ query, variables: { project: 'p', entity: 'me', name: 'r' }, operationName: 'RunResumeStatus' }, server.apiKey);
    const body = (await res.json()) as { data: { model: { bucket: Record<string, unknown> } } };
    assert.equal(body.data.model.bucket['historyLineCount'], 0);
    assert.equal(body.data.model.bucket['wandbConfig'], '{}');
    assert.deepEqual(server.invalidDocuments, []);
  });

  it('close() ends hanging requests', async () => {
    const other = await startWandbServer();
    other.fail('graphql', { hang: true });
    const pending = fetch(`${other.url}/graphql`, {
      method: 'POST',
      headers: { Authorization: auth(other.apiKey) },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    await assert.rejects(pending);
  });
});
