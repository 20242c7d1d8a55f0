// The workspace API over HTTP: the run set as the table filters it, sampled series with NaN and
// infinities kept, answers bounded by a point budget, and a cache that follows each run's growth.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSkillRunner } from '../../src/index.js';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.js';
import { POINT_BUDGET, coarsen } from '../../src/dashboard/workspace-api.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { buildWorkspace, type WorkspaceFixture } from './workspace-fixture.js';

interface Series {
  total: number;
  samples: number;
  keys: string[];
  series: Array<{ id: string; rows: number; keys: Record<string, { b: number[]; s: number[]; l: Array<number | string>; lo?: unknown[] }> }>;
}

describe('the workspace API', () => {
  let tmp: ReturnType<typeof tempDir>;
  let fx: WorkspaceFixture;
  let dash: Dashboard;
  const get = async <T>(path: string): Promise<{ status: number; body: T; bytes: number }> => {
    const res = await fetch(dash.url + path);
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as T, bytes: text.length };
  };

  before(async () => {
    tmp = tempDir('dash-series-');
    fx = await buildWorkspace(tmp.dir);
    dash = await startDashboard({ dir: tmp.dir, port: 0 });
  });
  after(async () => {
    await dash?.close();
    tmp?.cleanup();
  });

  test('the workspace lists the run set and the metrics its runs logged', async () => {
    const { body } = await get<{ total: number; runs: Array<{ id: string; groupValue?: unknown }>; metrics: string[] }>(
      '/api/p/local/ws/workspace?groupBy=config.model.arch',
    );
    assert.equal(body.total, 25);
    assert.equal(body.runs.length, 25);
    assert.deepEqual(body.metrics, ['loss', 'lr_now', 'val/acc']);
    assert.deepEqual([...new Set(body.runs.map((r) => r.groupValue))].sort(), [null, 'convnext', 'resnet'].sort());
  });

  test('series keep NaN and Infinity, and every point of a 20-row run', async () => {
    const { body } = await get<Series>(`/api/p/local/ws/series?runs=${fx.nan},${fx.runs[0]}&keys=loss`);
    const nan = body.series.find((s) => s.id === fx.nan);
    assert.deepEqual(nan?.keys['loss']?.l, [1, 2, 'NaN', 'Infinity', 3, 4]);
    assert.equal(body.series.find((s) => s.id === fx.runs[0])?.keys['loss']?.b.length, 20);
  });

  test('filters on config, summary and facts narrow the set; a malformed filter is a 400', async () => {
    const q = (fs: string[]) => fs.map((f) => `f=${encodeURIComponent(f)}`).join('&');
    const count = async (fs: string[]) => (await get<{ total: number }>(`/api/p/local/ws/runs?${q(fs)}`)).body.total;
    assert.equal(await count(['lr < 1e-3']), 8);
    assert.equal(await count(['optimizer = sgd', 'model.arch = convnext']), 6);
    assert.equal(await count(['summary.val/acc > 0.95']), 12);
    assert.equal(await count(['group = resnet', 'job_type = eval']), 4);
    assert.equal(await count(['state = running']), 1);
    const bad = await get<{ error: { code: string } }>(`/api/p/local/ws/runs?${q(['lr <'])}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'INVALID_INPUT');
  });

  test('an answer stays inside the point budget however many samples are asked for', async () => {
    const { body } = await get<Series>('/api/p/local/ws/series?keys=loss,val/acc,lr_now&samples=5000&max=500');
    assert.equal(body.series.length, 25);
    assert.ok(body.samples * 25 * 3 <= POINT_BUDGET, `samples ${body.samples}`);
  });

  test('the cache follows a run as it grows', async () => {
    const path = `/api/p/local/ws/series?runs=${fx.running}&keys=loss`;
    const first = (await get<Series>(path)).body.series[0];
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: tmp.dir });
    valid(await runner.execute({ action: 'log', project: 'ws', runId: fx.running, logData: { metrics: { loss: -1 } } }));
    runner.close();
    const second = (await get<Series>(path)).body.series[0];
    assert.equal(second?.rows, (first?.rows ?? 0) + 1);
    assert.equal(second?.keys['loss']?.l.at(-1), -1);
  });
});

test('an answer halved in memory keeps each pair of buckets: later last value, min and max of the finite values, NaN kept', () => {
  const one = coarsen({ b: [0, 1, 2, 3, 4], s: [0, 1, 2, 3, 4], l: [1, Number.NaN, 3, -1, 5] });
  assert.deepEqual(one, { b: [0, 1, 2], s: [1, 3, 4], l: [Number.NaN, -1, 5], lo: [1, -1, 5], hi: [1, 3, 5] });
  const banded = coarsen({ b: [4, 5, 9], s: [9, 11, 19], l: [2, 3, 7], lo: [1, 0, Number.NaN], hi: [5, 4, Number.NaN] });
  assert.deepEqual(banded, { b: [2, 4], s: [11, 19], l: [3, 7], lo: [0, Number.NaN], hi: [5, Number.NaN] });
  // Two keys of one run still meet on the same bucket indexes.
  assert.deepEqual(coarsen({ b: [1, 3], s: [1, 3], l: [0, 0] }).b, coarsen({ b: [0, 1, 2, 3], s: [0, 1, 2, 3], l: [0, 0, 0, 0] }).b);
});
