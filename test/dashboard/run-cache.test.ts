// The dashboard server over long runs, through a real server on 127.0.0.1 and a real SQLite store:
// every spike stays in the chart answers (min/max per bucket, equal to the full scan), answers are
// bounded in bytes, the run cache starts over when the run logs a new step and stays inside its
// byte budget, and a run whose downsampled form is missing is folded without holding the event loop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSkillRunner } from '../../src/index.js';
import { openStore, type RunRecord } from '../../src/store/index.js';
import { catchUp } from '../../src/history/fold.js';
import { sampleHistoryByScan } from '../../src/history/sampled.js';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.js';
import { createRunCache } from '../../src/dashboard/run-cache.js';
import { HISTORY_BYTES } from '../../src/dashboard/run-api.js';
import { SERIES_BYTES } from '../../src/dashboard/workspace-api.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { INSERT_LINE_SQL } from '../../src/store/history-layout.js';

const KEYS = Array.from({ length: 12 }, (_, k) => `k${k}`);
const SPIKY_ROWS = 50_000;
const HIGH = { at: 31_337, value: 1e6 };
const LOW = { at: 40_000, value: -1e6 };

/** Inserts a finished run of `rows` rows (`row(i)` gives its metrics) with plain SQL; returns its key. */
function insertRun(path: string, id: string, rows: number, row: (i: number) => Record<string, unknown>): number {
  const db = new Database(path);
  try {
    let key = 0;
    db.transaction(() => {
      const info = db
        .prepare(
          `INSERT INTO runs (project, id, entity, display_name, state, config, summary, summary_seq, tags, created_at, updated_at,
           heartbeat_at, finished_at, step, history_count, segment_start) VALUES ('long', ?, NULL, ?, 'finished', '{}', '{}', 0, '[]', 1, 1, 1, 1, ?, ?, 1)`,
        )
        .run(id, id, rows - 1, rows);
      key = Number(info.lastInsertRowid);
      const insert = db.prepare(INSERT_LINE_SQL);
      for (let i = 0; i < rows; i++) insert.run(key, i, i, JSON.stringify({ ...row(i), _step: i }));
    })();
    return key;
  } finally {
    db.close();
  }
}

const spiky = (i: number): Record<string, number> => {
  const out: Record<string, number> = {};
  for (let k = 0; k < KEYS.length; k++) out[`k${k}`] = Math.sin(i / 300 + k) * 0.123456789 + k;
  if (i === HIGH.at) out['k0'] = HIGH.value;
  if (i === LOW.at) out['k0'] = LOW.value;
  return out;
};

interface Series {
  samples: number;
  series: Array<{
    id: string;
    rows: number;
    bucketRows: number;
    keys: Record<string, { b: number[]; s: number[]; l: number[]; lo?: number[]; hi?: number[] }>;
  }>;
}

