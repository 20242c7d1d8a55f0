// The registry is a place to read from (issue 11, item 8): a linked version is reached by the
// registry's own names, and SKILL.md's link example works as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { createSkillRunner } from '../../src/index.js';
import { startDashboard } from '../../src/dashboard/index.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';
import { isolated, repoRoot, tempDir, valid } from '../helpers/tmp.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { createLogger } from '../../src/logger.js';

type Registry = { project: string; collection: string; version: string; aliases: string[] };
const registryOf = (out: SkillOutput): Registry | undefined => (out.artifact as { registry?: Registry } | undefined)?.registry;

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** The JSON examples SKILL.md gives for the artifact action: the fenced log example and the inline link example. */
function skillExamples(): { log: Record<string, unknown>; link: Record<string, unknown> } {
  const text = readFileSync(join(repoRoot, 'SKILL.md'), 'utf8');
  const log = /```json\n(\{"action": "artifact".*\})\n```/.exec(text)?.[1];
  const link = /`(\{"action":"artifact","operation":"link".*?\}\})`/.exec(text)?.[1];
  assert.ok(log !== undefined && link !== undefined, 'SKILL.md holds the artifact log and link examples');
  return { log: JSON.parse(log) as Record<string, unknown>, link: JSON.parse(link) as Record<string, unknown> };
}

async function linkedModel(t: { after: (fn: () => void | Promise<void>) => void }) {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  mkdirSync(join(dir, 'checkpoints'));
  writeFileSync(join(dir, 'checkpoints', 'weights.bin'), 'weights-v0');
  const { log, link } = skillExamples();
  valid(await runner.execute({ action: 'init', project: 'ml-experiments', runConfig: { id: String(log['runId']) } }));
  const logged = valid(await runner.execute(log as never));
  assert.equal(logged.status, 'success', JSON.stringify(logged));
  const linked = valid(await runner.execute(link as never));
  assert.equal(linked.status, 'success', `SKILL.md's link example, as written: ${JSON.stringify(linked)}`);
  return { dir, runner, logged, linked };
}

test('SKILL.md link example works as written after logging model; the registry reads it back', async (t) => {
  const { dir, runner, logged, linked } = await linkedModel(t);
  assert.deepEqual(registryOf(linked), { project: 'model-registry', collection: 'resnet', version: 'v0', aliases: ['latest', 'production'] });
  const forms: Array<Record<string, unknown>> = [
    { project: 'model-registry', artifactConfig: { name: 'resnet:production' } },
    { project: 'ml-experiments', artifactConfig: { name: 'model-registry/resnet:production' } },
    { artifactConfig: { name: 'model-registry/resnet:production' } },
    { artifactConfig: { name: 'local/model-registry/resnet:v0' } },
    { project: 'model-registry', artifactConfig: { name: 'resnet', version: 'latest' } },
  ];
  for (const form of forms) {
    for (const operation of ['use', 'lineage', 'download'] as const) {
      const cfg = {
        ...(form['artifactConfig'] as object),
        ...(operation === 'download' ? { downloadPath: join(dir, 'out', operation + forms.indexOf(form)) } : {}),
      };
      const out = valid(await runner.execute({ action: 'artifact', operation, ...form, artifactConfig: cfg } as never));
      const what = `${operation} ${JSON.stringify(form)}: ${JSON.stringify(out)}`;
      assert.equal(out.status, 'success', what);
      assert.equal(out.artifact?.digest, logged.artifact?.digest, what);
      assert.equal(out.artifactId, logged.artifactId, what);
      assert.deepEqual(registryOf(out), { project: 'model-registry', collection: 'resnet', version: 'v0', aliases: ['latest', 'production'] }, what);
      if (operation === 'download') assert.equal(readFileSync(join(cfg.downloadPath as string, 'weights.bin'), 'utf8'), 'weights-v0');
      if (operation === 'lineage') assert.match(JSON.stringify(out), /run:ml-experiments\/k3x9a2bq/, "the lineage is the linked version's");
    }
  }
  // A second link takes `production`; v0 still names the first link.
  writeFileSync(join(dir, 'checkpoints', 'weights.bin'), 'weights-v1');
  valid(
    await runner.execute({
      action: 'artifact',
      project: 'ml-experiments',
      runId: 'k3x9a2bq',
      artifactConfig: { name: 'model', type: 'model', path: './checkpoints' },
    }),
  );
  valid(
    await runner.execute({
      action: 'artifact',
      operation: 'link',
      project: 'ml-experiments',
      artifactConfig: { name: 'model:latest', registry: 'model-registry/resnet', aliases: ['production'] },
    }),
  );
  const prod = valid(await runner.execute({ action: 'artifact', operation: 'lineage', artifactConfig: { name: 'model-registry/resnet:production' } }));
  assert.equal(prod.artifact?.version, 'v1');
  assert.equal(registryOf(prod)?.version, 'v1');
  const first = valid(await runner.execute({ action: 'artifact', operation: 'lineage', artifactConfig: { name: 'model-registry/resnet:v0' } }));
  assert.equal(first.artifact?.digest, logged.artifact?.digest);
  // Names the registry does not hold stay NOT_FOUND.
  for (const name of ['model-registry/resnet:v7', 'model-registry/resnet:archived', 'model-registry/nope:production']) {
    const miss = valid(await runner.execute({ action: 'artifact', operation: 'lineage', artifactConfig: { name } }));
    assert.equal(miss.error?.code, 'NOT_FOUND', name);
  }
});

