import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type Store } from '../../src/store/index.js';
import { createSkillRunner } from '../../src/index.js';
import { createHistoryReader, discoverOver } from '../../src/actions/report/history.js';
import { flatValues, needlesFor } from '../../src/actions/report/flat-values.js';
import { planSampled, readSampled } from '../../src/actions/report/sampled-history.js';
import { buildReportModel, type ReportRun, type ReportSeries } from '../../src/report/index.js';
import { extractSeries } from '../../src/report/extract.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { INSERT_LINE_SQL } from '../../src/store/history-layout.js';

const N = 30_000; // above the 20,000-row streaming threshold
const SPIKE_AT = 12_347; // not on the discovery sample's stride (15)

/** One run of N rows written with direct SQL: a spike, a NaN, a nested row, a string value, a media row. */
function seedLongRun(store: Store): number {
  const now = 1_700_000_000;
  const db = new Database(store.path);
  const key = Number(
    db
      .prepare(
        `INSERT INTO runs (project, id, display_name, state, config, summary, created_at, updated_at, heartbeat_at, step, history_count, segment_start)
        VALUES ('p', 'longrun1', 'long', 'finished', '{"lr":0.1}', '{"loss":0.123}', ?, ?, ?, ?, ?, ?)`,
      )
      .run(now, now, now, N, N, now).lastInsertRowid,
  );
  const ins = db.prepare(INSERT_LINE_SQL);
  db.transaction(() => {
    for (let i = 0; i < N; i++) {
      let line = JSON.stringify({ loss: 1 / (1 + i / 100), acc: i / N, _step: i, _runtime: i / 10, _timestamp: now + i / 10 });
      if (i === SPIKE_AT) line = JSON.stringify({ loss: 1000, acc: i / N, _step: i, _runtime: i / 10, _timestamp: now + i / 10 });
      if (i === 20_001) line = `{"loss":NaN,"acc":0.5,"_step":${i},"_runtime":1,"_timestamp":${now}}`;
      if (i === 20_002) line = JSON.stringify({ loss: 0.25, train: { acc: 0.75 }, _step: i, _runtime: 1, _timestamp: now });
      if (i === 20_003) line = JSON.stringify({ loss: 'n/a', acc: 0.5, _step: i, _runtime: 1, _timestamp: now });
      if (i === 20_004)
        line = JSON.stringify({ loss: 0.2, hist: { _type: 'histogram', values: [1, 2], bins: [0, 1, 2] }, _step: i, _runtime: 1, _timestamp: now });
      if (i === N - 1) line = JSON.stringify({ loss: 0.123, acc: 1, _step: i, _runtime: 1, _timestamp: now });
      ins.run(key, i, i, line);
    }
  })();
  db.close();
  return key;
}

