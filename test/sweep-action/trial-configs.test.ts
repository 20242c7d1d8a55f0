import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/index.js';
import { tempDir } from '../helpers/tmp.js';
import { sweepCaller } from './helpers.js';

const THREE = { method: 'grid', metric: { name: 'loss' }, parameters: { lr: { values: [0.1, 0.01, 0.001, 0.0001] } } };

test("next reads a run's config again once its stored text changed (another process rewrote it), not the runner's parsed copy", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const { sweepId } = await call({ action: 'sweep', project: 'p', sweepConfig: THREE });
  const first = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
  assert.deepEqual((first.suggestion as { config: unknown }).config, { lr: 0.1 });
  // This next reads (and keeps) the first run's config.
  const second = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
  assert.deepEqual((second.suggestion as { config: unknown }).config, { lr: 0.01 });
  // Another handle on the same file moves the first run to the grid's third point.
  const other = openStore({ path: first.storePath as string });
  try {
    other.write(() => {
      const run = other.runs.get('p', first.runId as string)!;
      other.runs.saveMeta(run.key, { ...run, config: { lr: 0.001 }, now: run.updatedAt + 1 });
    });
  } finally {
    other.close();
  }
  // The grid's first point is free again; the runner's parsed copy of the old config would hand out 0.001.
  const third = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
  assert.deepEqual((third.suggestion as { config: unknown }).config, { lr: 0.1 });
  const fourth = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
  assert.deepEqual((fourth.suggestion as { config: unknown }).config, { lr: 0.0001 });
});