test('dashboard: the registry link of a linked version answers 200 with the linked version', async (t) => {
  const { dir, linked, logged } = await linkedModel(t);
  const dash = await startDashboard({ storePath: join(dir, 'wandb', 'skill-store.sqlite'), port: 0 });
  t.after(() => dash.close());
  const url = new URL(String(linked.artifactUrl));
  assert.equal(url.pathname, '/local/model-registry/artifacts/model/resnet/v0');
  const page = await httpGet(`${dash.url}${url.pathname}`);
  assert.equal(page.status, 200);
  const api = await httpGet(`${dash.url}/api/p/local/model-registry/artifacts/model/resnet/v0`);
  assert.equal(api.status, 200, api.body);
  const body = JSON.parse(api.body) as {
    name: string;
    version: string;
    digest: string;
    aliases: string[];
    linkedFrom: { project: string; name: string; version: string; path: string };
    files: Array<{ path: string }>;
  };
  assert.equal(body.name, 'resnet');
  assert.equal(body.version, 'v0');
  assert.equal(body.digest, logged.artifact?.digest);
  assert.deepEqual(body.aliases, ['latest', 'production']);
  assert.deepEqual(
    body.files.map((f) => f.path),
    ['weights.bin'],
  );
  assert.equal(body.linkedFrom.path, '/local/ml-experiments/artifacts/model/model/v0');
  const list = JSON.parse((await httpGet(`${dash.url}/api/p/local/model-registry/artifacts`)).body) as {
    artifacts: Array<{ name: string; versions: Array<{ path: string }> }>;
  };
  assert.deepEqual(
    list.artifacts.map((a) => [a.name, a.versions.map((v) => v.path)]),
    [['resnet', [url.pathname]]],
  );
  assert.equal((await httpGet(`${dash.url}/api/p/local/model-registry/artifacts/model/resnet/v1`)).status, 404);
});

test('online: using a version through its registry name records the use of the linked artifact, with valid documents', async (t) => {
  const server = await startWandbServer();
  t.after(() => server.close());
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env = { WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url, WANDB_MODE: 'online', WANDB_HTTP_TIMEOUT: '5' };
  const runner = createSkillRunner({ ...isolated(dir, env), logger: createLogger({ level: 'silent' }) });
  t.after(() => runner.close());
  const producer = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'train' } }));
  mkdirSync(join(dir, 'm'));
  writeFileSync(join(dir, 'm', 'model.pt'), 'w0');
  const logged = valid(
    await runner.execute({ action: 'artifact', project: 'p', runId: producer.runId, artifactConfig: { name: 'net', type: 'model', path: 'm' } }),
  );
  const linked = valid(
    await runner.execute({
      action: 'artifact',
      operation: 'link',
      project: 'p',
      artifactConfig: { name: 'net:latest', registry: 'model-registry/Best Net', aliases: ['production'] },
    }),
  );
  assert.equal(linked.synced, true, JSON.stringify(linked));
  const consumer = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'eval' } }));
  // A registry collection named beyond an artifact's characters is read back too.
  const used = valid(
    await runner.execute({
      action: 'artifact',
      operation: 'use',
      project: 'p',
      runId: consumer.runId,
      artifactConfig: { name: 'model-registry/Best Net:production' },
    }),
  );
  assert.equal(used.status, 'success', JSON.stringify(used));
  assert.equal(used.synced, true, JSON.stringify(used));
  assert.equal(used.artifactId, logged.artifactId);
  assert.deepEqual(registryOf(used), { project: 'model-registry', collection: 'Best Net', version: 'v0', aliases: ['latest', 'production'] });
  assert.deepEqual(
    server.state.artifacts.get(String(logged.artifactId))?.usedBy.map((u) => u.runName),
    [consumer.runId],
  );
  assert.deepEqual(server.invalidDocuments, []);
  const bad = valid(
    await runner.execute({
      action: 'artifact',
      operation: 'use',
      project: 'p',
      runId: consumer.runId,
      artifactConfig: { name: 'model-registry/No Such:production' },
    }),
  );
  assert.equal(bad.error?.code, 'INVALID_INPUT', 'a name no artifact or registry collection could have stays invalid');
});
