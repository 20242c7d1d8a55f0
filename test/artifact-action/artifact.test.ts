import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSkillRunner, executeSkill } from '../../src/index.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';
import { artifactRows, objectCount } from './helpers.js';

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
  }
}

test('log: v0, v1, identical content deduplicated, a shared file stored once, latest moves', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  const run = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'trainer' } }));
  writeFiles(dir, { 'data/a.txt': 'alpha', 'data/sub/b.txt': 'beta' });
  const log = (extra: Record<string, unknown> = {}) =>
    runner.execute({ action: 'artifact', project: 'p', runId: run.runId, artifactConfig: { name: 'ds', type: 'dataset', path: 'data', ...extra } });

  const v0 = valid(await log({ description: 'first', metadata: { rows: 2 } }));
  assert.equal(v0.status, 'success', JSON.stringify(v0));
  assert.equal(v0.artifact?.version, 'v0');
  assert.equal(v0.artifact?.fileCount, 2);
  assert.equal(v0.artifact?.size, 9);
  assert.match(v0.artifact?.digest ?? '', /^[0-9a-f]{32}$/);
  assert.deepEqual(v0.artifact?.aliases, ['latest']);
  assert.equal(v0.artifactUrl, 'http://127.0.0.1:8765/local/p/artifacts/dataset/ds/v0');
  assert.equal(v0.runId, run.runId);
  assert.equal(objectCount(dir), 2);

  writeFileSync(join(dir, 'data', 'a.txt'), 'alpha-2');
  const v1 = valid(await log({ aliases: ['best'] }));
  assert.equal(v1.artifact?.version, 'v1');
  assert.notEqual(v1.artifact?.digest, v0.artifact?.digest);
  assert.deepEqual(v1.artifact?.aliases, ['best', 'latest']);
  assert.notEqual(v1.artifactId, v0.artifactId);
  assert.equal(objectCount(dir), 3, 'sub/b.txt is unchanged: stored once for both versions');

  const again = valid(await log());
  assert.equal(again.artifact?.version, 'v1', 'same content: the existing version');
  assert.equal(again.artifactId, v1.artifactId);
  assert.ok(again.warnings?.some((w) => /identical/.test(w)));
  assert.equal(objectCount(dir), 3);
  assert.equal(artifactRows(dir)['artifact_versions'], 2);

  // latest and best now sit on v1 only; v0 lost latest.
  const old = valid(await runner.execute({ action: 'artifact', operation: 'lineage', project: 'p', artifactConfig: { name: 'ds:v0' } }));
  assert.deepEqual(old.artifact?.aliases, []);
  const best = valid(await runner.execute({ action: 'artifact', operation: 'lineage', project: 'p', artifactConfig: { name: 'ds:best' } }));
  assert.equal(best.artifact?.version, 'v1');
});

test('log: a single file and references; no run found warns but logs', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'model.pt'), 'weights');
  writeFileSync(join(dir, 'ref.csv'), 'x,y\n');
  const out = valid(
    await executeSkill(
      {
        action: 'artifact',
        project: 'p',
        artifactConfig: { name: 'net', type: 'model', path: 'model.pt', references: ['s3://bucket/data/train.csv', `file://${join(dir, 'ref.csv')}`] },
      },
      isolated(dir),
    ),
  );
  assert.equal(out.status, 'success', JSON.stringify(out));
  assert.equal(out.artifact?.fileCount, 3);
  assert.equal(out.runId, undefined);
  assert.ok(out.warnings?.some((w) => /without a producing run/.test(w)));
  assert.equal(objectCount(dir), 1, 'references are recorded, not copied');
});

