/**
 * The store's contract suite, in unstorage's `testDriver` way: every implementation of `Store` runs
 * the same tests, given a factory that opens a fresh, empty store. The SQLite store runs it in
 * sqlite-contract.test.ts; a server-backed store would run it too (see src/store/README.md).
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { NewRun, Store } from '../../src/store/index.js';
import { parseExtended } from '../../src/json/extended-json.js';
import { featureContract } from './contract-features.js';
import { reportsSyncContract } from './contract-reports-sync.js';
import { queryContract } from './contract-query.js';
import { historyBucketsContract } from './contract-history-buckets.js';

export interface StoreFactory {
  /** Opens a new, empty store. */
  open(): Store;
  /** Removes what `open` made (called after the store is closed). */
  cleanup?(store: Store): void;
}

/** A fresh store for one test, closed and removed when the test ends. */
export function freshStore(t: TestContext, factory: StoreFactory): Store {
  const store = factory.open();
  t.after(() => {
    store.close();
    factory.cleanup?.(store);
  });
  return store;
}

export const newRun = (over: Partial<NewRun> = {}): NewRun => ({
  project: 'p',
  id: 'r1',
  entity: null,
  displayName: 'run one',
  state: 'running',
  config: { lr: 0.1 },
  tags: ['a'],
  notes: null,
  group: null,
  jobType: null,
  username: null,
  host: null,
  sweepId: null,
  now: 100,
  ...over,
});

/** Two runs, a and b, made at times 1 and 2; their keys. */
export function twoRuns(store: Store): [number, number] {
  return store.write(() => [store.runs.insert(newRun({ id: 'a', now: 1 })).key, store.runs.insert(newRun({ id: 'b', now: 2 })).key]);
}

/** Registers the whole contract for one implementation. */
export function storeContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    coreContract(factory);
    featureContract(factory);
    reportsSyncContract(factory);
    queryContract(factory);
    historyBucketsContract(factory);
  });
}

