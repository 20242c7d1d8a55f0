import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createGraphqlClient, type GraphqlClient } from '../../src/wandb/graphql.js';
import {
  agentHeartbeat,
  artifactByName,
  commitArtifact,
  createAgent,
  createArtifact,
  createArtifactFiles,
  createArtifactManifest,
  linkArtifact,
  notifyScriptableRunAlert,
  stopRun,
  sweepState,
  upsertBucket,
  upsertModel,
  upsertSweep,
  upsertView,
  useArtifact,
} from '../../src/wandb/operations.js';
import { createFileStream } from '../../src/wandb/file-stream.js';
import { putSignedUrl } from '../../src/wandb/uploads.js';
import { startWandbServer, type WandbTestServer } from '../helpers/wandb-server.js';

const b64md5 = (s: string): string => createHash('md5').update(s).digest('base64');

describe('operation flows against the test server', () => {
  let server: WandbTestServer;
  let client: GraphqlClient;
  before(async () => {
    server = await startWandbServer();
    client = createGraphqlClient({ baseUrl: server.url, apiKey: server.apiKey });
  });
  after(async () => {
    assert.deepEqual(server.invalidDocuments, []);
    await server.close();
  });

  it('alerts: severity and waitDuration (ms) reach the server; an unknown run fails', async () => {
    await upsertBucket(client, { name: 'al1', project: 'p', entity: 'e' });
    assert.equal(
      await notifyScriptableRunAlert(client, {
        entityName: 'e',
        projectName: 'p',
        runName: 'al1',
        title: 'T',
        text: 'x',
        severity: 'WARN',
        waitDuration: 60000,
      }),
      true,
    );
    assert.deepEqual(
      server.state.alerts.map((a) => [a.title, a.severity, a.waitDuration]),
      [['T', 'WARN', 60000]],
    );
    await assert.rejects(notifyScriptableRunAlert(client, { entityName: 'e', projectName: 'p', runName: 'zz', title: 'T', text: 'x' }), { code: 'NOT_FOUND' });
  });

  it('stopRun makes the file stream answer stopped', async () => {
    const { bucket } = await upsertBucket(client, { name: 'st1', project: 'p', entity: 'e' });
    assert.equal(await stopRun(client, { id: bucket.id }), true);
    const fs = createFileStream({ baseUrl: server.url, apiKey: server.apiKey, entity: 'e', project: 'p', runId: 'st1' });
    assert.equal((await fs.heartbeat()).stopped, true);
  });

  it('sweeps: create, agent, heartbeat run commands, join, finish', async () => {
    const config = 'method: grid\nmetric:\n  name: loss\n  goal: minimize\nparameters:\n  lr:\n    values: [0.1, 0.01]\n';
    const sweep = await upsertSweep(client, { config, entityName: 'e', projectName: 'p' });
    assert.match(sweep.name, /^[a-z0-9]{8}$/);
    assert.equal(sweep.entity, 'e');
    const agent = await createAgent(client, { host: 'h', entityName: 'e', projectName: 'p', sweep: sweep.name });
    assert.equal((await sweepState(client, { entity: 'e', project: 'p', sweep: sweep.name }))?.state, 'RUNNING');
    const lrs: unknown[] = [];
    for (;;) {
      const cmds = await agentHeartbeat(client, { id: agent.id, runState: {} });
      const cmd = cmds[0];
      assert.ok(cmd);
      if (cmd.type === 'exit') break;
      assert.equal(cmd.type, 'run');
      lrs.push(cmd.args?.['lr']?.value);
      const runId = cmd.run_id ?? '';
      assert.equal(server.run('e', 'p', runId)?.state, 'pending');
      // a busy agent gets no new run
      assert.deepEqual(await agentHeartbeat(client, { id: agent.id, runState: { [runId]: true } }), []);
      await upsertBucket(client, { name: runId, project: 'p', entity: 'e', sweep: sweep.name });
      await createFileStream({ baseUrl: server.url, apiKey: server.apiKey, entity: 'e', project: 'p', runId }).send({ complete: { exitcode: 0 } });
    }
    assert.deepEqual(lrs, [0.1, 0.01]);
    const state = await sweepState(client, { entity: 'e', project: 'p', sweep: sweep.name });
    assert.equal(state?.state, 'FINISHED');
    assert.equal(state?.runCount, 2);
    // state change through the node ID; queued commands come first
    await upsertSweep(client, { id: sweep.id, state: 'PAUSED' });
    server.state.sweeps.get(sweep.name)?.commandQueue.push({ type: 'stop', run_id: 'x' });
    assert.deepEqual(await agentHeartbeat(client, { id: agent.id }), [{ type: 'stop', run_id: 'x' }]);
  });

  it('artifacts: create, manifest, files, upload, commit, dedup, use, link', async () => {
    await upsertBucket(client, { name: 'ar1', project: 'p', entity: 'e' });
    const digest = createHash('md5')
      .update('wandb-artifact-manifest-v1\nmodel.pt:' + b64md5('weights') + '\n')
      .digest('hex');
    const created = await createArtifact(client, {
      entityName: 'e',
      projectName: 'p',
      artifactTypeName: 'model',
      artifactCollectionName: 'net',
      digest,
      runName: 'ar1',
      aliases: [{ artifactCollectionName: 'net', alias: 'best' }],
    });
    assert.equal(created.state, 'PENDING');
    assert.equal(created.latestArtifactId, null);
    const placeholder = await createArtifactManifest(client, {
      artifactID: created.id,
      digest: '',
      entityName: 'e',
      projectName: 'p',
      runName: 'ar1',
      includeUpload: false,
    });
    assert.equal(placeholder.uploadUrl, null);
    const [file] = await createArtifactFiles(client, {
      artifactFiles: [{ artifactID: created.id, name: 'model.pt', md5: b64md5('weights'), artifactManifestID: placeholder.id }],
    });
    assert.ok(file?.uploadUrl);
    assert.equal(file.birthArtifactId, created.id);
    await putSignedUrl({ url: file.uploadUrl, uploadHeaders: file.uploadHeaders, source: { data: 'weights' } });
    const manifest = JSON.stringify({
      version: 1,
      storagePolicy: 'wandb-storage-policy-v1',
      storagePolicyConfig: { storageLayout: 'V2' },
      contents: { 'model.pt': { digest: b64md5('weights'), size: 7, birthArtifactID: created.id } },
    });
    const real = await createArtifactManifest(client, {
      artifactID: created.id,
      digest: b64md5(manifest),
      entityName: 'e',
      projectName: 'p',
      runName: 'ar1',
      includeUpload: true,
    });
    assert.ok(real.uploadUrl);
    await putSignedUrl({ url: real.uploadUrl, uploadHeaders: real.uploadHeaders, source: { data: manifest } });
    const committed = await commitArtifact(client, { artifactID: created.id });
    assert.deepEqual([committed.state, committed.versionIndex], ['COMMITTED', 0]);

    // same digest again: the committed version comes back (dedup)
    const again = await createArtifact(client, { entityName: 'e', projectName: 'p', artifactTypeName: 'model', artifactCollectionName: 'net', digest });
    assert.deepEqual([again.id, again.state], [created.id, 'COMMITTED']);

    // a second version: stored content needs no upload
    const v1 = await createArtifact(client, {
      entityName: 'e',
      projectName: 'p',
      artifactTypeName: 'model',
      artifactCollectionName: 'net',
      digest: 'f'.repeat(32),
    });
    assert.equal(v1.latestArtifactId, created.id);
    const [same] = await createArtifactFiles(client, { artifactFiles: [{ artifactID: v1.id, name: 'model.pt', md5: b64md5('weights') }] });
    assert.equal(same?.uploadUrl, null);
    assert.equal(same?.birthArtifactId, created.id);
    await commitArtifact(client, { artifactID: v1.id });

    const latest = await artifactByName(client, { entityName: 'e', projectName: 'p', name: 'net:latest' });
    assert.deepEqual([latest?.id, latest?.versionIndex, latest?.type, latest?.collection], [v1.id, 1, 'model', 'net']);
    const best = await artifactByName(client, { entityName: 'e', projectName: 'p', name: 'net:best' });
    assert.equal(best?.id, created.id);
    const v0 = await artifactByName(client, { entityName: 'e', projectName: 'p', name: 'net:v0' });
    assert.ok(v0?.manifestUrl);
    assert.equal(await (await fetch(v0.manifestUrl)).text(), manifest);
    assert.equal(await artifactByName(client, { entityName: 'e', projectName: 'p', name: 'net:v9' }), null);

    await upsertBucket(client, { name: 'ar2', project: 'p', entity: 'e' });
    await useArtifact(client, { entityName: 'e', projectName: 'p', runName: 'ar2', artifactID: created.id });
    assert.deepEqual(
      server.state.artifacts.get(created.id)?.usedBy.map((u) => u.runName),
      ['ar2'],
    );
    const link = await linkArtifact(client, {
      artifactPortfolioName: 'Best Net',
      entityName: 'e',
      projectName: 'model-registry',
      artifactId: created.id,
      aliases: [{ artifactCollectionName: 'Best Net', alias: 'prod' }],
    });
    assert.equal(link.versionIndex, 0);
    await assert.rejects(linkArtifact(client, { artifactPortfolioName: 'x', entityName: 'e', projectName: 'p' }), { code: 'INVALID_INPUT' });
  });

  it('reports: upsertModel, then upsertView create and update', async () => {
    await assert.rejects(upsertView(client, { entityName: 'e', projectName: 'nope', spec: '{}' }), { code: 'NOT_FOUND' });
    const project = await upsertModel(client, { name: 'rp', entityName: 'e' });
    assert.equal(project.inserted, true);
    const spec = JSON.stringify({ version: 5, blocks: [] });
    const view = await upsertView(client, { entityName: 'e', projectName: 'rp', displayName: 'My Report', name: 'abc', spec });
    assert.deepEqual([view.inserted, view.type, view.displayName], [true, 'runs', 'My Report']);
    const again = await upsertView(client, { id: view.id, entityName: 'e', projectName: 'rp', spec, description: 'd' });
    assert.equal(again.inserted, false);
    assert.equal(server.state.views.get(view.id)?.description, 'd');
  });
});