test('use: records an input, materialises the files (reused the second time); download writes only inside its folder', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  writeFiles(dir, { 'data/a.txt': 'alpha', 'data/sub/b.txt': 'beta' });
  valid(await runner.execute({ action: 'artifact', project: 'p', artifactConfig: { name: 'ds', type: 'dataset', path: 'data' } }));
  writeFileSync(join(dir, 'data', 'a.txt'), 'alpha-2');
  valid(await runner.execute({ action: 'artifact', project: 'p', artifactConfig: { name: 'ds', type: 'dataset', path: 'data' } }));
  const consumer = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'eval' } }));

  const used = valid(await runner.execute({ action: 'artifact', operation: 'use', project: 'p', runId: consumer.runId, artifactConfig: { name: 'ds' } }));
  assert.equal(used.status, 'success', JSON.stringify(used));
  assert.equal(used.artifact?.version, 'v1');
  const path = used.artifact?.path as string;
  assert.equal(path, join(dir, 'wandb', 'artifacts', 'materialized', 'p', 'ds', 'v1'));
  assert.equal(readFileSync(join(path, 'a.txt'), 'utf8'), 'alpha-2');
  assert.equal(readFileSync(join(path, 'sub', 'b.txt'), 'utf8'), 'beta');
  const reused = valid(await runner.execute({ action: 'artifact', operation: 'use', project: 'p', runId: consumer.runId, artifactConfig: { name: 'ds:v0' } }));
  assert.equal(reused.artifact?.version, 'v0');
  assert.equal(readFileSync(join(reused.artifact?.path as string, 'a.txt'), 'utf8'), 'alpha');
  const third = valid(
    await runner.execute({ action: 'artifact', operation: 'use', project: 'p', runId: consumer.runId, artifactConfig: { name: 'ds', version: 'v0' } }),
  );
  assert.equal((third.artifact as { reused?: boolean }).reused, true);
  assert.equal(artifactRows(dir)['artifact_usage'], 2, 'two input edges (v1, v0); the repeat use adds none');

  const missing = valid(await runner.execute({ action: 'artifact', operation: 'use', project: 'p', artifactConfig: { name: 'ds:production' } }));
  assert.equal(missing.error?.code, 'NOT_FOUND');
  assert.equal(missing.error?.details?.issues?.[0]?.path, 'artifactConfig.name');
  const clash = valid(await runner.execute({ action: 'artifact', operation: 'use', project: 'p', artifactConfig: { name: 'ds:v1', version: 'v0' } }));
  assert.equal(clash.error?.details?.issues?.[0]?.path, 'artifactConfig.version');

  const dl = valid(await runner.execute({ action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: 'ds:v0', downloadPath: 'out' } }));
  assert.equal(dl.status, 'success', JSON.stringify(dl));
  assert.equal(readFileSync(join(dir, 'out', 'sub', 'b.txt'), 'utf8'), 'beta');
  const noTarget = valid(await runner.execute({ action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: 'ds' } }));
  assert.equal(noTarget.error?.details?.issues?.[0]?.path, 'artifactConfig.downloadPath');
  const escape = valid(
    await runner.execute({ action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: 'ds', downloadPath: '../elsewhere' } }),
  );
  assert.equal(escape.error?.code, 'INVALID_INPUT');
  assert.equal(escape.error?.details?.issues?.[0]?.path, 'artifactConfig.downloadPath');
  // A symbolic link inside the target leading out of it is not written through.
  const outside = join(dir, 'outside');
  mkdirSync(outside);
  mkdirSync(join(dir, 'out2'));
  symlinkSync(outside, join(dir, 'out2', 'sub'));
  const through = valid(
    await runner.execute({ action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: 'ds', downloadPath: 'out2' } }),
  );
  assert.equal(through.error?.code, 'INVALID_INPUT');
  assert.equal(through.error?.details?.issues?.[0]?.path, 'artifactConfig.downloadPath');
  assert.deepEqual(readdirSync(outside), []);
});

test('link: registry aliases move atomically between linked versions', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  for (const content of ['w0', 'w1']) {
    writeFileSync(join(dir, 'model.pt'), content);
    valid(await runner.execute({ action: 'artifact', project: 'p', artifactConfig: { name: 'net', type: 'model', path: 'model.pt' } }));
  }
  const link = (name: string, aliases: string[]) =>
    runner.execute({ action: 'artifact', operation: 'link', project: 'p', artifactConfig: { name, registry: 'model-registry/Best Net', aliases } });
  const first = valid(await link('net:v0', ['staging', 'production']));
  assert.equal(first.status, 'success', JSON.stringify(first));
  const reg0 = (first.artifact as unknown as { registry: { version: string; aliases: string[] } }).registry;
  assert.equal(reg0.version, 'v0');
  assert.deepEqual(reg0.aliases, ['latest', 'production', 'staging']);
  assert.equal(first.artifactUrl, 'http://127.0.0.1:8765/local/model-registry/artifacts/model/Best%20Net/v0');
  const second = valid(await link('net:latest', ['production']));
  const reg1 = (second.artifact as unknown as { registry: { version: string; aliases: string[] } }).registry;
  assert.equal(reg1.version, 'v1');
  assert.deepEqual(reg1.aliases, ['latest', 'production']);
  const relink = valid(await link('net:v0', []));
  const reg2 = (relink.artifact as unknown as { registry: { version: string; aliases: string[] } }).registry;
  assert.equal(reg2.version, 'v0', 'a version is linked once');
  assert.deepEqual(reg2.aliases, ['latest', 'staging'], 'production stayed on v1; latest moved back');
  const bad = valid(await link('net:v0', ['a/b']));
  assert.equal(bad.error?.details?.issues?.[0]?.path, 'artifactConfig.aliases[0]');
  const noRegistry = valid(await runner.execute({ action: 'artifact', operation: 'link', project: 'p', artifactConfig: { name: 'net' } }));
  assert.equal(noRegistry.error?.details?.issues?.[0]?.path, 'artifactConfig.registry');
});

