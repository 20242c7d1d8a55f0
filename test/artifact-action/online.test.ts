import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSkillRunner } from '../../src/index.js';
import { syncArtifacts } from '../../src/sync/artifacts.js';
import { connect } from '../../src/online/connection.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';
import { makeContext } from './helpers.js';
import { createLogger } from '../../src/logger.js';

function onlineEnv(server: { url: string; apiKey: string }): Record<string, string> {
  return { WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url, WANDB_MODE: 'online', WANDB_HTTP_TIMEOUT: '5' };
}

/** A loopback W&B server, a fresh folder and an online runner with silent logs, all closed after `t`. */
async function quietOnline(t: TestContext) {
  const server = await startWandbServer();
  t.after(() => server.close());
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env = onlineEnv(server);
  const runner = createSkillRunner({ ...isolated(dir, env), logger: createLogger({ level: 'silent' }) });
  t.after(() => runner.close());
  return { server, dir, env, runner };
}

test('online: log (v0, v1 sharing a file), use and link reach the W&B server with valid documents', async (t) => {
  const server = await startWandbServer();
  t.after(() => server.close());
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir, onlineEnv(server)));
  t.after(() => runner.close());
  const producer = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'train' } }));
  assert.equal(producer.status, 'success', JSON.stringify(producer));
  mkdirSync(join(dir, 'm'));
  writeFileSync(join(dir, 'm', 'shared.txt'), 'same bytes');
  writeFileSync(join(dir, 'm', 'model.pt'), 'w0');
  const log = async () =>
    valid(
      await runner.execute({
        action: 'artifact',
        project: 'p',
        runId: producer.runId,
        artifactConfig: { name: 'net', type: 'model', path: 'm', references: ['s3://bucket/big.bin'], aliases: ['candidate'] },
      }),
    );
  const v0 = await log();
  assert.equal(v0.status, 'success', JSON.stringify(v0));
  assert.equal(v0.synced, true, JSON.stringify(v0));
  assert.equal(v0.artifact?.version, 'v0');
  const remote0 = server.state.artifacts.get(v0.artifactId as string);
  assert.ok(remote0, `artifactId ${v0.artifactId} is W&B's id`);
  assert.equal(remote0.state, 'COMMITTED');
  assert.equal(remote0.versionIndex, 0);
  assert.equal(remote0.digest, v0.artifact?.digest);
  assert.equal(remote0.runName, producer.runId);
  assert.equal(v0.artifactUrl, `${server.url}/test-entity/p/artifacts/model/net/v0`);
  const manifest0 = JSON.parse(remote0.manifest?.data?.toString('utf8') ?? 'null') as {
    contents: Record<string, { digest: string; birthArtifactID?: string; ref?: string }>;
  };
  assert.deepEqual(Object.keys(manifest0.contents), ['big.bin', 'model.pt', 'shared.txt']);
  assert.equal(manifest0.contents['big.bin']?.ref, 's3://bucket/big.bin');
  assert.equal(manifest0.contents['model.pt']?.birthArtifactID, remote0.id);
  assert.equal(remote0.files.get('shared.txt')?.data?.toString('utf8'), 'same bytes');

  writeFileSync(join(dir, 'm', 'model.pt'), 'w1');
  const v1 = await log();
  assert.equal(v1.synced, true, JSON.stringify(v1));
  const remote1 = server.state.artifacts.get(v1.artifactId as string);
  assert.equal(remote1?.versionIndex, 1);
  const manifest1 = JSON.parse(remote1?.manifest?.data?.toString('utf8') ?? 'null') as { contents: Record<string, { birthArtifactID?: string }> };
  assert.equal(manifest1.contents['shared.txt']?.birthArtifactID, remote0.id, 'the shared file is not uploaded again');
  const artifactUploads = server.requests
    .filter((r) => r.route === 'upload')
    .map((r) => server.state.signedUrls.get(r.path.split('/').pop()?.split('?')[0] ?? ''))
    .map((target) => (target?.kind === 'artifact-file' ? target.name : target?.kind))
    .filter((n) => n !== 'run-file')
    .sort();
  assert.deepEqual(artifactUploads, ['manifest', 'manifest', 'model.pt', 'model.pt', 'shared.txt']);

  const consumer = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'eval' } }));
  const used = valid(await runner.execute({ action: 'artifact', operation: 'use', project: 'p', runId: consumer.runId, artifactConfig: { name: 'net:v0' } }));
  assert.equal(used.synced, true, JSON.stringify(used));
  assert.deepEqual(
    remote0.usedBy.map((u) => u.runName),
    [consumer.runId],
  );

  const linked = valid(
    await runner.execute({
      action: 'artifact',
      operation: 'link',
      project: 'p',
      artifactConfig: { name: 'net:v1', registry: 'model-registry/Best Net', aliases: ['production'] },
    }),
  );
  assert.equal(linked.synced, true, JSON.stringify(linked));
  const portfolio = server.state.collections.get('test-entity/model-registry/Best Net');
  assert.deepEqual(portfolio?.links, [v1.artifactId]);
  assert.equal(portfolio?.aliases.get('production'), v1.artifactId);
  assert.match(linked.artifactUrl ?? '', /\/test-entity\/registry\/model\?selectionPath=test-entity%2Fmodel-registry%2FBest%20Net&view=membership&version=v0$/);
  assert.deepEqual(server.invalidDocuments, []);
  assert.deepEqual(server.signedUrlAuthViolations, []);
  assert.deepEqual(server.uploadHeaderViolations, []);
});

