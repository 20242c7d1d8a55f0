import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSkillRunner } from '../../src/index.js';
import { tempDir, valid } from '../helpers/tmp.js';

test("a sweep report names the sweep's own best run (best value over the history, not the last)", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir, dir });
  t.after(() => runner.close());
  const created = valid(
    await runner.execute({
      action: 'sweep',
      project: 'p',
      sweepConfig: { method: 'grid', metric: { name: 'loss', goal: 'minimize' }, parameters: { k: { values: [1, 2] } } },
    }),
  );
  const sweepId = created.sweepId as string;
  const curves = [
    [0.1, 0.9], // best 0.1, last 0.9
    [0.5, 0.5], // best and last 0.5
  ];
  const ids: string[] = [];
  for (const curve of curves) {
    const next = valid(await runner.execute({ action: 'sweep', operation: 'next', project: 'p', sweepId }));
    const runId = next.runId as string;
    ids.push(runId);
    for (const loss of curve) valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss } } }));
    valid(await runner.execute({ action: 'finish', project: 'p', runId }));
  }
  const status = valid(await runner.execute({ action: 'sweep', operation: 'status', project: 'p', sweepId }));
  assert.equal((status.sweep?.['bestRun'] as { runId: string }).runId, ids[0]);
  const report = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { title: 's', sweepId, format: 'json' } }));
  assert.equal((report.report?.best as { runId?: string } | undefined)?.runId, ids[0], 'the same best run as sweep status');
  // Its value too: the best over the history (0.1), as the sweep scores it, not its last value (0.9).
  assert.equal((report.report?.best as { value?: number } | undefined)?.value, 0.1);
  const md = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { title: 's', sweepId, format: 'markdown' } }));
  const text = readFileSync(md.report?.path as string, 'utf8');
  assert.match(text, /How runs are scored: a run's value is its best loss over its history \(lowest\)/);
  assert.match(text, /loss \(minimize, best over its history\) \| 0\.1 \|/);
});