describe('the dashboard server over long runs', () => {
  let tmp: ReturnType<typeof tempDir>;
  let storePath: string;
  let dash: Dashboard;
  const keyOf: Record<string, number> = {};
  // Each request on a connection of its own: a pooled one the server closed while idle (keep-alive 5 s, a slow
  // machine) would fail the request, not the server.
  const get = (path: string): Promise<{ status: number; text: string; bytes: number }> =>
    new Promise((ok, fail) => {
      httpGet(dash.url + path, { agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(parts);
          ok({ status: res.statusCode ?? 0, text: buf.toString(), bytes: buf.length });
        });
        res.on('error', fail);
      }).on('error', fail);
    });

  before(async () => {
    tmp = tempDir('dash-long-');
    storePath = join(tmp.dir, 'wandb', 'skill-store.sqlite');
    openStore({ path: storePath }).close();
    for (const id of ['spiky-a', 'spiky-b', 'spiky-c']) keyOf[id] = insertRun(storePath, id, SPIKY_ROWS, spiky);
    // Rows of about 4 kB: 3,000 of them are 12 MB of history text.
    keyOf['wide'] = insertRun(storePath, 'wide', 3000, (i) => ({ loss: i, note: 'x'.repeat(4000) }));
    keyOf['old'] = insertRun(storePath, 'old', 120_000, spiky);
    const store = openStore({ path: storePath });
    for (const id of ['spiky-a', 'spiky-b', 'spiky-c', 'wide']) catchUp(store, keyOf[id] as number); // as the log path keeps it
    store.close();
    dash = await startDashboard({ dir: tmp.dir, port: 0 });
  });
  after(async () => {
    await dash?.close();
    tmp?.cleanup();
  });

  test('chart answers keep every spike: min and max per bucket, equal to the full scan', async () => {
    const r = await get('/api/p/local/long/series?runs=spiky-a&keys=k0,k5&samples=100');
    assert.equal(r.status, 200);
    const body = JSON.parse(r.text) as Series;
    const k0 = body.series[0]?.keys['k0'];
    assert.ok(k0 !== undefined && k0.lo !== undefined && k0.hi !== undefined);
    assert.ok(k0.b.length <= 100 && k0.b.length >= 50, `${k0.b.length} points`);
    assert.equal(Math.max(...k0.hi), HIGH.value);
    assert.equal(Math.min(...k0.lo), LOW.value);
    const store = openStore({ path: storePath });
    try {
      const want = sampleHistoryByScan(store, keyOf['spiky-a'] as number, { keys: ['k0', 'k5'], samples: 100 });
      for (const key of ['k0', 'k5']) {
        const got = body.series[0]?.keys[key];
        const scan = want.series[key] ?? [];
        assert.deepEqual(
          got?.s,
          scan.map((p) => p.lastStep),
          key,
        );
        assert.deepEqual(
          got?.l,
          scan.map((p) => p.last),
          key,
        );
        assert.deepEqual(
          got?.lo,
          scan.map((p) => p.min),
          key,
        );
        assert.deepEqual(
          got?.hi,
          scan.map((p) => p.max),
          key,
        );
      }
    } finally {
      store.close();
    }
    // The Vega-Lite charts draw both extremes too, inside their point budget.
    const charts = JSON.parse((await get('/api/p/local/long/runs/spiky-a/charts?maxPoints=50&metrics=k0')).text) as {
      charts: Array<{ metric: string; spec: { data: { values: Array<{ x: number; y: number }> } } }>;
    };
    const values = charts.charts[0]?.spec.data.values ?? [];
    assert.ok(values.length <= 50, `${values.length} points`);
    assert.ok(values.some((v) => v.y === HIGH.value && v.x >= HIGH.at));
    assert.ok(values.some((v) => v.y === LOW.value && v.x >= LOW.at));
  });

  test('history and series answers are bounded in bytes', async () => {
    const h = await get('/api/p/local/long/runs/wide/history?maxRows=20000');
    assert.equal(h.status, 200);
    assert.ok(h.bytes <= HISTORY_BYTES + 64 * 1024, `history answer ${h.bytes} bytes`);
    const rows = (JSON.parse(h.text) as { rows: Array<{ _step: number }>; every: number }).rows;
    assert.ok(rows.length > 100 && rows.length < 3000, `${rows.length} rows`);
    assert.equal(rows[0]?._step, 0);
    assert.equal(rows.at(-1)?._step, 2999, 'the last row is always there');
    const s = await get(`/api/p/local/long/series?runs=spiky-a,spiky-b,spiky-c&keys=${KEYS.join(',')}&samples=5000`);
    assert.equal(s.status, 200);
    assert.ok(s.bytes <= SERIES_BYTES, `series answer ${s.bytes} bytes`);
    const body = JSON.parse(s.text) as Series;
    assert.equal(body.series.length, 3);
    assert.ok(body.series.every((r) => Object.keys(r.keys).length === KEYS.length && (r.keys['k0']?.b.length ?? 0) > 0));
  });

  test('a run without its downsampled form is folded while small requests are answered', async () => {
    const order: string[] = [];
    const big = get('/api/p/local/long/series?runs=old&keys=k0,k1').then((r) => {
      order.push('series');
      return r;
    });
    await new Promise((ok) => setTimeout(ok, 30));
    const smallTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      assert.equal((await get('/api/p/local/long/runs/wide/status')).status, 200);
      smallTimes.push(performance.now() - t);
      order.push('small');
    }
    const r = await big;
    assert.equal(order[0], 'small', `answered in the order ${order.join(', ')} (small ones took ${smallTimes.map((t) => t.toFixed(0)).join(', ')} ms)`);
    const body = JSON.parse(r.text) as Series;
    const store = openStore({ path: storePath });
    try {
      assert.ok((store.historyBuckets.mark(keyOf['old'] as number)?.folded ?? 0) >= 118_000, 'the run was folded');
      const want = sampleHistoryByScan(store, keyOf['old'] as number, { keys: ['k0'], samples: body.samples });
      const wantHi = (want.series['k0'] ?? []).map((p) => p.max);
      assert.ok(wantHi.length > 0, 'the full scan found k0');
      assert.deepEqual(body.series[0]?.keys['k0']?.hi, wantHi);
    } finally {
      store.close();
    }
  });

  test('the cache starts over when the run logs a new step', async () => {
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: tmp.dir });
    try {
      const init = valid(await runner.execute({ action: 'init', project: 'live', runConfig: { name: 'growing' } }));
      const runId = init.runId as string;
      for (let i = 0; i < 300; i++) valid(await runner.execute({ action: 'log', project: 'live', runId, logData: { metrics: { loss: 1 / (i + 1) } } }));
      const series = `/api/p/local/live/series?runs=${runId}&keys=loss&samples=20`;
      const first = JSON.parse((await get(series)).text) as Series;
      const again = JSON.parse((await get(series)).text) as Series;
      assert.deepEqual(again, first);
      const charts0 = JSON.parse((await get(`/api/p/local/live/runs/${runId}/charts`)).text) as { charts: Array<{ metric: string }> };
      assert.deepEqual(
        charts0.charts.map((c) => c.metric),
        ['loss'],
      );
      // A cache of its own, asked for sampled series alone (no summary read first), follows the run too.
      const store = openStore({ path: storePath });
      const cache = createRunCache(store);
      const before = await cache.sampled(store.runs.get('live', runId) as RunRecord, ['loss'], 20);
      valid(await runner.execute({ action: 'log', project: 'live', runId, logData: { metrics: { loss: 500, fresh: 1 } } }));
      const after_ = await cache.sampled(store.runs.get('live', runId) as RunRecord, ['loss'], 20);
      store.close();
      assert.equal(after_.rows, before.rows + 1);
      assert.equal(after_.keys['loss']?.l.at(-1), 500);
      const next = JSON.parse((await get(series)).text) as Series;
      assert.equal(next.series[0]?.rows, 301);
      assert.equal(next.series[0]?.keys['loss']?.l.at(-1), 500);
      assert.equal(Math.max(...(next.series[0]?.keys['loss']?.hi ?? [])), 500);
      const charts1 = JSON.parse((await get(`/api/p/local/live/runs/${runId}/charts`)).text) as { charts: Array<{ metric: string }> };
      assert.deepEqual(charts1.charts.map((c) => c.metric).sort(), ['fresh', 'loss']);
    } finally {
      runner.close();
    }
  });

  test('the run cache stays inside its byte budget', async () => {
    const store = openStore({ path: storePath });
    try {
      const cache = createRunCache(store, 60_000);
      for (const id of ['spiky-a', 'spiky-b', 'spiky-c']) {
        const run = store.runs.get('long', id);
        assert.ok(run !== undefined);
        const got = await cache.sampled(run, KEYS, 200);
        assert.equal(Object.keys(got.keys).length, KEYS.length);
        assert.ok(cache.size().bytes <= 60_000, `${cache.size().bytes} bytes`);
      }
      assert.ok(cache.size().runs < 3, `${cache.size().runs} runs held`);
      assert.ok(cache.size().bytes > 0);
    } finally {
      store.close();
    }
  });
});
