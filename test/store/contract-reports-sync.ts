/** The bookkeeping families of the store contract (reports, sync cursors and leases, run files, W&B files, run segments): see contract.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshStore, twoRuns, type StoreFactory } from './contract.js';

export function reportsSyncContract(factory: StoreFactory): void {
  test('reports, panels and notices', (t) => {
    const store = freshStore(t, factory);
    const report = {
      id: 'rep1',
      project: 'p',
      title: 'T',
      format: 'html' as const,
      path: '/x.html',
      url: null,
      viewId: null,
      sweepId: null,
      runIds: ['a'],
      createdAt: 5,
    };
    store.write(() => {
      store.reports.insert(report);
      store.reports.insert({ ...report, id: 'rep2', createdAt: 6 });
    });
    store.write(() => store.reports.setOnline('rep1', 'https://w/r', 'v1'));
    assert.deepEqual(store.reports.get('rep1'), { ...report, url: 'https://w/r', viewId: 'v1' });
    assert.deepEqual(
      store.reports.list('p', 10).map((r) => r.id),
      ['rep2', 'rep1'],
    );
    assert.deepEqual(
      store.reports.list('p', 1).map((r) => r.id),
      ['rep2'],
    );
    store.panels.save({ project: 'p', name: 'one', spec: { mark: 'line' }, createdAt: 1 });
    store.panels.save({ project: 'p', name: 'two', spec: { mark: 'bar' }, createdAt: 2 });
    store.panels.save({ project: 'p', name: 'one', spec: { mark: 'point' }, createdAt: 3 });
    assert.deepEqual(
      store.panels.list('p').map((x) => [x.name, x.spec['mark']]),
      [
        ['one', 'point'],
        ['two', 'bar'],
      ],
      'replaced in place',
    );
    assert.equal(store.notices.firstTime('hello', 1), true);
    assert.equal(store.notices.firstTime('hello', 2), false);
  });

  test('sync cursors, leases, unsent runs; run files', (t) => {
    const store = freshStore(t, factory);
    const [a, b] = twoRuns(store);
    assert.deepEqual(store.sync.unsentRunKeys(), [a, b]);
    const row = store.write(() => store.sync.ensure(a, 'https://api'));
    assert.deepEqual([row.baseUrl, row.historySent, row.filesSent], ['https://api', 0, false]);
    store.write(() => store.sync.update(a, { storageId: 'sid', historySent: 0, filesSent: true, lastError: 'x' }));
    assert.deepEqual([store.sync.get(a)?.storageId, store.sync.get(a)?.filesSent, store.sync.get(a)?.lastError], ['sid', true, 'x']);
    assert.deepEqual(store.sync.unsentRunKeys(), [b], 'a running run with its storage id and no unsent rows is sent');
    assert.equal(
      store.write(() => store.sync.tryLease(a, 'me', 1000, 50)),
      true,
    );
    assert.equal(
      store.write(() => store.sync.tryLease(a, 'you', 1020, 50)),
      false,
      'held by another owner',
    );
    store.write(() => store.sync.release(a, 'me'));
    assert.equal(
      store.write(() => store.sync.tryLease(a, 'you', 1021, 50)),
      true,
    );
    store.write(() => {
      store.runFiles.add(a, 'b.txt', '/b');
      store.runFiles.add(a, 'a.txt', '/a');
      store.runFiles.add(a, 'a.txt', '/other');
    });
    assert.deepEqual(store.runFiles.pending(a, 10), [
      { name: 'a.txt', path: '/a' },
      { name: 'b.txt', path: '/b' },
    ]);
    store.write(() => store.runFiles.markUploaded(a, ['a.txt']));
    assert.deepEqual(store.runFiles.pending(a, 10), [{ name: 'b.txt', path: '/b' }]);
    assert.deepEqual(
      store.wandbFiles.runFiles(a).map((f) => f.name),
      ['a.txt', 'b.txt'],
    );
  });

  test('wandb files: bulk history, start time, clearing a run, every run key', (t) => {
    const store = freshStore(t, factory);
    const [a, b] = twoRuns(store);
    const rows = Array.from({ length: 70 }, (_, i) => ({ step: i, line: JSON.stringify({ i }) }));
    store.write(() => store.wandbFiles.appendHistory(a, 0, { length: rows.length, stepAt: (i) => rows[i]!.step, lineAt: (i) => rows[i]!.line }));
    assert.deepEqual(store.wandbFiles.historyLines(a, 68, 5), [
      [68, '{"i":68}'],
      [69, '{"i":69}'],
    ]);
    store.write(() => store.wandbFiles.setCreatedAt(a, 50));
    assert.equal(store.runs.getByKey(a)?.createdAt, 50);
    assert.deepEqual(store.wandbFiles.allRunKeys(), [b, a], 'oldest first');
    store.write(() => store.runSegments.add(a, { fromSeq: 70, startedAt: 60, startingStep: 70, runtimeBase: 9.5, prevExitCode: 0 }));
    store.write(() => store.wandbFiles.clearRunContent(a));
    assert.equal(store.history.extent(a), undefined);
    assert.deepEqual(store.runSegments.list(a), [], 'replacing a run forgets its segments');
  });

  test('run segments: numbered per run in order, kept apart, cleared', (t) => {
    const store = freshStore(t, factory);
    const [a, b] = twoRuns(store);
    assert.deepEqual(store.runSegments.list(a), [], 'a run never resumed has none');
    store.write(() => {
      store.runSegments.add(a, { fromSeq: 3, startedAt: 20.5, startingStep: 3, runtimeBase: 1.25, prevExitCode: 0 });
      store.runSegments.add(b, { fromSeq: 1, startedAt: 30, startingStep: 7, runtimeBase: 2, prevExitCode: null });
      store.runSegments.add(a, { fromSeq: 8, startedAt: 40, startingStep: 9, runtimeBase: 4, prevExitCode: 2 });
    });
    assert.deepEqual(store.runSegments.list(a), [
      { ord: 1, fromSeq: 3, startedAt: 20.5, startingStep: 3, runtimeBase: 1.25, prevExitCode: 0 },
      { ord: 2, fromSeq: 8, startedAt: 40, startingStep: 9, runtimeBase: 4, prevExitCode: 2 },
    ]);
    assert.deepEqual(store.runSegments.list(b), [{ ord: 1, fromSeq: 1, startedAt: 30, startingStep: 7, runtimeBase: 2, prevExitCode: null }]);
    store.write(() => store.runSegments.clear(a));
    assert.deepEqual(store.runSegments.list(a), []);
    assert.equal(store.runSegments.list(b).length, 1);
  });
}
