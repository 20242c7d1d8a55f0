/** The feature families of the store contract (sweeps, sweep metrics, alerts, artifacts): see contract.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewSweep, NewVersion } from '../../src/store/index.js';
import { freshStore, newRun, twoRuns, type StoreFactory } from './contract.js';

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
}