function coreContract(factory: StoreFactory): void {
  test('runs: insert, get by project/id and by key, find by id and running name, count, list newest first', (t) => {
    const store = freshStore(t, factory);
    const a = store.write(() => store.runs.insert(newRun()));
    const b = store.write(() => store.runs.insert(newRun({ id: 'r2', displayName: 'two', now: 200, config: { lr: NaN }, tags: ['b', 'c'] })));
    store.write(() => store.runs.insert(newRun({ project: 'q', id: 'r1', now: 300 })));
    assert.equal(a.project, 'p');
    assert.equal(a.state, 'running');
    assert.deepEqual(store.runs.get('p', 'r1')?.config, { lr: 0.1 });
    assert.ok(Number.isNaN(store.runs.get('p', 'r2')?.config['lr']), 'extended JSON: NaN survives');
    assert.deepEqual(store.runs.getByKey(b.key)?.tags, ['b', 'c']);
    assert.equal(store.runs.get('p', 'missing'), undefined);
    assert.deepEqual(
      store.runs.findById('r1').map((r) => r.project),
      ['q', 'p'],
      'newest first',
    );
    assert.equal(store.runs.findRunningByName('p', 'two')?.id, 'r2');
    assert.equal(store.runs.countInProject('p'), 2);
    assert.deepEqual(
      store.runs.list('p', 10, 0).map((r) => r.id),
      ['r2', 'r1'],
    );
    assert.deepEqual(
      store.runs.list('p', 1, 1).map((r) => r.id),
      ['r1'],
    );
  });

  test('runs: progress and metadata are saved', (t) => {
    const store = freshStore(t, factory);
    const run = store.write(() => store.runs.insert(newRun()));
    store.write(() =>
      store.runs.saveProgress(run.key, {
        state: 'finished',
        step: 9,
        historyCount: 10,
        summary: { value: { loss: 0.5 }, seq: 10 },
        pendingRow: null,
        heartbeatAt: 150,
        finishedAt: 160,
        exitCode: 0,
      }),
    );
    const done = store.runs.getByKey(run.key);
    assert.equal(done?.state, 'finished');
    assert.equal(done?.historyCount, 10);
    assert.deepEqual(done?.summary, { loss: 0.5 });
    assert.equal(done?.summarySeq, 10);
    assert.equal(done?.exitCode, 0);
    store.write(() =>
      store.runs.saveMeta(run.key, {
        displayName: 'renamed',
        config: { lr: 1 },
        tags: ['z'],
        notes: 'n',
        group: 'g',
        jobType: 'train',
        entity: 'e',
        state: 'running',
        runtimeBase: 5,
        segmentStart: 170,
        finishedAt: null,
        exitCode: null,
        now: 170,
      }),
    );
    const meta = store.runs.getByKey(run.key);
    assert.equal(meta?.displayName, 'renamed');
    assert.deepEqual(meta?.config, { lr: 1 });
    assert.equal(meta?.group, 'g');
    assert.equal(meta?.entity, 'e');
    assert.equal(meta?.runtimeBase, 5);
  });

  test('history: rows in seq order, texts, ranges, extent, samples, JSON values', (t) => {
    const store = freshStore(t, factory);
    const run = store.write(() => store.runs.insert(newRun()));
    assert.equal(store.history.extent(run.key), undefined, 'no rows: no extent');
    store.write(() => {
      for (let i = 0; i < 10; i++)
        store.history.append(run.key, i, i * 2, i === 4 ? `{"loss":NaN,"_step":${i * 2}}` : JSON.stringify({ loss: 10 - i, _step: i * 2 }));
    });
    assert.deepEqual(
      store.history.lines(run.key, 8, 5).map((l) => [l.seq, l.step]),
      [
        [8, 16],
        [9, 18],
      ],
    );
    assert.deepEqual(store.history.rows(run.key, 0, 2), [
      { loss: 10, _step: 0 },
      { loss: 9, _step: 2 },
    ]);
    assert.ok(Number.isNaN(store.history.rows(run.key, 4, 1)[0]?.['loss']));
    assert.deepEqual(store.history.textRange(run.key, 1, 3), ['{"loss":9,"_step":2}', '{"loss":8,"_step":4}']);
    const steps = (lines: string[]) => lines.map((l) => (JSON.parse(l.replace('NaN', 'null')) as { _step: number })._step);
    assert.deepEqual(steps(store.history.textRange(run.key, 2, 5)), [4, 6, 8], 'seq 2, 3 and 4: the end is excluded');
    assert.deepEqual(store.history.extent(run.key), { lo: 0, hi: 9 });
    const sample = store.history.strideSample(run.key, { lo: 0, hi: 9 }, 4).map((l) => JSON.parse(l.replace('NaN', 'null'))._step);
    assert.deepEqual(sample, [0, 8, 16, 18], 'seq 0, 4, 8 and the last');
    assert.deepEqual(steps(store.history.strideSample(run.key, { lo: 0, hi: 9 }, 3)), [0, 6, 12, 18], 'seq 0, 3, 6, 9');
    assert.deepEqual(
      [...store.history.jsonValues(run.key, '$."loss"')].sort((x, y) => Number(x) - Number(y)),
      [1, 2, 3, 4, 5, 7, 8, 9, 10],
    );
    assert.deepEqual(store.history.nonJsonTexts(run.key), ['{"loss":NaN,"_step":8}']);
  });

  test('summaries: a cached summary is found by key and run id, and deleted', (t) => {
    const store = freshStore(t, factory);
    store.summaries.set(7, { runId: 'r', seq: 3, value: { a: 1 } });
    assert.deepEqual(store.summaries.get(7, 'r'), { runId: 'r', seq: 3, value: { a: 1 } });
    assert.equal(store.summaries.get(7, 'other'), undefined, 'another run with the same key');
    store.summaries.delete(7);
    assert.equal(store.summaries.get(7, 'r'), undefined);
  });

  test('write: a throw rolls every write back; the store stays usable', (t) => {
    const store = freshStore(t, factory);
    assert.throws(
      () =>
        store.write(() => {
          const run = store.runs.insert(newRun());
          store.history.append(run.key, 0, 0, '{}');
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(store.runs.get('p', 'r1'), undefined, 'the run was rolled back');
    assert.equal(store.runs.countInProject('p'), 0);
    assert.equal(store.write(() => store.runs.insert(newRun())).id, 'r1', 'a later write works');
    assert.equal(
      store.write(() => 42),
      42,
      "write returns its function's value",
    );
  });

  test('run queries: projects, a filtered and sorted page, facets, sweep ids, selections', (t) => {
    const store = freshStore(t, factory);
    store.write(() => {
      store.runs.insert(newRun({ id: 'a', displayName: 'Alpha', config: { lr: 3 }, tags: ['x'], now: 1 }));
      store.runs.insert(newRun({ id: 'b', displayName: 'beta', config: { lr: 1 }, tags: ['y'], sweepId: 's1', now: 2 }));
      store.runs.insert(newRun({ id: 'c', displayName: 'gamma', config: {}, tags: ['x', 'y'], sweepId: 's1', now: 3 }));
      store.runs.insert(newRun({ project: 'q', id: 'd', entity: 'team', now: 4 }));
    });
    assert.deepEqual(
      store.runQueries.projects().map((p) => [p.entity, p.project, p.runs, p.running]),
      [
        ['team', 'q', 1, 1],
        ['local', 'p', 3, 3],
      ],
    );
    const scope = { entity: 'local', project: 'p' };
    const byLr = store.runQueries.page(scope, {}, { json: 'config', path: '$."lr"' }, false, 10, 0);
    assert.equal(byLr.total, 3);
    assert.deepEqual(
      byLr.rows.map((r) => r.id),
      ['b', 'a', 'c'],
      'ascending, runs without the value last',
    );
    assert.deepEqual(
      store.runQueries.page(scope, { tag: 'x' }, { column: 'created' }, true, 10, 0).rows.map((r) => r.id),
      ['c', 'a'],
    );
    assert.deepEqual(
      store.runQueries.page(scope, { text: 'ALP' }, { column: 'name' }, false, 10, 0).rows.map((r) => r.id),
      ['a'],
    );
    assert.deepEqual(store.runQueries.page(scope, {}, { column: 'created' }, true, 1, 1), {
      total: 3,
      rows: [{ id: 'b', key: store.runs.get('p', 'b')!.key, duration: 0 }],
    });
    assert.equal(store.runQueries.page({ entity: 'team', project: 'q' }, {}, { column: 'state' }, false, 10, 0).total, 1);
    assert.deepEqual(store.runQueries.tags(scope), ['x', 'y']);
    assert.deepEqual(store.runQueries.states(scope), ['running']);
    assert.deepEqual(
      store.runQueries.facetSample(scope).map((r) => r.id),
      ['c', 'b', 'a'],
    );
    assert.deepEqual(store.runQueries.sweepIds(scope), [{ id: 's1', runs: 2 }]);
    // A sweep's runs (the dashboard's sweep page, a report's selection) and a project's, newest first.
    assert.deepEqual(
      store.sweeps.runs('p', 's1').map((r) => r.id),
      ['b', 'c'],
    );
    // What a sweep's search reads: the same runs in the same order, four columns, the config as stored.
    assert.deepEqual(
      store.sweeps.trials('p', 's1').map((r) => [r.key, r.id, r.state, parseExtended(r.configText)]),
      store.sweeps.runs('p', 's1').map((r) => [r.key, r.id, r.state, r.config]),
    );
    assert.deepEqual(store.sweeps.trials('q', 's1'), []);
    assert.deepEqual(
      store.runs.list('p', -1, 0).map((r) => r.id),
      ['c', 'b', 'a'],
    );
    store.write(() => store.runs.insert(newRun({ id: 'e', config: { x: NaN, y: [Infinity] }, sweepId: 's2', now: 5 })));
    assert.deepEqual(parseExtended(store.sweeps.trials('p', 's2')[0]!.configText), { x: NaN, y: [Infinity] }, 'NaN and Infinity kept');
  });
}
