import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryFixture } from './helpers.js';

type Obj = Record<string, unknown>;

test('run: config, summary, tags, notes, state, files and the artifacts it logged and used', async (t) => {
  const f = queryFixture(t);
  await f.ok({ action: 'init', project: 'p', runConfig: { id: 'maker', config: { lr: 0.1 }, tags: ['t1'], notes: 'first try' } });
  await f.ok({ action: 'log', project: 'p', runId: 'maker', logData: { metrics: { loss: 0.5 } } });
  writeFileSync(join(f.dir, 'data.txt'), 'hello');
  await f.ok({ action: 'artifact', project: 'p', runId: 'maker', artifactConfig: { name: 'data', type: 'dataset', path: join(f.dir, 'data.txt') } });
  await f.ok({ action: 'finish', project: 'p', runId: 'maker' });
  await f.run('user', { rows: [{ loss: 0.4 }], finish: false });
  await f.ok({ action: 'artifact', operation: 'use', project: 'p', runId: 'user', artifactConfig: { name: 'data:latest' } });
  const out = await f.ok({ action: 'query', project: 'p', runId: 'maker', queryConfig: { kind: 'run' } });
  const run = (out.query as Obj)['run'] as Obj;
  assert.equal(out.runId, 'maker');
  assert.deepEqual(run['config'], { lr: 0.1 });
  assert.equal((run['summary'] as Obj)['loss'], 0.5);
  assert.deepEqual(run['tags'], ['t1']);
  assert.equal(run['notes'], 'first try');
  assert.equal(run['state'], 'finished');
  assert.ok(Array.isArray(run['files']));
  assert.deepEqual(
    (run['loggedArtifacts'] as Obj[]).map((a) => a['name']),
    ['data:v0'],
  );
  const user = (await f.query({ kind: 'run' }, { runId: 'user' }))['run'] as Obj;
  assert.deepEqual(
    (user['usedArtifacts'] as Obj[]).map((a) => a['name']),
    ['data:v0'],
  );

  // artifact: the version, its files and versions, and the lineage from maker to user.
  const a = await f.ok({ action: 'query', project: 'p', queryConfig: { kind: 'artifact', artifact: 'data:latest' } });
  const art = (a.query as Obj)['artifact'] as Obj;
  assert.equal(art['version'], 'v0');
  assert.deepEqual(art['aliases'], ['latest']);
  assert.deepEqual(
    (art['files'] as Obj[]).map((x) => x['path']),
    ['data.txt'],
  );
  const lineage = art['lineage'] as { edges: Array<{ from: string; to: string; kind: string }> };
  assert.deepEqual(lineage.edges.map((e) => `${e.from}>${e.to}:${e.kind}`).sort(), [
    'artifact:p/data:v0>run:p/user:input',
    'run:p/maker>artifact:p/data:v0:output',
  ]);
  assert.ok(typeof a.artifactId === 'string');

  const cols = await f.query({ kind: 'collections' });
  assert.deepEqual(cols['collections'], [{ project: 'p', name: 'data', type: 'dataset', versions: 1, latest: 'v0', latestAliases: ['latest'], size: 5 }]);
  const missing = await f.call({ action: 'query', project: 'p', queryConfig: { kind: 'artifact', artifact: 'nope:v3' } });
  assert.equal(missing.error?.code, 'NOT_FOUND');
});

