import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSkillRunner } from '../../src/index.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { startReceiver } from './receiver.js';

test('online: the alert reaches W&B (notifyScriptableRunAlert, waitDuration in ms) and the webhooks; rules too', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const server = await startWandbServer();
  t.after(() => server.close());
  const hook = await startReceiver();
  t.after(() => hook.close());
  let clock = 1_700_000_000_000;
  const runner = createSkillRunner({
    cwd: dir,
    dir,
    now: () => clock,
    replication: 'sync',
    env: { WANDB_MODE: 'online', WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url, WANDB_SKILL_ALERT_WEBHOOKS: hook.url },
  });
  t.after(() => runner.close());
  const init = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'online-run' } }));
  assert.equal(init.status, 'success', JSON.stringify(init.error));
  const runId = init.runId as string;

  const out = valid(
    await runner.execute({ action: 'alert', project: 'p', runId, alertConfig: { title: 'Online', text: 'hello', level: 'WARN', waitDuration: 90 } }),
  );
  assert.equal(out.status, 'success', JSON.stringify(out.error));
  const channels = Object.fromEntries((out.alert?.deliveries ?? []).map((d) => [d.channel, d.ok]));
  assert.equal(channels['wandb'], true, JSON.stringify(out.alert));
  assert.equal(hook.received.length, 1);
  assert.equal(server.state.alerts.length, 1);
  const sent = server.state.alerts[0]!;
  assert.equal(sent.runName, runId);
  assert.equal(sent.project, 'p');
  assert.equal(sent.title, 'Online');
  assert.equal(sent.severity, 'WARN');
  assert.equal(sent.waitDuration, 90_000);

  // Suppressed locally: W&B is not asked.
  clock += 1000;
  const again = valid(await runner.execute({ action: 'alert', project: 'p', runId, alertConfig: { title: 'Online', text: 'hello', waitDuration: 90 } }));
  assert.equal(again.alert?.suppressed, true);
  assert.equal(server.state.alerts.length, 1);

  // A rule fired by log goes to W&B as well.
  valid(await runner.execute({ action: 'alert', project: 'p', runId, alertConfig: { title: 'NaN', level: 'ERROR', rule: { metric: 'loss', op: 'nan' } } }));
  clock += 1000;
  const logged = valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: NaN } } }));
  assert.equal(logged.alerts?.length, 1);
  assert.equal(server.state.alerts.length, 2);
  assert.equal(server.state.alerts[1]!.severity, 'ERROR');

  // The W&B server failing the mutation: recorded as a failed delivery, the call still succeeds.
  server.fail('graphql:NotifyScriptableRunAlert', { graphqlErrors: ['boom'], times: Infinity });
  clock += 1000;
  const failed = valid(await runner.execute({ action: 'alert', project: 'p', runId, alertConfig: { title: 'Third' } }));
  assert.equal(failed.status, 'success');
  const w = failed.alert?.deliveries.find((d) => d.channel === 'wandb');
  assert.equal(w?.ok, false);
  assert.match(w?.error ?? '', /boom/);
  assert.equal(hook.received.length, 3, 'the webhook still got it');
  assert.deepEqual(server.invalidDocuments, []);
});