test('a long history is streamed into series equal to the ones from every parsed row; the spike and last point survive', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const store = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
  t.after(() => store.close());
  const key = seedLongRun(store);
  const metrics = ['loss', 'acc', 'train.acc'];

  const streamed = createHistoryReader(store.history);
  assert.equal(streamed.isLong(key), true);
  const sample = streamed.discoveryRows(key);
  assert.ok(sample.length < 2_100, `a sample, not the whole history (${sample.length})`);
  assert.ok(!sample.some((r) => r['_step'] === SPIKE_AT), 'the spike is not in the SQL stride sample');
  const got = streamed.read(key, metrics, '_step');
  assert.equal(got.columns?.rows, N);
  assert.ok(
    got.history.some((r) => r['_step'] === 20_004),
    'the media row is kept',
  );
  assert.equal(got.history.at(-1)?.['_step'], N - 1, 'the last row is kept');

  const whole = createHistoryReader(store.history, { streamAbove: Number.MAX_SAFE_INTEGER }).read(key, metrics, '_step');
  assert.equal(whole.history.length, N);
  const expected = extractSeries({ runId: 'x', name: 'x', state: 'finished', config: {}, summary: {}, history: whole.history }, metrics, '_step');
  for (const m of metrics) {
    const a = got.columns?.series.get(m);
    const b = expected.get(m);
    assert.ok(a && b, m);
    assert.equal(a.nonFinite, b.nonFinite, `${m} nonFinite`);
    assert.deepEqual(Array.from(a.xs), Array.from(b.xs), `${m} xs`);
    assert.deepEqual(Array.from(a.ys), Array.from(b.ys), `${m} ys`);
  }
  assert.equal(got.columns?.series.get('loss')?.nonFinite, 1);
  assert.deepEqual(Array.from(got.columns?.series.get('train.acc')?.ys ?? []), [0.75]);

  // Downsampled for a chart, the spike and the last point are still there.
  const run: ReportRun = {
    runId: 'longrun1',
    name: 'long',
    state: 'finished',
    config: {},
    summary: {},
    history: got.history,
    ...(got.columns ? { columns: got.columns } : {}),
  };
  const model = buildReportModel(
    { title: 't', project: 'p', generatedAt: '2024-01-01T00:00:00Z', runs: [run], metrics: ['loss'] },
    { maxPoints: 100, maxImageBytes: 1e6, maxTableRows: 5 },
  );
  const line = model.lineCharts[0]?.line?.lines[0];
  assert.ok(line !== undefined && line.label === 'long');
  const values = Array.from(line.xs, (x, i) => ({ x, y: line.ys[i] as number }));
  assert.ok(values.length <= 100);
  assert.ok(
    values.some((p) => p.x === SPIKE_AT && p.y === 1000),
    'spike kept',
  );
  assert.deepEqual(values.at(-1), { x: N - 1, y: 0.123 });
  assert.equal(model.series.get('longrun1')?.['loss']?.max, 1000);
});

test('the report action over a streamed run: history length, spike, NaN count and media in the JSON report', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const store = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
  seedLongRun(store);
  store.close();
  const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir, dir });
  t.after(() => runner.close());
  const out = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { format: 'json', title: 'long' } }));
  assert.equal(out.status, 'success', JSON.stringify(out.error));
  // By step, the metrics are the fold's keys: train.acc, logged once, is among them.
  assert.deepEqual(out.report?.['metrics'], ['loss', 'acc', 'train.acc']);
  const doc = JSON.parse(readFileSync(out.report!.path, 'utf8')) as {
    runs: Array<{
      historyLength: number;
      series: Record<string, { points: number; max: number; last: number; nonFinite: number }>;
      media: Array<{ key: string }>;
    }>;
  };
  const r = doc.runs[0]!;
  assert.equal(r.historyLength, N);
  assert.equal(r.series['loss']?.max, 1000);
  assert.equal(r.series['loss']?.last, 0.123);
  assert.equal(r.series['loss']?.nonFinite, 1);
  assert.equal(r.series['loss']?.points, N - 2); // the NaN and the string are not points
  assert.deepEqual(
    r.media.map((m) => m.key),
    ['hist'],
  );
});

test('flatValues reads flat lines and refuses anything JSON.parse must decide', () => {
  const needles = needlesFor(['_step', 'loss', 'acc']);
  const out: unknown[] = [];
  assert.equal(flatValues('{"loss":1.5e-3,"_step":7,"acc":true}', needles, out), true);
  assert.deepEqual(out, [7, 0.0015, null]);
  assert.equal(flatValues('{"loss":NaN,"_step":1,"acc":-Infinity}', needles, out), true);
  assert.ok(Number.isNaN(out[1]));
  assert.equal(out[2], -Infinity);
  assert.equal(flatValues('{"_step":1}', needles, out), true);
  assert.deepEqual(out, [1, undefined, undefined]);
  // A key's text inside a string value is escaped, so it is never taken for the key.
  assert.equal(flatValues('{"note":"x\\"loss\\":3","_step":1}', needles, out), true);
  assert.deepEqual(out, [1, undefined, undefined]);
  for (const line of ['{"a":{"loss":2},"_step":1}', '{"loss" :2,"_step":1}', '{"loss":"2","_step":1}', '{"v":[1],"_step":1}', '{"loss":,"_step":1}']) {
    assert.equal(flatValues(line, needles, out), false, line);
  }
});

