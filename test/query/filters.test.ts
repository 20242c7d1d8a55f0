import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ids, queryFixture, type QueryFixture } from './helpers.js';

/**
 * Five runs with config and summaries chosen so each operator separates them: a nested config key,
 * a key holding dots, an array value, a string where others hold numbers, a NaN and a missing key.
 */
async function seed(f: QueryFixture): Promise<void> {
  await f.run('r1', {
    config: { lr: 0.001, opt: { name: 'adam' }, layers: [64, 128] },
    rows: [{ 'val/acc': 0.5 }, { 'val/acc': 0.9 }],
    tags: ['base', 'gpu'],
    group: 'g1',
  });
  await f.run('r2', { config: { lr: 0.01, opt: { name: 'sgd' }, layers: [32] }, rows: [{ 'val/acc': 0.7 }], tags: ['gpu'], group: 'g2', jobType: 'train' });
  await f.run('r3', { config: { lr: 0.1, 'a.b': 5 }, rows: [{ 'val/acc': NaN }], tags: [], jobType: 'eval' });
  await f.run('r4', { config: { lr: 'auto' }, rows: [{ 'val/acc': 0.8, loss: 0.3 }], tags: ['base'] });
  await f.run('r5', { config: {}, rows: [{ loss: 0.2 }], finish: false, name: 'special-run' });
}

test('each MongoDB operator selects what W&B would (nested keys, dotted keys, arrays, types, NaN, missing keys)', async (t) => {
  const f = queryFixture(t);
  await seed(f);
  const q = async (filters: unknown): Promise<string[]> => ids(await f.query({ filters }));
  // Comparisons only match values of the operand's type: "auto" is not < 1, and not > 0 either.
  assert.deepEqual(await q({ 'config.lr': { $lt: 0.05 } }), ['r1', 'r2']);
  assert.deepEqual(await q({ 'config.lr': { $gt: 0 } }), ['r1', 'r2', 'r3']);
  assert.deepEqual(await q({ 'config.lr': { $gte: 0.01, $lte: 0.1 } }), ['r2', 'r3']);
  assert.deepEqual(await q({ 'config.lr': 0.01 }), ['r2']);
  assert.deepEqual(await q({ 'config.lr': { $eq: 'auto' } }), ['r4']);
  // $ne and $nin match missing keys too (r5 has no lr).
  assert.deepEqual(await q({ 'config.lr': { $ne: 0.01 } }), ['r1', 'r3', 'r4', 'r5']);
  assert.deepEqual(await q({ 'config.lr': { $nin: [0.01, 0.1] } }), ['r1', 'r4', 'r5']);
  assert.deepEqual(await q({ 'config.lr': { $in: [0.01, 'auto'] } }), ['r2', 'r4']);
  // Nested and dotted keys; W&B's `.value` spelling of a config key reads the plain value.
  assert.deepEqual(await q({ 'config.opt.name': 'adam' }), ['r1']);
  assert.deepEqual(await q({ 'config.a.b': 5 }), ['r3']);
  assert.deepEqual(await q({ 'config.lr.value': 0.1 }), ['r3']);
  // An array matches when an element does.
  assert.deepEqual(await q({ 'config.layers': 128 }), ['r1']);
  assert.deepEqual(await q({ 'config.layers': { $in: [32, 7] } }), ['r2']);
  // $exists; null matches missing keys.
  assert.deepEqual(await q({ 'config.opt': { $exists: true } }), ['r1', 'r2']);
  assert.deepEqual(await q({ 'config.opt': { $exists: false } }), ['r3', 'r4', 'r5']);
  assert.deepEqual(await q({ 'config.opt': null }), ['r3', 'r4', 'r5']);
  // Summary: NaN passes no comparison, but the key exists; $ne matches it.
  assert.deepEqual(await q({ 'summary_metrics.val/acc': { $gt: 0.6 } }), ['r1', 'r2', 'r4']);
  assert.deepEqual(await q({ 'summary_metrics.val/acc': { $lt: 2 } }), ['r1', 'r2', 'r4']);
  assert.deepEqual(await q({ 'summary_metrics.val/acc': { $exists: true } }), ['r1', 'r2', 'r3', 'r4']);
  assert.deepEqual(await q({ 'summary_metrics.val/acc': { $ne: 0.9 } }), ['r2', 'r3', 'r4', 'r5']);
  // Regex on strings only; $options.
  assert.deepEqual(await q({ 'config.opt.name': { $regex: '^S', $options: 'i' } }), ['r2']);
  assert.deepEqual(await q({ displayName: { $regex: 'special' } }), ['r5']);
  // Run columns: state, tags, group, jobType, name (the id), createdAt.
  assert.deepEqual(await q({ state: 'running' }), ['r5']);
  assert.deepEqual(await q({ state: { $in: ['finished'] } }), ['r1', 'r2', 'r3', 'r4']);
  assert.deepEqual(await q({ tags: 'gpu' }), ['r1', 'r2']);
  assert.deepEqual(await q({ tags: { $in: ['base'] } }), ['r1', 'r4']);
  assert.deepEqual(await q({ tags: { $nin: ['base', 'gpu'] } }), ['r3', 'r5']);
  assert.deepEqual(await q({ tags: { $regex: '^gp' } }), ['r1', 'r2']);
  assert.deepEqual(await q({ group: 'g2' }), ['r2']);
  assert.deepEqual(await q({ group: { $exists: false } }), ['r3', 'r4', 'r5']);
  assert.deepEqual(await q({ jobType: { $ne: 'train' } }), ['r1', 'r3', 'r4', 'r5']);
  assert.deepEqual(await q({ name: 'r3' }), ['r3']);
  assert.deepEqual(await q({ createdAt: { $gt: '2000-01-01T00:00:00' } }), ['r1', 'r2', 'r3', 'r4', 'r5']);
  assert.deepEqual(await q({ createdAt: { $lt: '2000-01-01T00:00:00Z' } }), []);
  // $and, $or, $nor, $not and the implicit and of several keys.
  assert.deepEqual(await q({ $or: [{ 'config.lr': { $lt: 0.005 } }, { tags: 'base' }] }), ['r1', 'r4']);
  assert.deepEqual(await q({ $and: [{ tags: 'gpu' }, { 'summary_metrics.val/acc': { $gte: 0.8 } }] }), ['r1']);
  assert.deepEqual(await q({ tags: 'gpu', group: 'g1' }), ['r1']);
  assert.deepEqual(await q({ $nor: [{ tags: 'gpu' }, { state: 'running' }] }), ['r3', 'r4']);
  assert.deepEqual(await q({ 'config.lr': { $not: { $lt: 0.05 } } }), ['r3', 'r4', 'r5']);
  assert.deepEqual(await q({}), ['r1', 'r2', 'r3', 'r4', 'r5']);
});

