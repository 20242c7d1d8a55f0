import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill } from '../../src/index.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

// A run with 200,000 metrics: finish answers in 2 s with 200 keys, but a markdown report over it
// (no reportConfig.metrics) charted every metric and ran for over 9 minutes before it was killed.
test(
  'review, item 16: a report over a run with hundreds of metrics answers in seconds (it charts a bounded number, saying so)',
  { todo: 'report charts every metric of the run: cost grows with the metric count (600 metrics: ~10 s, 3,000: 47 s, 200,000: > 9 min); needs a chart cap in src/report, larger than a review fix' },
  async (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const o = isolated(dir);
    const metrics: Record<string, number> = {};
    for (let i = 0; i < 600; i++) metrics[`m${i}`] = i;
    const run = valid(await executeSkill({ action: 'init', project: 'p' }, o));
    for (let s = 0; s < 3; s++) valid(await executeSkill({ action: 'log', project: 'p', runId: run.runId, logData: { metrics } }, o));
    const started = Date.now();
    const out = valid(await executeSkill({ action: 'report', project: 'p', reportConfig: { format: 'markdown', outputPath: 'r.md' } }, o));
    const ms = Date.now() - started;
    assert.equal(out.status, 'success', JSON.stringify(out).slice(0, 300));
    assert.ok(ms < 3000, `the report took ${ms} ms`);
  },
);