test('online: a server failure keeps the artifact local (unsent, with a warning); syncArtifacts sends it later', async (t) => {
  const { server, dir, env, runner } = await quietOnline(t);
  const run = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'train' } }));
  writeFileSync(join(dir, 'data.csv'), 'a,b\n1,2\n');
  server.fail('graphql:CreateArtifact', { status: 400, times: Infinity });
  const out = valid(
    await runner.execute({ action: 'artifact', project: 'p', runId: run.runId, artifactConfig: { name: 'ds', type: 'dataset', path: 'data.csv' } }),
  );
  assert.equal(out.status, 'success', JSON.stringify(out));
  assert.equal(out.synced, false);
  assert.match(out.artifactId ?? '', /^local-artifact-/);
  assert.ok(
    out.warnings?.some((w) => /did not reach W&B/.test(w)),
    JSON.stringify(out.warnings),
  );
  const linked = valid(
    await runner.execute({ action: 'artifact', operation: 'link', project: 'p', artifactConfig: { name: 'ds', registry: 'reg', aliases: ['staging'] } }),
  );
  assert.equal(linked.status, 'success');
  assert.equal(linked.synced, false);
  assert.equal(server.state.artifacts.size, 0);
  server.clearFaults();

  const ctx = makeContext(dir, { action: 'artifact', project: 'p' }, env);
  t.after(() => ctx.opened()?.close());
  const conn = await connect(ctx);
  const result = await syncArtifacts(ctx, ctx.store(), conn);
  assert.deepEqual(result, { versions: 1, outputs: 0, inputs: 0, links: 1, failures: [] });
  const remote = [...server.state.artifacts.values()];
  assert.equal(remote.length, 1);
  assert.equal(remote[0]?.state, 'COMMITTED');
  assert.equal(remote[0]?.runName, run.runId);
  assert.equal(server.state.collections.get('test-entity/model-registry/reg')?.aliases.get('staging'), remote[0]?.id);
  const again = await syncArtifacts(ctx, ctx.store(), conn);
  assert.deepEqual(again, { versions: 0, outputs: 0, inputs: 0, links: 0, failures: [] });
  assert.deepEqual(server.invalidDocuments, []);
});

test('online: an artifact of many files uploads several at once; a failed upload leaves it unsent and sync completes it', async (t) => {
  const { server, dir, env, runner } = await quietOnline(t);
  const run = valid(await runner.execute({ action: 'init', project: 'p' }));
  mkdirSync(join(dir, 'shards'));
  const N = 24;
  for (let i = 0; i < N; i++) writeFileSync(join(dir, 'shards', `s${String(i).padStart(2, '0')}.txt`), `shard ${i}\n`.repeat(100 + i));
  const log = (name: string) =>
    runner.execute({ action: 'artifact', project: 'p', runId: run.runId, artifactConfig: { name, type: 'dataset', path: 'shards' } });

  // Uploads answer slowly, so uploads sent one after another never overlap.
  server.fail('upload', { delayMs: 40, times: N });
  const ok = valid(await log('fast'));
  assert.equal(ok.synced, true, JSON.stringify(ok));
  assert.ok(server.maxConcurrentUploads() >= 4, `uploads in flight at once: ${server.maxConcurrentUploads()}`);
  const remote = server.state.artifacts.get(ok.artifactId as string);
  assert.equal(remote?.state, 'COMMITTED');
  assert.equal(remote?.files.get('s07.txt')?.data?.toString('utf8'), 'shard 7\n'.repeat(107));

  // The same files under a new name (the server already has their bytes: nothing to upload), and
  // new bytes with one upload failing for good: the version stays local, with a warning.
  writeFileSync(join(dir, 'shards', 's05.txt'), 'changed');
  server.fail('upload', { status: 403, times: Infinity });
  const failed = valid(await log('fast'));
  assert.equal(failed.status, 'success');
  assert.equal(failed.synced, false);
  server.clearFaults();
  const ctx = makeContext(dir, { action: 'artifact', project: 'p' }, env);
  t.after(() => ctx.opened()?.close());
  const result = await syncArtifacts(ctx, ctx.store(), await connect(ctx));
  assert.equal(result.versions, 1, JSON.stringify(result));
  const v1 = [...server.state.artifacts.values()].find((a) => a.versionIndex === 1 && a.collection === 'fast');
  assert.equal(v1?.state, 'COMMITTED');
  assert.equal(v1?.files.get('s05.txt')?.data?.toString('utf8'), 'changed');
  assert.deepEqual(server.invalidDocuments, []);
  assert.deepEqual(server.signedUrlAuthViolations, []);
});
