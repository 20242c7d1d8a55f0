/** The `query` action's families of the store contract (runSearch, historyScan, runMirrors): see contract.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilters, parseOrder } from '../../src/query/filters.js';
import type { MirroredRun } from '../../src/store/index.js';
import { freshStore, newRun, type StoreFactory } from './contract.js';

const mirrored = (over: Partial<MirroredRun> = {}): MirroredRun => ({
  project: 'p',
  entity: 'team',
  id: 'm1',
  storageId: 'UnVuOjE=',
  displayName: 'theirs',
  state: 'finished',
  config: '{"lr":0.5}',
  summary: '{"acc":0.9}',
  tags: ['x'],
  notes: null,
  group: null,
  jobType: null,
  username: 'colleague',
  host: null,
  sweepId: null,
  createdAt: 50,
  heartbeatAt: 60,
  finished: true,
  historyLines: 10,
  ...over,
});

export function queryContract(factory: StoreFactory): void {
  test('runSearch: keys and values are bound, never pasted into SQL; pages count their matches, past the end too', (t) => {
    const store = freshStore(t, factory);
    const evil = "x'); DROP TABLE runs; --";
    store.write(() => {
      for (let i = 0; i < 3; i += 1) store.runs.insert(newRun({ id: `r${i}`, state: 'finished', config: { [evil]: i, lr: i / 10 }, now: 1000 + i }));
    });
    const where = parseFilters({ [`config.${evil}`]: { $gte: 1 }, displayName: { $regex: "'; --" } });
    assert.deepEqual(store.runSearch.page(['p'], where, parseOrder(undefined), 10, 0), { total: 0, runs: [] });
    const hit = store.runSearch.page(['p'], parseFilters({ [`config.${evil}`]: { $gte: 1 } }), parseOrder(`-config.${evil}`), 10, 0);
    assert.deepEqual(
      hit.runs.map((r) => r.id),
      ['r2', 'r1'],
    );
    assert.equal(hit.total, 2);
    assert.deepEqual(store.runSearch.page(['p'], parseFilters({ 'config.lr': { $gte: 0 } }), parseOrder('+config.lr'), 2, 5), { total: 3, runs: [] });
    assert.equal(store.runSearch.count(['p', 'q'], undefined), 3);
    assert.throws(() => parseFilters({ 'config.a"b': 1 }), /double quote/);
  });

  test('runSearch: stale summaries are listed and saved only forward; historyScan finds a step and pages lines', (t) => {
    const store = freshStore(t, factory);
    const run = store.write(() => store.runs.insert(newRun()));
    store.write(() => {
      for (let i = 0; i < 10; i += 1) store.history.append(run.key, i, i * 2, JSON.stringify({ _step: i * 2, m: i }));
      store.runs.saveProgress(run.key, { step: 20, historyCount: 10, pendingRow: null, heartbeatAt: 200, state: 'running', finishedAt: null, exitCode: null });
    });
    assert.deepEqual(store.runSearch.staleSummaries(['p']), [run.key]);
    store.write(() => store.runSearch.saveSummary(run.key, '{"m":9}', 10));
    store.write(() => store.runSearch.saveSummary(run.key, '{"m":1}', 2));
    assert.deepEqual(store.runSearch.staleSummaries(['p']), []);
    assert.deepEqual(store.runs.getByKey(run.key)?.summary, { m: 9 });
    assert.equal(store.historyScan.firstSeqAtStep(run.key, 7), 4);
    assert.equal(store.historyScan.firstSeqAtStep(run.key, 100), 10);
    assert.deepEqual(
      store.historyScan.page(run.key, 4, 7, 10).map((l) => l.seq),
      [4, 5, 6],
    );
    assert.deepEqual(store.runSearch.files(run.key), []);
  });

  test('runMirrors: a server run is added, then updated; a run this store made is left alone; mirrors count as sent', (t) => {
    const store = freshStore(t, factory);
    store.write(() => store.runs.insert(newRun({ id: 'mine' })));
    assert.equal(
      store.write(() => store.runMirrors.upsert(mirrored(), 'http://w', 100)),
      'added',
    );
    assert.equal(
      store.write(() => store.runMirrors.upsert(mirrored({ summary: '{"acc":0.95}', state: 'crashed' }), 'http://w', 101)),
      'updated',
    );
    assert.equal(
      store.write(() => store.runMirrors.upsert(mirrored({ id: 'mine' }), 'http://w', 102)),
      'local',
    );
    const m = store.runs.get('p', 'm1');
    assert.deepEqual([m?.summary, m?.state, m?.createdAt, m?.username], [{ acc: 0.95 }, 'crashed', 50, 'colleague']);
    assert.equal(store.runs.get('p', 'mine')?.displayName, 'run one');
    assert.equal(store.runMirrors.count('p'), 1);
    assert.deepEqual(store.sync.unsentRunKeys(), [store.runs.get('p', 'mine')?.key]);
  });
}