test('long runs read by the worker thread give the same series as reading them here', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const store = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
  t.after(() => store.close());
  const now = 1_700_000_000;
  const keys: number[] = [];
  const db = new Database(store.path);
  for (let r = 0; r < 3; r++) {
    const key = Number(
      db
        .prepare(
          `INSERT INTO runs (project, id, display_name, state, config, summary, created_at, updated_at, heartbeat_at, step, history_count, segment_start)
          VALUES ('p', ?, ?, 'finished', '{}', '{}', ?, ?, ?, 3000, 3000, ?)`,
        )
        .run(`w${r}`, `w${r}`, now + r, now, now, now).lastInsertRowid,
    );
    const ins = db.prepare(INSERT_LINE_SQL);
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) ins.run(key, i, i, JSON.stringify({ loss: (r + 1) / (i + 1) + (i === 777 ? 50 : 0), _step: i, t: i / 10 }));
    })();
    keys.push(key);
  }
  db.close();
  const { buildReportData } = await import('../../src/actions/report/data.js');
  const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir, dir });
  t.after(() => runner.close());
  const options = { streamAbove: 1000, sampleRows: 100, chunkRows: 500 };
  const data = await runner.withContext({ action: 'report', project: 'p' }, async (ctx, s) =>
    buildReportData(
      ctx,
      s,
      keys.map((k) => s.runs.getByKey(k)!),
      // Charted by another key than _step: long runs are streamed (by step they read the sampled form).
      { metrics: ['loss'], xAxis: 't' },
      'w',
      options,
    ),
  );
  const reader = createHistoryReader(store.history, options);
  for (const [i, key] of keys.entries()) {
    const here = reader.read(key, ['loss'], 't').columns?.series.get('loss');
    const there = data.runs[i]?.columns?.series.get('loss');
    assert.ok(here && there, `run ${i} has a streamed series`);
    assert.deepEqual(there, here, `run ${i}: the same series whichever thread read it`);
  }
});

test('a long run charted by step reads the downsampled history: spike at its step, last point, counts and media as the full read', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const store = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
  t.after(() => store.close());
  const key = seedLongRun(store);
  const metrics = ['loss', 'acc', 'train.acc'];
  const reader = createHistoryReader(store.history);
  const full = reader.read(key, metrics, '_step');
  // No buckets yet (rows written with SQL): the plan catches them up, then the read answers from them.
  const plan = planSampled(store, key, N - 1);
  // The keys come from the fold's record, in first-logged order: train.acc, logged once at row
  // 20,002, is found (a stride sample of the rows misses it), the histogram's numbers are not metrics.
  assert.deepEqual(plan.keys, ['loss', 'acc', 'train.acc']);
  assert.deepEqual(discoverOver([reader.discoveryRows(key)]), ['loss', 'acc'], 'the sample misses it');
  const got = readSampled(store, key, metrics, plan, 1000);
  assert.ok((store.historyBuckets.mark(key)?.folded ?? 0) >= N - 256);
  assert.equal(got.columns?.rows, N);
  for (const m of metrics) {
    const a = got.columns?.series.get(m);
    const b: ReportSeries | undefined = full.columns?.series.get(m);
    assert.ok(a && b, m);
    assert.ok(a.xs.length <= 3000, `${m}: a sample (${a.xs.length} points)`);
    assert.equal(a.count, b.ys.length, `${m}: every finite value counted`);
    assert.equal(a.nonFinite, b.nonFinite, `${m} nonFinite`);
    assert.equal(Math.max(...a.ys), Math.max(...b.ys), `${m} max`);
    assert.equal(Math.min(...a.ys), Math.min(...b.ys), `${m} min`);
    assert.equal(a.xs.at(-1), b.xs.at(-1), `${m}: ends where the run ends`);
    assert.equal(a.ys.at(-1), b.ys.at(-1));
    // Every sampled point is a real (step, value) pair of the history.
    const at = new Map(Array.from(b.xs, (x, i) => [x, b.ys[i]]));
    a.xs.forEach((x, i) => assert.equal(at.get(x), a.ys[i], `${m} at step ${x}`));
  }
  const loss = got.columns?.series.get('loss');
  assert.ok(loss !== undefined && Array.from(loss.xs).some((x, i) => x === SPIKE_AT && loss.ys[i] === 1000), 'the spike at its step');
  assert.ok(
    got.history.some((r) => r['_step'] === 20_004),
    'the media row is found without a scan',
  );
});