test('order: W&B order strings on summary, config and columns; runs without the value last, ties by creation', async (t) => {
  const f = queryFixture(t);
  await seed(f);
  const q = async (order: string): Promise<string[]> => ids(await f.query({ order }));
  assert.deepEqual(await q('-summary_metrics.val/acc'), ['r1', 'r4', 'r2', 'r3', 'r5']);
  assert.deepEqual(await q('+summary_metrics.val/acc'), ['r2', 'r4', 'r1', 'r3', 'r5']);
  assert.deepEqual(await q('+created_at'), ['r1', 'r2', 'r3', 'r4', 'r5']);
  assert.deepEqual(await q('-createdAt'), ['r5', 'r4', 'r3', 'r2', 'r1']);
  // Numbers before strings ascending ("auto" after every number), missing last.
  assert.deepEqual(await q('config.lr'), ['r1', 'r2', 'r3', 'r4', 'r5']);
  assert.deepEqual(await q('-summary_metrics.loss'), ['r4', 'r5', 'r1', 'r2', 'r3']);
});

test('a running run filtered on its summary is seen with its latest rows, not the stored copy folded every 256 rows', async (t) => {
  const f = queryFixture(t);
  await f.run('live', { rows: [{ acc: 0.1 }, { acc: 0.95 }], finish: false });
  assert.deepEqual(ids(await f.query({ filters: { 'summary_metrics.acc': { $gt: 0.9 } } })), ['live']);
  const [run] = (await f.query({ filters: { name: 'live' } }))['runs'] as Array<{ summary: Record<string, unknown> }>;
  assert.equal(run?.summary['acc'], 0.95);
});

