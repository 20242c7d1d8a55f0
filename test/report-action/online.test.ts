import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { onlineRunner } from '../helpers/online.js';
import { valid } from '../helpers/tmp.js';

test('online: the report is also created in W&B (upsertModel + upsertView) with its URL; a failure is a warning', async (t) => {
  const { server, runner } = await onlineRunner(t);
  const init = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'r|1', config: { lr: 0.1 } } }));
  for (let i = 0; i < 5; i++) valid(await runner.execute({ action: 'log', project: 'p', runId: init.runId, logData: { metrics: { loss: 1 / (i + 1) } } }));
  const out = valid(
    await runner.execute({ action: 'report', project: 'p', reportConfig: { title: 'Weekly results', description: 'desc', metrics: ['loss'] } }),
  );
  assert.equal(out.status, 'success', JSON.stringify(out.error));
  assert.equal(server.state.views.size, 1);
  const view = [...server.state.views.values()][0]!;
  assert.equal(view.displayName, 'Weekly results');
  assert.equal(view.type, 'runs');
  const spec = JSON.parse(view.spec) as { version: number; blocks: Array<{ type: string; content?: string }> };
  assert.equal(spec.version, 5);
  const md = spec.blocks.find((b) => b.type === 'markdown-block')?.content ?? '';
  assert.match(md, /r\\\|1/, 'pipes in names are escaped in the table');
  assert.match(md, /\*\*Best run:\*\*/);
  assert.equal(out.report?.url, `${server.url}/test-entity/p/reports/Weekly-results--${encodeURIComponent(view.id)}`);
  assert.ok(existsSync(out.report!.path));

  server.fail('graphql:upsertView', { status: 400, times: Infinity });
  const failed = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { title: 'Second' } }));
  assert.equal(failed.status, 'success');
  assert.equal(failed.report?.url, undefined);
  assert.ok(existsSync(failed.report!.path), 'the local report is still written');
  assert.ok(failed.warnings?.some((w) => /not created in W&B/.test(w)));
  assert.deepEqual(server.invalidDocuments, []);
});

test('online: reportConfig.share adds a view-only share link (createAccessToken)', async (t) => {
  const { server, runner } = await onlineRunner(t);
  const init = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'r' } }));
  valid(await runner.execute({ action: 'log', project: 'p', runId: init.runId, logData: { metrics: { loss: 1 } } }));
  const out = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { title: 'Shared', share: true } }));
  assert.equal(out.status, 'success', JSON.stringify(out));
  const token = [...server.state.accessTokens.keys()][0];
  assert.ok(token, 'a token was made');
  assert.equal(out.report?.shareUrl, `${out.report?.url}?accessToken=${token}`);
  assert.deepEqual(server.state.accessTokens.get(token)?.projects, ['test-entity/p']);
  const plain = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { title: 'Not shared' } }));
  assert.equal(plain.report?.shareUrl, undefined);
  assert.equal(server.state.accessTokens.size, 1);
  assert.deepEqual(server.invalidDocuments, []);
});