test('history: sampled keeps the first and last rows with min/max per point; exact reads a step range in pages', async (t) => {
  const f = queryFixture(t);
  const rows = Array.from({ length: 40 }, (_, i) => ({ loss: i === 17 ? 100 : 1 / (i + 1), acc: i / 40 }));
  await f.run('h', { rows });
  const sampled = await f.query({ kind: 'history', keys: ['loss', 'acc'], samples: 4 }, { runId: 'h' });
  const h = sampled['history'] as {
    mode: string;
    bucketRows: number;
    series: Record<string, Array<{ firstStep: number; lastStep: number; max: number; last: number }>>;
  };
  assert.equal(h.mode, 'sampled');
  // Buckets are aligned power-of-two runs of rows (src/history/sampled.ts): 40 rows in at most 4 buckets is 16 rows each, 3 buckets.
  assert.equal(h.bucketRows, 16);
  const loss = h.series['loss'] ?? [];
  assert.equal(loss.length, 3);
  assert.equal(loss[0]?.firstStep, 0);
  assert.equal(loss[2]?.lastStep, 39);
  assert.equal(loss[2]?.last, 1 / 40);
  assert.equal(loss[1]?.max, 100, 'the spike at step 17 stays visible');

  // Exact: steps 5..24, 8 rows a page, with the keys asked for.
  const seen: Obj[] = [];
  let cursor: string | undefined;
  do {
    const q = await f.query({ kind: 'history', keys: ['loss'], minStep: 5, maxStep: 24, perPage: 8, ...(cursor ? { cursor } : {}) }, { runId: 'h' });
    assert.equal(q['total'], 20);
    seen.push(...((q['history'] as Obj)['rows'] as Obj[]));
    cursor = q['cursor'] as string | undefined;
  } while (cursor !== undefined);
  assert.deepEqual(
    seen.map((r) => r['_step']),
    Array.from({ length: 20 }, (_, i) => i + 5),
  );
  assert.deepEqual(seen[12], { _step: 17, loss: 100 });
  // Rows without every key asked for are left out (W&B's scan_history(keys=...)).
  const none = await f.query({ kind: 'history', keys: ['loss', 'nope'], minStep: 0 }, { runId: 'h' });
  assert.deepEqual((none['history'] as Obj)['rows'], []);
  // A whole row bigger than the budget comes cut, saying how many keys were left out.
  const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i + 0.123456789]));
  await f.run('wide', { rows: [wide, wide] });
  const w = await f.query({ kind: 'history', minStep: 0, maxBytes: 1024 }, { runId: 'wide' });
  assert.ok((w['bytes'] as number) <= 1024);
  assert.equal(w['truncated'], true);
  const [row] = (w['history'] as Obj)['rows'] as Obj[];
  assert.ok((row?.['_omittedKeys'] as number) > 50);
  assert.ok(typeof w['cursor'] === 'string');
});

test('a byte budget bounds every answer; cursors read what was left out', async (t) => {
  const f = queryFixture(t);
  const big = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`param_${i}`, 'x'.repeat(40)]));
  for (let i = 0; i < 12; i += 1) await f.run(`b${i}`, { config: big, rows: [{ m: i }] });
  const all: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const q = await f.query({ maxBytes: 8192, perPage: 100, ...(cursor ? { cursor } : {}) });
    assert.ok((q['bytes'] as number) <= 8192, `bytes ${String(q['bytes'])}`);
    assert.equal(q['bytes'], Buffer.byteLength(JSON.stringify(q)));
    all.push(...(q['runs'] as Array<{ runId: string }>).map((r) => r.runId));
    cursor = q['cursor'] as string | undefined;
    if (cursor !== undefined) assert.equal(q['truncated'], true);
    pages += 1;
  } while (cursor !== undefined);
  assert.ok(pages > 2);
  assert.deepEqual(
    all,
    Array.from({ length: 12 }, (_, i) => `b${i}`),
  );
  // One run bigger than the budget: cut, saying what was left out.
  const one = await f.query({ maxBytes: 1024, perPage: 1 });
  assert.ok((one['bytes'] as number) <= 1024);
  const cut = (one['runs'] as Obj[])[0] as Obj;
  assert.ok(((cut['omitted'] as Obj)['config'] as number) > 0);
  // Sampled history past the budget continues point by point.
  await f.run('long', { rows: Array.from({ length: 300 }, (_, i) => ({ a: i, b: -i })) });
  let points = 0;
  cursor = undefined;
  do {
    const q = await f.query({ kind: 'history', keys: ['a', 'b'], samples: 300, maxBytes: 4096, ...(cursor ? { cursor } : {}) }, { runId: 'long' });
    assert.ok((q['bytes'] as number) <= 4096);
    for (const s of Object.values((q['history'] as { series: Record<string, unknown[]> }).series)) points += s.length;
    cursor = q['cursor'] as string | undefined;
  } while (cursor !== undefined);
  assert.equal(points, 600);
});

test('compare: the config keys that differ and each metric final and best value, lower-is-better by name', async (t) => {
  const f = queryFixture(t);
  await f.run('c1', { config: { lr: 0.1, bs: 32, opt: { name: 'adam' } }, rows: [{ loss: 1 }, { loss: 0.2 }, { loss: 0.5 }, { acc: 0.7 }] });
  await f.run('c2', { config: { lr: 0.01, bs: 32, opt: { name: 'sgd' } }, rows: [{ loss: 0.8 }, { loss: 0.3 }, { acc: 0.9 }] });
  const c = (await f.query({ kind: 'compare', runIds: ['c1', 'c2'] }))['comparison'] as Obj;
  assert.deepEqual(c['configDiff'], { lr: [0.1, 0.01], 'opt.name': ['adam', 'sgd'] });
  assert.equal(c['sameConfigKeys'], 1);
  const metrics = c['metrics'] as Record<string, Obj>;
  assert.deepEqual(metrics['loss'], { goal: 'minimize', final: [0.5, 0.3], best: [0.2, 0.3], bestStep: [1, 1], bestRun: 'c1' });
  assert.deepEqual(metrics['acc'], { goal: 'maximize', final: [0.7, 0.9], best: [0.7, 0.9], bestStep: [3, 2], bestRun: 'c2' });
  // Selected by filters and order instead of ids.
  const byFilter = (await f.query({ kind: 'compare', filters: { 'config.bs': 32 }, order: '-summary_metrics.acc', keys: ['acc'] }))['comparison'] as Obj;
  assert.deepEqual(
    (byFilter['runs'] as Obj[]).map((r) => r['runId']),
    ['c2', 'c1'],
  );
});

