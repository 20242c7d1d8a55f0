import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import { MAX_DISCOVERED_CHARTS } from '../../src/report/model.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

// A run with 200,000 metrics: finish answers in 2 s with 200 keys, but a markdown report over it
// (no reportConfig.metrics) charted every metric and ran for over 9 minutes before it was killed.
// Now a report charts at most MAX_DISCOVERED_CHARTS metrics it found itself, and says so; metrics
// the caller names are all charted.
test('review, item 16: a report over a run with hundreds of metrics charts a bounded number of them, saying so', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const metrics: Record<string, number> = {};
  for (let i = 0; i < 600; i++) metrics[`m${i}`] = i;
  const run = valid(await executeSkill({ action: 'init', project: 'p' }, o));
  for (let s = 0; s < 3; s++) valid(await executeSkill({ action: 'log', project: 'p', runId: run.runId, logData: { metrics } }, o));
  const out = valid(await executeSkill({ action: 'report', project: 'p', reportConfig: { format: 'markdown', outputPath: 'r.md' } }, o));
  assert.equal(out.status, 'success', JSON.stringify(out).slice(0, 300));
  const md = readFileSync(join(dir, 'r.md'), 'utf8');
  const charts = md.match(/^!\[m\d+\]\(/gm) ?? [];
  assert.equal(charts.length, MAX_DISCOVERED_CHARTS, `${charts.length} metric charts in the markdown report`);
  assert.ok(
    out.warnings?.some((w) => w.includes('600 numeric metrics') && w.includes('reportConfig.metrics')),
    JSON.stringify(out.warnings),
  );
  // Named metrics are the ones charted, wherever they were found.
  const named = Array.from({ length: MAX_DISCOVERED_CHARTS }, (_v, i) => `m${500 + i}`);
  const all = valid(await executeSkill({ action: 'report', project: 'p', reportConfig: { format: 'markdown', outputPath: 'r2.md', metrics: named } }, o));
  assert.equal(all.status, 'success');
  const namedCharts = readFileSync(join(dir, 'r2.md'), 'utf8').match(/^!\[m\d+\]\(/gm) ?? [];
  assert.deepEqual(
    namedCharts,
    named.map((m) => `![${m}](`),
  );
});
