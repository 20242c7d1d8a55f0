import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { createSkillRunner } from '../../src/index.js';
import { runAgent } from '../../src/agent/index.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { onlineRunner } from '../helpers/online.js';

test('online: create is a W&B sweep (YAML config, no seed); next takes runs from the server controller; pause/resume/cancel go to the server', async (t) => {
  const { server, call } = await onlineRunner(t);

  const created = await call({
    action: 'sweep',
    project: 'p',
    sweepConfig: { method: 'grid', seed: 5, metric: { name: 'loss' }, parameters: { lr: { values: [0.1, 0.01] }, depth: { value: 3 } } },
  });
  assert.equal(created.status, 'success', JSON.stringify(created));
  const sweepId = created.sweepId as string;
  const remote = server.state.sweeps.get(sweepId);
  assert.ok(remote, 'the sweep exists on the server under the id the caller got');
  assert.equal(created.sweepUrl, `${server.url}/test-entity/p/sweeps/${sweepId}`);
  const yaml = parseYaml(remote.config) as Record<string, unknown>;
  assert.equal(yaml['method'], 'grid');
  assert.equal(yaml['seed'], undefined, "this project's seed stays local");
  assert.deepEqual((yaml['parameters'] as Record<string, unknown>)['lr'], { distribution: 'categorical', values: [0.1, 0.01] });

  const first = await call({ action: 'sweep', operation: 'next', sweepId, project: 'p' });
  assert.equal(first.done, false, JSON.stringify(first));
  assert.ok(remote.runIds.includes(first.runId as string), "the run id is the server's");
  assert.deepEqual(first.suggestion?.config, { depth: 3, lr: 0.1 });
  const agents = [...server.state.agents.values()];
  assert.equal(agents.length, 1);
  const log = await call({ action: 'log', project: 'p', runId: first.runId, logData: { metrics: { loss: 0.5 } } });
  assert.equal(log.status, 'success');

  const paused = await call({ action: 'sweep', operation: 'pause', sweepId, project: 'p' });
  assert.equal(paused.sweep?.['state'], 'PAUSED');
  assert.equal(remote.state, 'PAUSED');
  const blocked = await call({ action: 'sweep', operation: 'next', sweepId, project: 'p' });
  assert.deepEqual([blocked.done, blocked.doneReason], [true, 'paused']);
  await call({ action: 'sweep', operation: 'resume', sweepId, project: 'p' });
  assert.equal(remote.state, 'RUNNING');

  const second = await call({ action: 'sweep', operation: 'next', sweepId, project: 'p' });
  assert.deepEqual(second.suggestion?.config, { depth: 3, lr: 0.01 });
  assert.equal([...server.state.agents.values()].length, 1, 'one agent per process and sweep');
  const status = await call({ action: 'sweep', operation: 'status', sweepId, project: 'p' });
  assert.deepEqual(
    (status.sweep?.['runs'] as Array<{ runId: string }>).map((r) => r.runId),
    [first.runId, second.runId],
  );
  assert.equal((status.sweep?.['runs'] as Array<{ metric: number | null }>)[0]?.metric, 0.5);

  // The server's grid is exhausted: it finishes the sweep, and next says so.
  const third = await call({ action: 'sweep', operation: 'next', sweepId, project: 'p' });
  assert.deepEqual([third.done, third.doneReason], [true, 'finished']);

  const cancelled = await call({ action: 'sweep', operation: 'cancel', sweepId, project: 'p' });
  assert.equal(remote.state, 'CANCELED');
  assert.deepEqual(cancelled.sweep?.['killedRuns'], [first.runId, second.runId]);
  assert.deepEqual(server.invalidDocuments, []);
});

test('online: a sweep created elsewhere is learnt from the server; runAgent runs its server-scheduled runs; a server stop command stops a run', async (t) => {
  const server = await startWandbServer();
  t.after(() => server.close());
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const other = tempDir();
  t.after(other.cleanup);
  const env = { WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url, WANDB_MODE: 'online' };
  const creator = createSkillRunner({ ...isolated(other.dir, env), replication: 'sync' });
  const created = valid(
    await creator.execute({ action: 'sweep', project: 'p', sweepConfig: { method: 'random', run_cap: 2, parameters: { x: { values: [1, 2, 3] } } } }),
  );
  creator.close();
  const sweepId = created.sweepId as string;

  const seen: Array<{ runId: string; x: unknown; stopped: boolean }> = [];
  const result = await runAgent({
    ...isolated(dir, env),
    replication: 'sync',
    sweepId,
    project: 'p',
    pollMs: 20,
    heartbeatMs: 20,
    fn: async ({ runId, config, signal }) => {
      if (seen.length === 0) {
        // The server tells the agent to stop this run at its next heartbeat.
        server.state.sweeps.get(sweepId)?.commandQueue.push({ type: 'stop', run_id: runId });
        const deadline = Date.now() + 5000;
        while (!signal.aborted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      }
      seen.push({ runId, x: config['x'], stopped: signal.aborted });
    },
  });
  assert.equal(result.runs.length, 2);
  assert.deepEqual(
    result.runs.map((r) => r.state),
    ['killed', 'finished'],
  );
  assert.equal(seen[0]?.stopped, true);
  assert.ok(seen.every((s) => [1, 2, 3].includes(s.x as number)));
  assert.deepEqual(
    server.state.sweeps.get(sweepId)?.runIds,
    seen.map((s) => s.runId),
  );
  assert.equal(result.reason, 'finished');
  assert.deepEqual(server.invalidDocuments, []);
});