test('sweep: state, runs and the best run by the sweep metric goal', async (t) => {
  const f = queryFixture(t);
  const created = await f.ok({
    action: 'sweep',
    project: 'p',
    sweepConfig: { method: 'grid', metric: { name: 'val_loss', goal: 'minimize' }, parameters: { lr: { values: [0.1, 0.01, 0.001] } } },
  });
  const sweepId = created.sweepId as string;
  const losses = [0.5, 0.2, 0.9];
  for (const loss of losses) {
    const next = await f.ok({ action: 'sweep', operation: 'next', project: 'p', sweepId });
    const runId = (next.suggestion as { runId: string }).runId;
    await f.ok({ action: 'log', project: 'p', runId, logData: { metrics: { val_loss: loss } } });
    await f.ok({ action: 'finish', project: 'p', runId });
  }
  const out = await f.ok({ action: 'query', project: 'p', sweepId, queryConfig: { kind: 'sweep', perPage: 2 } });
  const q = out.query as Obj;
  const sweep = q['sweep'] as Obj;
  assert.equal(out.sweepId, sweepId);
  assert.equal(sweep['state'], 'RUNNING');
  assert.equal(q['total'], 3);
  assert.equal((q['runs'] as Obj[]).length, 2);
  assert.ok(typeof q['cursor'] === 'string');
  const best = sweep['bestRun'] as Obj;
  assert.equal(best['metric'], 0.2);
  assert.deepEqual(best['config'], { lr: 0.01 });
  // A sweep's runs by the `sweep` filter.
  const runs = await f.query({ filters: { sweep: sweepId }, order: '+summary_metrics.val_loss' });
  assert.deepEqual(
    (runs['runs'] as Array<{ summary: Obj }>).map((r) => r.summary['val_loss']),
    [0.2, 0.5, 0.9],
  );
});

test('disabled: a valid, empty answer', async (t) => {
  const f = queryFixture(t, { WANDB_MODE: 'disabled' });
  const out = await f.ok({ action: 'query', project: 'p', queryConfig: {} });
  assert.equal((out.query as Obj)['kind'], 'runs');
});

test('history without keys reads the summary numbers, nested ones dotted, media descriptors and `_` keys left out', async (t) => {
  const f = queryFixture(t);
  const hist = { _type: 'histogram', values: [1, 2], bins: [0, 1, 2] };
  await f.run('n', {
    rows: [
      { loss: 1, val: { acc: 0.5, top: { k5: 0.9 } }, w: hist },
      { loss: 0.5, val: { acc: 0.7, top: { k5: 0.95 } }, note: 'x' },
    ],
  });
  const q = await f.query({ kind: 'history' }, { runId: 'n' });
  const h = q['history'] as { keys: string[]; series: Record<string, Array<{ last: number }>> };
  assert.deepEqual(h.keys, ['loss', 'val.acc', 'val.top.k5']);
  assert.equal(h.series['val.acc']?.at(-1)?.last, 0.7);
});

test("every answer's `bytes` is the size of its own query object, digits included, across digit-count boundaries", async (t) => {
  const f = queryFixture(t);
  // Rows whose answers come out near 99/100, 999/1000 and 9999/10000 bytes at some page size.
  await f.run('sized', { rows: Array.from({ length: 300 }, (_, i) => ({ v: i / 7 })), finish: false });
  const { stringifyExtended } = await import('../../src/json/extended-json.js');
  let checked = 0;
  for (let samples = 2; samples <= 300; samples += 7) {
    const q = await f.query({ kind: 'history', samples }, { runId: 'sized' });
    assert.equal(q['bytes'], Buffer.byteLength(stringifyExtended(q), 'utf8'), `samples ${samples}`);
    checked += 1;
  }
  for (const maxBytes of [1024, 4096, 65_536]) {
    const q = await f.query({ kind: 'runs', maxBytes });
    assert.equal(q['bytes'], Buffer.byteLength(stringifyExtended(q), 'utf8'), `runs within ${maxBytes}`);
  }
  assert.ok(checked > 40);
});