test('pages: perPage and cursors walk every run once, and a cursor belongs to its query', async (t) => {
  const f = queryFixture(t);
  for (let i = 0; i < 7; i += 1) await f.run(`c${i}`, { config: { i }, rows: [{ m: i }] });
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const q = await f.query({ order: '-summary_metrics.m', perPage: 3, ...(cursor !== undefined ? { cursor } : {}) });
    assert.equal(q['total'], 7);
    seen.push(...ids(q));
    cursor = q['cursor'] as string | undefined;
    pages += 1;
  } while (cursor !== undefined);
  assert.equal(pages, 3);
  // A cursor past the end (the runs went away meanwhile) still says how many match.
  const last = await f.query({ perPage: 7, order: '-summary_metrics.m' });
  assert.equal(last['cursor'], undefined);
  const p3 = await f.query({ perPage: 3, order: '-summary_metrics.m' });
  const p6 = await f.query({ perPage: 3, order: '-summary_metrics.m', cursor: p3['cursor'] });
  const end = await f.query({ perPage: 3, order: '-summary_metrics.m', cursor: p6['cursor'] });
  assert.deepEqual([ids(end), end['total']], [['c0'], 7]);
  assert.deepEqual(seen, ['c6', 'c5', 'c4', 'c3', 'c2', 'c1', 'c0']);
  const first = await f.query({ order: '-summary_metrics.m', perPage: 3 });
  const other = await f.call({ action: 'query', project: 'p', queryConfig: { order: '+summary_metrics.m', perPage: 3, cursor: first['cursor'] } });
  assert.equal(other.status, 'error');
  assert.equal(other.error?.code, 'INVALID_INPUT');
  assert.equal(other.error?.details?.issues?.[0]?.path, 'queryConfig.cursor');
});

test('several projects are read together', async (t) => {
  const f = queryFixture(t);
  await f.run('a1', { project: 'pa', rows: [{ m: 1 }] });
  await f.run('b1', { project: 'pb', rows: [{ m: 2 }] });
  await f.run('c1', { project: 'pc', rows: [{ m: 3 }] });
  const q = await f.query({ projects: ['pa', 'pb'], order: '-summary_metrics.m' });
  assert.deepEqual(ids(q), ['b1', 'a1']);
  assert.deepEqual(
    (q['runs'] as Array<{ project: string }>).map((r) => r.project),
    ['pb', 'pa'],
  );
});

test('bad inputs are INVALID_INPUT naming the field, and the error validates against the output schema', async (t) => {
  const f = queryFixture(t);
  await f.run('x', { rows: [{ m: 1 }] });
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ filters: { 'config.lr': { $foo: 1 } } }, 'queryConfig.filters.config.lr.$foo'],
    [{ filters: { $where: 'x' } }, 'queryConfig.filters.$where'],
    [{ filters: { 'config.lr': { $regex: '(' } } }, 'queryConfig.filters.config.lr.$regex'],
    [{ filters: { bogus: 1 } }, 'queryConfig.filters.bogus'],
    [{ filters: { 'config.lr': { $in: 3 } } }, 'queryConfig.filters.config.lr.$in'],
    [{ filters: { 'config.lr': { $gt: true } } }, 'queryConfig.filters.config.lr.$gt'],
    [{ filters: { 'config.lr': { a: 1 } } }, 'queryConfig.filters.config.lr'],
    [{ filters: { createdAt: { $gt: 'yesterday' } } }, 'queryConfig.filters.createdAt.$gt'],
    [{ filters: { $or: [] } }, 'queryConfig.filters.$or'],
    [{ order: '-tags' }, 'queryConfig.order'],
    [{ order: '-nope' }, 'queryConfig.order'],
    [{ perPage: 100000 }, 'queryConfig.perPage'],
    [{ cursor: 'not a cursor!' }, 'queryConfig.cursor'],
    [{ cursor: Buffer.from('{"v":1}').toString('base64url') }, 'queryConfig.cursor'],
    [{ kind: 'run' }, 'runId'],
    [{ kind: 'sweep' }, 'sweepId'],
    [{ kind: 'artifact' }, 'queryConfig.artifact'],
    [{ kind: 'nope' }, 'queryConfig.kind'],
  ];
  for (const [queryConfig, path] of cases) {
    const out = await f.call({ action: 'query', project: 'p', queryConfig });
    assert.equal(out.status, 'error', JSON.stringify(queryConfig));
    assert.equal(out.error?.code, 'INVALID_INPUT', JSON.stringify(out));
    const paths = (out.error?.details?.issues ?? []).map((i) => i.path);
    assert.ok(
      paths.some((p) => p === path || p.startsWith(path)),
      `${JSON.stringify(queryConfig)}: ${JSON.stringify(paths)}`,
    );
  }
  const deep = { 'config.lr': { $lt: 1 } } as Record<string, unknown>;
  let nested: Record<string, unknown> = deep;
  for (let i = 0; i < 20; i += 1) nested = { $and: [nested] };
  const out = await f.call({ action: 'query', project: 'p', queryConfig: { filters: nested } });
  assert.equal(out.error?.code, 'INVALID_INPUT');
});
