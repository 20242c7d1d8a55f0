/** The feature families of the store contract (sweeps, alerts, artifacts, reports, sync, ...): see contract.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewSweep, NewVersion, Store } from '../../src/store/index.js';
import { freshStore, newRun, type StoreFactory } from './contract.js';

const newSweep = (over: Partial<NewSweep> = {}): NewSweep => ({
  id: 's1',
  project: 'p',
  entity: null,
  config: { method: 'grid', metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { values: [1, Infinity] } } },
  method: 'grid',
  state: 'RUNNING',
  seed: 's1',
  controller: 'local',
  remoteId: null,
  now: 10,
  ...over,
});

const newVersion = (collectionKey: number, digest: string, over: Partial<NewVersion> = {}): NewVersion => ({
  collectionKey,
  digest,
  manifest: '{"version":1,"contents":{}}',
  size: 3,
  fileCount: 1,
  description: null,
  metadata: { k: 1 },
  createdBy: null,
  clientId: `c-${digest}`,
  now: 20,
  ...over,
});

function twoRuns(store: Store): [number, number] {
  return store.write(() => [store.runs.insert(newRun({ id: 'a', now: 1 })).key, store.runs.insert(newRun({ id: 'b', now: 2 })).key]);
}

export function featureContract(factory: StoreFactory): void {
  test('sweeps: insert and read back, state, suggestions, run ids, stops, owners, project list', (t) => {
    const store = freshStore(t, factory);
    const sweep = store.write(() => store.sweeps.insert(newSweep()));
    store.write(() => store.sweeps.insert(newSweep({ id: 's2', now: 11, method: 'random' })));
    assert.equal(sweep.state, 'RUNNING');
    assert.equal(store.sweeps.get('p', 's1')?.config['parameters'] !== undefined, true);
    assert.deepEqual((store.sweeps.get('p', 's1')?.config['parameters'] as { lr: { values: unknown[] } }).lr.values, [1, Infinity], 'extended JSON');
    assert.equal(store.sweeps.get('q', 's1'), undefined);
    assert.deepEqual(
      store.sweeps.findById('s1').map((s) => s.project),
      ['p'],
    );
    store.write(() => store.sweeps.setState(sweep.key, 'FINISHED', 'grid_exhausted', 12));
    store.write(() => store.sweeps.bumpSuggestions(sweep.key, 12));
    const after = store.sweeps.get('p', 's1');
    assert.deepEqual([after?.state, after?.doneReason, after?.suggestions], ['FINISHED', 'grid_exhausted', 1]);
    assert.deepEqual(store.sweeps.listInProject('p'), [
      { id: 's2', state: 'RUNNING', method: 'random' },
      { id: 's1', state: 'FINISHED', method: 'grid' },
    ]);
    const [a, b] = store.write(() => [
      store.runs.insert(newRun({ id: 'x', sweepId: 's1', now: 5 })).key,
      store.runs.insert(newRun({ id: 'y', sweepId: 's1', now: 6 })).key,
    ]);
    assert.deepEqual(store.sweeps.runIds('p', 's1'), ['x', 'y']);
    assert.equal(
      store.write(() => store.sweeps.markStop(a, sweep.key, 'hyperband', 13)),
      true,
    );
    assert.equal(
      store.write(() => store.sweeps.markStop(a, sweep.key, 'other', 14)),
      false,
      'the first reason wins',
    );
    assert.equal(store.sweeps.stopReason(a), 'hyperband');
    assert.equal(store.sweeps.stopReason(b), undefined);
    store.write(() => store.sweeps.setOwner(b, { host: 'h', pid: 1, agentPid: 2 }, 15));
    assert.deepEqual(store.sweeps.ownedOn('h'), [{ runKey: b, host: 'h', pid: 1, agentPid: 2 }]);
    store.write(() => store.sweeps.clearOwner(b));
    assert.deepEqual(store.sweeps.ownedOn('h'), []);
  });

  test('sweep metrics: scan state and values per run and per sweep', (t) => {
    const store = freshStore(t, factory);
    const sweep = store.write(() => store.sweeps.insert(newSweep()));
    const [a, b] = twoRuns(store);
    assert.equal(store.sweepMetrics.scanState(a), undefined);
    store.write(() => {
      store.sweepMetrics.append(a, sweep.key, 0, 0.5);
      store.sweepMetrics.append(a, sweep.key, 1, 0.25);
      store.sweepMetrics.append(b, sweep.key, 0, 2);
      store.sweepMetrics.saveScan(a, sweep.key, 7, 2);
    });
    assert.deepEqual(store.sweepMetrics.scanState(a), { scannedSeq: 7, count: 2 });
    assert.deepEqual(store.sweepMetrics.values(a), [0.5, 0.25]);
    assert.deepEqual(
      [...store.sweepMetrics.sweepValues(sweep.key)],
      [
        [a, [0.5, 0.25]],
        [b, [2]],
      ],
    );
  });

  test('alerts: raise, suppression clock, newest first, rules (upsert), deliveries', (t) => {
    const store = freshStore(t, factory);
    const [a] = twoRuns(store);
    const alert = { runKey: a, title: 'T', text: 'x', level: 'WARN' as const, waitDuration: 60, ruleId: null, metric: null, value: null, step: null };
    store.write(() => {
      store.alerts.insert({ ...alert, id: 'al1', suppressed: false, createdAt: 100 });
      store.alerts.insert({ ...alert, id: 'al2', suppressed: true, createdAt: 110 });
    });
    assert.equal(store.alerts.lastDelivered(a, 'T'), 100, 'suppressed alerts do not count');
    assert.equal(store.alerts.lastDelivered(a, 'other'), undefined);
    assert.deepEqual(
      store.alerts.forRun(a).map((x) => x.id),
      ['al1', 'al2'],
    );
    assert.equal(store.alerts.get('al2')?.suppressed, true);
    assert.deepEqual(store.alerts.recent(a, 1), [{ title: 'T', text: 'x', level: 'WARN', suppressed: true, createdAt: 110 }]);
    const rule = {
      id: 'ru1',
      runKey: a,
      title: 'nan',
      text: 'loss is NaN',
      level: 'ERROR' as const,
      waitDuration: 0,
      metric: 'loss',
      op: 'nan' as const,
      value: null,
      createdAt: 5,
    };
    assert.equal(store.write(() => store.alerts.upsertRule(rule)).replaced, false);
    const again = store.write(() => store.alerts.upsertRule({ ...rule, id: 'ru2', text: 'changed' }));
    assert.deepEqual([again.replaced, again.rule.id, again.rule.text], [true, 'ru1', 'changed'], 'same title: replaced in place');
    assert.deepEqual(
      store.alerts.rulesFor(a).map((r) => r.metric),
      ['loss'],
    );
    store.write(() => store.alerts.recordDelivery({ alertId: 'al1', channel: 'wandb', ok: false, attempts: 1, error: 'e', status: 500, finishedAt: 101 }));
    store.write(() => store.alerts.recordDelivery({ alertId: 'al1', channel: 'wandb', ok: true, attempts: 2, error: null, status: 200, finishedAt: 102 }));
    assert.deepEqual(store.alerts.deliveries('al1'), [{ alertId: 'al1', channel: 'wandb', ok: true, attempts: 2, error: null, status: 200, finishedAt: 102 }]);
  });

  test('artifacts: collections, versions, aliases, usage, sync state, registry links, and their views', (t) => {
    const store = freshStore(t, factory);
    const [a, b] = twoRuns(store);
    const col = store.write(() => store.artifacts.insertCollection('p', 'data', 'dataset', 20));
    assert.deepEqual(store.artifacts.collection('p', 'data'), col);
    const v0 = store.write(() => store.artifacts.insertVersion(newVersion(col.key, 'd0')));
    const v1 = store.write(() => store.artifacts.insertVersion(newVersion(col.key, 'd1', { now: 21 })));
    assert.deepEqual([v0.versionIndex, v1.versionIndex, store.artifacts.nextIndex(col.key)], [0, 1, 2]);
    assert.deepEqual(store.artifacts.versionByDigest(col.key, 'd1')?.metadata, { k: 1 });
    store.write(() => {
      store.artifacts.setAlias(col.key, 'Best', v0.key);
      store.artifacts.setAlias(col.key, 'best', v1.key);
    });
    assert.equal(store.artifacts.versionByAlias(col.key, 'BEST')?.key, v1.key, 'aliases fold case; the last set wins');
    assert.deepEqual(store.artifacts.aliasesOf(v0.key), []);
    store.write(() => {
      store.artifacts.addUsage(a, v1.key, 'output', 30);
      store.artifacts.addUsage(b, v1.key, 'input', 31, 4);
    });
    assert.deepEqual(
      store.artifacts.usageOfVersion(v1.key).map((u) => [u.runKey, u.direction, u.historyStep]),
      [
        [a, 'output', null],
        [b, 'input', 4],
      ],
    );
    assert.deepEqual(
      store.artifacts.unsentOutputs().map((u) => [u.runKey, u.syncState]),
      [[a, 'local']],
      'new edges are unsent',
    );
    assert.deepEqual(
      store.artifacts.unsentInputs().map((u) => u.runKey),
      [b],
    );
    store.write(() => store.artifacts.setUsageSync(b, v1.key, 'input', 'sent'));
    assert.deepEqual(store.artifacts.unsentInputs(), []);
    assert.equal(store.artifacts.unsentOutputs().length, 1, 'outputs and inputs are separate');
    store.write(() => store.artifacts.setVersionSync(v1.key, 'sent', 'srv1'));
    assert.deepEqual([store.artifacts.version(v1.key)?.syncState, store.artifacts.version(v1.key)?.serverId], ['sent', 'srv1']);
    const link = store.write(() => store.artifacts.addLink('reg', 'models', v1.key, 40));
    assert.equal(store.write(() => store.artifacts.addLink('reg', 'models', v1.key, 41)).key, link.key, 'linking twice is one link');
    store.write(() => store.artifacts.setLinkAlias('reg', 'models', 'prod', link.key));
    assert.equal(store.artifacts.linkByAlias('reg', 'models', 'PROD')?.key, link.key);
    assert.deepEqual(store.artifacts.linkAliases(link.key), ['prod']);
    assert.equal(store.artifacts.linkByIndex('reg', 'models', 0)?.versionKey, v1.key);

    const views = store.artifactViews;
    assert.deepEqual(
      views.ofRun(b).map((r) => [r.direction, r.name, r.versionIndex]),
      [['input', 'data', 1]],
    );
    assert.deepEqual(views.collections('p'), [{ key: col.key, name: 'data', type: 'dataset' }]);
    assert.deepEqual(
      views.versions(col.key).map((v) => v.versionIndex),
      [1, 0],
    );
    assert.equal(views.versionKeyAt('p', 'dataset', 'data', 0), v0.key);
    assert.equal(views.versionKeyAt('p', 'model', 'data', 0), undefined);
    assert.deepEqual([views.versionFacts(v1.key)?.name, views.versionFacts(v1.key)?.metadata], ['data', '{"k":1}']);
    assert.deepEqual(
      views
        .runsOfVersion(v1.key)
        .map((u) => u.runKey)
        .sort(),
      [a, b].sort(),
    );
    assert.deepEqual(views.versionsOfRun(a), [{ versionKey: v1.key, direction: 'output' }]);
    assert.deepEqual(views.runLabel(a), { id: 'a', project: 'p', entity: null, name: 'run one' });
    assert.deepEqual(views.versionLabel(v0.key), { versionIndex: 0, name: 'data', type: 'dataset', project: 'p' });
    assert.deepEqual(
      views.registryLinks('reg').map((l) => [l.portfolio, l.linkIndex, l.type]),
      [['models', 0, 'dataset']],
    );
  });

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
    store.write(() => store.wandbFiles.appendHistory(a, 0, rows));
    assert.deepEqual(store.wandbFiles.historyLines(a, 68, 5), [
      [68, '{"i":68}'],
      [69, '{"i":69}'],
    ]);
    store.write(() => store.wandbFiles.setCreatedAt(a, 50));
    assert.equal(store.runs.getByKey(a)?.createdAt, 50);
    assert.deepEqual(store.wandbFiles.allRunKeys(), [b, a], 'oldest first');
    store.write(() => store.wandbFiles.clearRunContent(a));
    assert.equal(store.history.extent(a), undefined);
  });
}
