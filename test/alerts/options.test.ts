import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTracker } from '../../src/index.js';
import { startReceiver } from './receiver.js';
import { tempDir } from '../helpers/tmp.js';

test('webhooks given as a TypeScript option receive alerts, and a NaN loss rule fires once', async (t) => {
  const hook = await startReceiver();
  t.after(() => hook.close());
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const tracker = createTracker({ project: 'a', env: { WANDB_MODE: 'offline' }, cwd: dir, dir, alertWebhooks: [`${hook.url}/pipeline`] });
  t.after(() => tracker.close());
  const run = await tracker.init({ name: 'diverging' });
  const direct = await tracker.execute({ action: 'alert', runId: run.id, alertConfig: { title: 'started', text: 'training began', level: 'INFO' } });
  assert.equal(direct.status, 'success');
  assert.deepEqual(
    direct.alert?.deliveries.map((d) => d.ok),
    [true],
  );
  await tracker.execute({ action: 'alert', runId: run.id, alertConfig: { title: 'loss diverged', level: 'ERROR', rule: { metric: 'loss', op: 'nan' } } });
  const quiet = await run.log({ loss: 0.5 });
  assert.equal(quiet.alerts, undefined);
  const fired = await run.log({ loss: Number.NaN });
  assert.equal(fired.alerts?.length, 1);
  const again = await run.log({ loss: Number.NaN });
  assert.equal(again.alerts, undefined, 'suppressed inside waitDuration');
  assert.equal(hook.received.length, 2);
  assert.match(JSON.stringify(hook.received[1]), /loss diverged/);
});
