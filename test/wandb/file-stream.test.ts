import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SkillError } from '../../src/errors.js';
import { createGraphqlClient } from '../../src/wandb/graphql.js';
import { createFileStream, MAX_LINE_BYTES, planFileStreamBodies } from '../../src/wandb/file-stream.js';
import { upsertBucket } from '../../src/wandb/operations.js';
import { startWandbServer, type WandbTestServer } from '../helpers/wandb-server.js';

const E = 'ent';
const P = 'proj';

describe('file stream', () => {
  let server: WandbTestServer;
  let n = 0;
  let runId = '';
  const sleep = async (): Promise<void> => undefined;
  const stream = (extra: { maxRequestBytes?: number } = {}) =>
    createFileStream({ baseUrl: server.url, apiKey: server.apiKey, entity: E, project: P, runId, sleep, ...extra });

  before(async () => {
    server = await startWandbServer();
  });
  after(() => server.close());
  beforeEach(async () => {
    runId = `run${++n}`;
    await upsertBucket(createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey }), { name: runId, project: P, entity: E });
  });

  it('writes history at offsets and keeps NaN/Infinity tokens as sent', async () => {
    const fs = stream();
    assert.equal(fs.url, `${server.url}/files/${E}/${P}/${runId}/file_stream`);
    await fs.send({ historyLines: { offset: 0, lines: ['{"_step":0,"x":NaN}', '{"_step":1,"x":Infinity}'] } });
    await fs.send({ historyLines: { offset: 2, lines: ['{"_step":2,"x":-Infinity}'] }, summaryLine: '{"x":-Infinity,"_step":2}' });
    const run = server.run(E, P, runId);
    assert.deepEqual(run?.historyText, ['{"_step":0,"x":NaN}', '{"_step":1,"x":Infinity}', '{"_step":2,"x":-Infinity}']);
    const xs = run?.history.map((h) => (h as { x: number }).x);
    assert.ok(Number.isNaN(xs?.[0]));
    assert.deepEqual(xs?.slice(1), [Infinity, -Infinity]);
    assert.equal(run?.summary['x'], -Infinity);
    assert.deepEqual(server.streamViolations, []);
  });

  it('the summary at offset 0 replaces the previous one', async () => {
    const fs = stream();
    await fs.send({ summaryLine: '{"a":1,"b":2}' });
    await fs.send({ summaryLine: '{"a":3}' });
    assert.deepEqual(server.run(E, P, runId)?.summary, { a: 3 });
  });

  it('splits large sends keeping offsets right, with complete only in the last request', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ _step: i, pad: 'x'.repeat(100) }));
    const fs = stream({ maxRequestBytes: 1000 });
    const before = server.requests.length;
    const res = await fs.send({ historyLines: { offset: 0, lines }, summaryLine: '{"_step":49}', uploaded: ['config.yaml'], complete: { exitcode: 0 } });
    const sent = server.requests.slice(before);
    assert.ok(res.requests > 5, `only ${res.requests} requests`);
    assert.equal(sent.length, res.requests);
    let expected = 0;
    for (const r of sent) {
      const body = r.body as { files?: Record<string, { offset: number; content: string[] }>; complete?: boolean };
      const h = body.files?.['wandb-history.jsonl'];
      if (h !== undefined) {
        assert.equal(h.offset, expected);
        expected += h.content.length;
        assert.ok(h.content.reduce((s, l) => s + Buffer.byteLength(l), 0) <= 1000);
      }
      assert.equal(body.complete === true, r === sent.at(-1));
    }
    assert.equal(expected, 50);
    const run = server.run(E, P, runId);
    assert.deepEqual(run?.historyText, lines);
    assert.equal(run?.state, 'finished');
    assert.deepEqual(run?.uploaded, ['config.yaml']);
    assert.deepEqual(server.streamViolations, []);
  });

  it('a non-zero exit code marks the run failed', async () => {
    await stream().send({ complete: { exitcode: 3 } });
    assert.equal(server.run(E, P, runId)?.state, 'failed');
    assert.equal(server.run(E, P, runId)?.exitcode, 3);
  });

  it('surfaces {"stopped": true}', async () => {
    const fs = stream();
    assert.equal((await fs.heartbeat()).stopped, false);
    server.stopRun(E, P, runId);
    const res = await fs.heartbeat();
    assert.equal(res.stopped, true);
    assert.equal(server.run(E, P, runId)?.heartbeats, 2);
    assert.deepEqual(server.requests.at(-1)?.body, {});
  });

  it('retries after a lost response re-send the same offsets: no duplicates', async () => {
    const fs = stream();
    server.fail('file_stream', { status: 500, afterApply: true });
    await fs.send({ historyLines: { offset: 0, lines: ['{"_step":0}', '{"_step":1}'] } });
    const run = server.run(E, P, runId);
    assert.equal(run?.historyText.length, 2);
    assert.equal(run?.resentLines, 2);
    assert.deepEqual(server.streamViolations, []);
  });

  it('the server flags gaps and repeated steps', async () => {
    const fs = stream();
    await fs.send({ historyLines: { offset: 0, lines: ['{"_step":0}'] } });
    await fs.send({ historyLines: { offset: 1, lines: ['{"_step":0}'] } });
    await fs.send({ historyLines: { offset: 5, lines: ['{"_step":9}'] } });
    assert.deepEqual(
      server.streamViolations.map((v) => v.kind),
      ['duplicate-step', 'gap'],
    );
    server.streamViolations.length = 0;
  });

  it('sends one request at a time per stream, in call order', async () => {
    const fs = stream();
    server.fail('file_stream', { delayMs: 50 });
    await Promise.all([
      fs.send({ historyLines: { offset: 0, lines: ['{"_step":0}'] } }),
      fs.send({ historyLines: { offset: 1, lines: ['{"_step":1}'] } }),
      fs.send({ historyLines: { offset: 2, lines: ['{"_step":2}'] } }),
    ]);
    assert.deepEqual(server.run(E, P, runId)?.historyText, ['{"_step":0}', '{"_step":1}', '{"_step":2}']);
    assert.deepEqual(server.streamViolations, []);
  });

  it('an unknown run is NOT_FOUND', async () => {
    const fs = createFileStream({ baseUrl: server.url, apiKey: server.apiKey, entity: E, project: P, runId: 'missing' });
    await assert.rejects(fs.heartbeat(), { code: 'NOT_FOUND' });
  });

  it('refuses a line W&B would drop, before sending anything', () => {
    assert.throws(
      () => planFileStreamBodies({ historyLines: { offset: 7, lines: ['x'.repeat(MAX_LINE_BYTES + 1)] } }, 1 << 30),
      (err: unknown) => err instanceof SkillError && err.code === 'PAYLOAD_TOO_LARGE' && err.details?.['offset'] === 7,
    );
  });

  it('plans an empty send as a heartbeat and keeps per-file offsets across splits', () => {
    assert.deepEqual(planFileStreamBodies({}, 100), [{}]);
    const bodies = planFileStreamBodies(
      { historyLines: { offset: 10, lines: ['aaaa', 'bbbb', 'cccc'] }, outputLines: { offset: 3, lines: ['out1', 'out2'] }, preempting: true },
      8,
    );
    assert.deepEqual(bodies, [
      { files: { 'wandb-history.jsonl': { offset: 10, content: ['aaaa', 'bbbb'] } } },
      { files: { 'wandb-history.jsonl': { offset: 12, content: ['cccc'] }, 'output.log': { offset: 3, content: ['out1'] } } },
      { files: { 'output.log': { offset: 4, content: ['out2'] } }, preempting: true },
    ]);
  });
});