test('lineage: the producing and consuming runs, and what those runs used and made', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  writeFileSync(join(dir, 'raw.csv'), '1,2\n');
  writeFileSync(join(dir, 'model.pt'), 'weights');
  const prep = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'prep' } }));
  valid(await runner.execute({ action: 'artifact', project: 'p', runId: prep.runId, artifactConfig: { name: 'data', type: 'dataset', path: 'raw.csv' } }));
  const train = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'train' } }));
  valid(await runner.execute({ action: 'artifact', operation: 'use', project: 'p', runId: train.runId, artifactConfig: { name: 'data:latest' } }));
  valid(await runner.execute({ action: 'artifact', project: 'p', runId: train.runId, artifactConfig: { name: 'model', type: 'model', path: 'model.pt' } }));

  const out = valid(await runner.execute({ action: 'artifact', operation: 'lineage', project: 'p', artifactConfig: { name: 'data:v0' } }));
  assert.equal(out.status, 'success', JSON.stringify(out));
  const g = out.lineage as { root: string; nodes: Array<{ id: string; kind: string }>; edges: Array<{ from: string; to: string; kind: string }> };
  assert.equal(g.root, 'artifact:p/data:v0');
  assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['artifact:p/data:v0', 'artifact:p/model:v0', `run:p/${prep.runId}`, `run:p/${train.runId}`].sort());
  const edges = g.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`).sort();
  assert.deepEqual(
    edges,
    [
      `artifact:p/data:v0 -input-> run:p/${train.runId}`,
      `run:p/${prep.runId} -output-> artifact:p/data:v0`,
      `run:p/${train.runId} -output-> artifact:p/model:v0`,
    ].sort(),
  );
});

test('safety: .. and symbolic-link escapes, bad names, types and aliases are refused with nothing stored', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const work = join(dir, 'work');
  writeFiles(work, { 'data/ok.txt': 'fine' });
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'secret.txt'), join(work, 'data', 'zz-link.txt'));
  mkdirSync(join(work, 'clean'));
  writeFileSync(join(work, 'clean', 'x.txt'), 'x');
  const call = async (cfg: Record<string, unknown>) =>
    valid(await executeSkill({ action: 'artifact', project: 'p', artifactConfig: { type: 'dataset', name: 'ds', ...cfg } }, isolated(work)));
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ path: 'data' }, 'artifactConfig.path'],
    [{ path: '../secret.txt' }, 'artifactConfig.path'],
    [{ path: `${work}/clean/../../secret.txt` }, 'artifactConfig.path'],
    [{ path: 'missing-folder' }, 'artifactConfig.path'],
    [{ path: 'clean', name: 'bad/name' }, 'artifactConfig.name'],
    [{ path: 'clean', name: 'has space' }, 'artifactConfig.name'],
    [{ path: 'clean', name: 'ds:v3' }, 'artifactConfig.name'],
    [{ path: 'clean', type: 'wandb-history' }, 'artifactConfig.type'],
    [{ path: 'clean', type: 'a:b' }, 'artifactConfig.type'],
    [{ path: 'clean', aliases: ['ok', 'x:y'] }, 'artifactConfig.aliases[1]'],
    [{ path: 'clean', references: ['ftp://host/file'] }, 'artifactConfig.references[0]'],
    [{ path: 'clean', type: undefined }, 'artifactConfig.type'],
    [{ name: undefined }, 'artifactConfig'],
  ];
  for (const [cfg, field] of cases) {
    const out = await call(cfg);
    assert.equal(out.status, 'error', JSON.stringify(cfg));
    assert.equal(out.error?.code, 'INVALID_INPUT', JSON.stringify(out));
    assert.equal(out.error?.details?.issues?.[0]?.path, field, JSON.stringify(out));
  }
  assert.equal(objectCount(work), 0, 'no object stored');
  assert.deepEqual(Object.values(artifactRows(work)), [0, 0, 0, 0, 0]);
  assert.equal(existsSync(join(work, 'wandb', 'artifacts', 'tmp')) ? readdirSync(join(work, 'wandb', 'artifacts', 'tmp')).length : 0, 0);

  // A type clash with an existing collection is a CONFLICT, refused before copying.
  assert.equal((await call({ path: 'clean' })).status, 'success');
  writeFileSync(join(work, 'clean', 'x.txt'), 'changed');
  const clash = await call({ path: 'clean', type: 'model' });
  assert.equal(clash.error?.code, 'CONFLICT');
  assert.equal(clash.error?.details?.issues?.[0]?.path, 'artifactConfig.type');
  assert.equal(objectCount(work), 1);
});
