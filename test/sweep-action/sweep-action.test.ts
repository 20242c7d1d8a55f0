import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill } from '../../src/index.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';
import { GRID, playRun, sweepCaller } from './helpers.js';

test('create returns an 8-character sweep id and a local sweep URL; the default operation with sweepConfig is create', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const out = await call({ action: 'sweep', project: 'p', sweepConfig: GRID });
  assert.equal(out.status, 'success');
  assert.match(out.sweepId ?? '', /^[a-z0-9]{8}$/);
  assert.equal(out.sweepUrl, `http://127.0.0.1:8765/local/p/sweeps/${out.sweepId}`);
  const status = await call({ action: 'sweep', operation: 'status', sweepId: out.sweepId });
  assert.equal(status.sweep?.['state'], 'RUNNING');
  assert.equal(status.sweep?.['method'], 'grid');
  assert.deepEqual(status.sweep?.['runs'], []);
  assert.equal(status.sweep?.['bestRun'], null);
});

test('next hands out the grid in order, status shows runs with their metric and the best run, then done: grid_exhausted', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const { sweepId } = await call({ action: 'sweep', project: 'p', sweepConfig: GRID });
  const seen: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 4; i++) {
    const n = await call({ action: 'sweep', operation: 'next', sweepId });
    assert.equal(n.done, false);
    assert.equal(n.state, 'running');
    assert.equal(n.suggestion?.runId, n.runId);
    const cfg = n.suggestion?.config as { lr: number; hidden: number };
    seen.push(cfg);
    // A finished run counts at its best value, not its last: 1 is logged, then 5.
    await playRun(call, 'p', n.runId as string, 'loss', [cfg.lr * cfg.hidden, 5]);
  }
  assert.deepEqual(seen, [
    { hidden: 8, lr: 0.1 },
    { hidden: 8, lr: 0.01 },
    { hidden: 16, lr: 0.1 },
    { hidden: 16, lr: 0.01 },
  ]);
  const done = await call({ action: 'sweep', operation: 'next', sweepId });
  assert.equal(done.done, true);
  assert.equal(done.doneReason, 'grid_exhausted');
  assert.equal(done.runId, undefined);
  const status = await call({ action: 'sweep', operation: 'status', sweepId });
  const sweep = status.sweep as {
    state: string;
    runs: Array<{ config: unknown; state: string; metric: number }>;
    bestRun: { metric: number; config: unknown };
  };
  assert.equal(sweep.state, 'FINISHED');
  assert.equal(sweep.runs.length, 4);
  assert.ok(sweep.runs.every((r) => r.state === 'finished'));
  assert.deepEqual(
    sweep.runs.map((r) => r.metric),
    [0.8, 0.08, 1.6, 0.16],
  );
  assert.deepEqual(sweep.bestRun.config, { hidden: 8, lr: 0.01 });
  assert.equal(sweep.bestRun.metric, 0.08);
});

test('pause stops handing out runs, resume restarts, stop finishes, cancel kills running runs', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const { sweepId } = await call({ action: 'sweep', project: 'p', sweepConfig: { method: 'random', parameters: { x: { min: 0.0, max: 1.5 } } } });
  const paused = await call({ action: 'sweep', operation: 'pause', sweepId });
  assert.equal(paused.sweep?.['state'], 'PAUSED');
  const blocked = await call({ action: 'sweep', operation: 'next', sweepId });
  assert.deepEqual([blocked.done, blocked.doneReason], [true, 'paused']);
  const resumed = await call({ action: 'sweep', operation: 'resume', sweepId });
  assert.equal(resumed.sweep?.['state'], 'RUNNING');
  const r1 = await call({ action: 'sweep', operation: 'next', sweepId });
  const r2 = await call({ action: 'sweep', operation: 'next', sweepId });
  assert.notEqual(r1.runId, r2.runId);
  assert.notDeepEqual(r1.suggestion?.config, r2.suggestion?.config);
  await call({ action: 'log', project: 'p', runId: r1.runId, logData: { metrics: { loss: 1 }, commit: false } });
  await call({ action: 'finish', project: 'p', runId: r2.runId });

  const cancelled = await call({ action: 'sweep', operation: 'cancel', sweepId });
  assert.equal(cancelled.sweep?.['state'], 'CANCELED');
  assert.deepEqual(cancelled.sweep?.['killedRuns'], [r1.runId]);
  const status = await call({ action: 'sweep', operation: 'status', sweepId });
  const runs = status.sweep?.['runs'] as Array<{ runId: string; state: string }>;
  assert.deepEqual(Object.fromEntries(runs.map((r) => [r.runId, r.state])), { [r1.runId as string]: 'killed', [r2.runId as string]: 'finished' });
  // The killed run's uncommitted row was kept, as finish would keep it.
  const fin = await call({ action: 'finish', project: 'p', runId: r1.runId });
  assert.equal(fin.summary?.['loss'], 1);
  const after = await call({ action: 'sweep', operation: 'next', sweepId });
  assert.deepEqual([after.done, after.doneReason], [true, 'canceled']);
  const log = await executeSkill({ action: 'log', project: 'p', runId: r1.runId, logData: { metrics: { loss: 2 } } }, isolated(dir, { WANDB_MODE: 'offline' }));
  assert.equal(valid(log).error?.code, 'CONFLICT');
  const pause = await call({ action: 'sweep', operation: 'pause', sweepId });
  assert.equal(pause.error?.code, 'CONFLICT');
});

test('stop lets the running run go on and hands out no more runs', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const { sweepId } = await call({ action: 'sweep', project: 'p', sweepConfig: GRID });
  const r1 = await call({ action: 'sweep', operation: 'next', sweepId });
  const stopped = await call({ action: 'sweep', operation: 'stop', sweepId });
  assert.equal(stopped.sweep?.['state'], 'FINISHED');
  const n = await call({ action: 'sweep', operation: 'next', sweepId });
  assert.deepEqual([n.done, n.doneReason], [true, 'stopped']);
  const log = await call({ action: 'log', project: 'p', runId: r1.runId, logData: { metrics: { loss: 0.5 } } });
  assert.equal(log.status, 'success');
  assert.equal(log.shouldStop, undefined);
});

test('run_cap ends the sweep after that many runs', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const { sweepId } = await call({ action: 'sweep', project: 'p', sweepConfig: { method: 'random', run_cap: 2, parameters: { x: { values: [1, 2, 3] } } } });
  assert.equal((await call({ action: 'sweep', operation: 'next', sweepId })).done, false);
  assert.equal((await call({ action: 'sweep', operation: 'next', sweepId })).done, false);
  const third = await call({ action: 'sweep', operation: 'next', sweepId });
  assert.deepEqual([third.done, third.doneReason], [true, 'run_cap']);
});

test('metric.target: once a run reaches it, next is done (target_reached); maximize compares >=', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const { sweepId } = await call({
    action: 'sweep',
    project: 'p',
    sweepConfig: { method: 'random', metric: { name: 'acc', goal: 'maximize', target: 0.9 }, parameters: { x: { min: 0.0, max: 1.5 } } },
  });
  const r1 = await call({ action: 'sweep', operation: 'next', sweepId });
  await playRun(call, 'p', r1.runId as string, 'acc', [0.5, 0.89]);
  const r2 = await call({ action: 'sweep', operation: 'next', sweepId });
  assert.equal(r2.done, false);
  // Still running: the target counts as soon as the history holds it.
  await call({ action: 'log', project: 'p', runId: r2.runId, logData: { metrics: { acc: 0.95 } } });
  const r3 = await call({ action: 'sweep', operation: 'next', sweepId });
  assert.deepEqual([r3.done, r3.doneReason], [true, 'target_reached']);
  const status = await call({ action: 'sweep', operation: 'status', sweepId });
  assert.equal((status.sweep?.['bestRun'] as { runId: string }).runId, r2.runId);
});

test('hyperband: a log to a run worse than the band threshold answers shouldStop, and status shows why', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const config = {
    method: 'grid',
    metric: { name: 'val/loss', goal: 'minimize' },
    early_terminate: { type: 'hyperband', min_iter: 2 },
    parameters: { q: { values: ['good', 'bad', 'also-good'] } },
  };
  const { sweepId } = await call({ action: 'sweep', project: 'p', sweepConfig: config });
  const good = await call({ action: 'sweep', operation: 'next', sweepId });
  const goodLogs = await playRun(call, 'p', good.runId as string, 'val/loss', [1, 0.5, 0.4, 0.3]);
  assert.ok(goodLogs.every((o) => o.shouldStop === undefined));
  const bad = await call({ action: 'sweep', operation: 'next', sweepId });
  const first = await call({ action: 'log', project: 'p', runId: bad.runId, logData: { metrics: { 'val/loss': 9 } } });
  assert.equal(first.shouldStop, undefined, 'before the first band nothing is decided');
  // Rows without the metric do not count toward a band.
  await call({ action: 'log', project: 'p', runId: bad.runId, logData: { metrics: { other: 1 } } });
  const second = await call({ action: 'log', project: 'p', runId: bad.runId, logData: { metrics: { 'val/loss': 8 } } });
  assert.equal(second.shouldStop, true);
  const third = await call({ action: 'log', project: 'p', runId: bad.runId, logData: { metrics: { 'val/loss': 7 } } });
  assert.equal(third.shouldStop, true, 'a stopped run stays stopped');
  const status = await call({ action: 'sweep', operation: 'status', sweepId });
  const runs = status.sweep?.['runs'] as Array<{ runId: string; stopReason?: string }>;
  assert.match(runs.find((r) => r.runId === bad.runId)?.stopReason ?? '', /hyperband: val\/loss 8 at band 2 is worse than the threshold 0.5/);
  assert.equal(runs.find((r) => r.runId === good.runId)?.stopReason, undefined);
  const also = await call({ action: 'sweep', operation: 'next', sweepId });
  const ok = await call({ action: 'log', project: 'p', runId: also.runId, logData: { metrics: { 'val/loss': 0.2 } } });
  const ok2 = await call({ action: 'log', project: 'p', runId: also.runId, logData: { metrics: { 'val/loss': 0.1 } } });
  assert.deepEqual([ok.shouldStop, ok2.shouldStop], [undefined, undefined]);
});

test("hyperband: a runner's first log to a sweep run (the engine not loaded yet) still answers shouldStop when it crosses a band", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const config = {
    method: 'grid',
    metric: { name: 'val/loss', goal: 'minimize' },
    early_terminate: { type: 'hyperband', min_iter: 2 },
    parameters: { q: { values: ['good', 'bad'] } },
  };
  const setup = sweepCaller(dir);
  const { sweepId } = await setup.call({ action: 'sweep', project: 'p', sweepConfig: config });
  const good = await setup.call({ action: 'sweep', operation: 'next', sweepId });
  await playRun(setup.call, 'p', good.runId as string, 'val/loss', [1, 0.5, 0.4, 0.3]);
  const bad = await setup.call({ action: 'sweep', operation: 'next', sweepId });
  await setup.call({ action: 'log', project: 'p', runId: bad.runId, logData: { metrics: { 'val/loss': 9 } } });
  setup.runner.close();
  // A new runner (a new process, as the CLI is): its first sweep-run log crosses band 2.
  const later = sweepCaller(dir);
  t.after(() => later.runner.close());
  const crossing = await later.call({ action: 'log', project: 'p', runId: bad.runId, logData: { metrics: { 'val/loss': 8 } } });
  assert.equal(crossing.status, 'success');
  assert.equal(crossing.shouldStop, true);
  assert.equal(crossing.historyLength, 2, 'the row was committed before the decision');
  const again = await later.call({ action: 'log', project: 'p', runId: bad.runId, logData: { metrics: { 'val/loss': 7 } } });
  assert.equal(again.shouldStop, true, 'decided inside the log from then on');
});

test('bad sweep configs and bad calls give INVALID_INPUT / NOT_FOUND naming the field', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ method: 'grid', parameters: { lr: { min: 0.0, max: 1.5 } } }, 'sweepConfig.parameters.lr'],
    [{ method: 'random', parameters: { lr: { min: 2, max: 1 } } }, 'sweepConfig.parameters.lr'],
    [{ method: 'random', parameters: { opt: { values: ['a', 'b'], probabilities: [0.5, 0.6] } } }, 'sweepConfig.parameters.opt'],
    [{ method: 'bayes', parameters: { lr: { min: 0.0, max: 1.5 } } }, 'sweepConfig.metric'],
    [{ method: 'random', parameters: { lr: { distribution: 'normal', mu: 'x' } } }, 'sweepConfig.parameters.lr'],
  ];
  for (const [sweepConfig, path] of cases) {
    const out = await call({ action: 'sweep', project: 'p', sweepConfig });
    assert.equal(out.error?.code, 'INVALID_INPUT', JSON.stringify(sweepConfig));
    const issues = (out.error?.details?.issues ?? []) as Array<{ path: string }>;
    assert.ok(
      issues.some((i) => i.path.startsWith(path)),
      `${JSON.stringify(issues)} should name ${path}`,
    );
  }
  const schemaBad = await call({ action: 'sweep', project: 'p', sweepConfig: { method: 'annealing', parameters: {} } });
  assert.equal(schemaBad.error?.code, 'INVALID_INPUT');
  const noOp = await call({ action: 'sweep', project: 'p' });
  assert.equal(noOp.error?.details?.issues?.[0]?.path, 'operation');
  const noId = await call({ action: 'sweep', operation: 'next', project: 'p' });
  assert.equal(noId.error?.details?.issues?.[0]?.path, 'sweepId');
  const unknown = await call({ action: 'sweep', operation: 'status', sweepId: 'nosuch00' });
  assert.equal(unknown.error?.code, 'NOT_FOUND');
  const wrongOp = await call({ action: 'sweep', operation: 'lineage', sweepId: 'nosuch00' });
  assert.equal(wrongOp.error?.details?.issues?.[0]?.path, 'operation');
  const deprecated = await call({
    action: 'sweep',
    project: 'p',
    sweepConfig: { method: 'random', parameters: { lr: { distribution: 'log_uniform', min: -5, max: -1 } } },
  });
  // W&B refuses the v1 log forms (min/max as exponents of e) when a sweep is created.
  assert.equal(deprecated.error?.code, 'INVALID_INPUT');
  assert.ok(deprecated.error?.details?.issues?.some((i) => i.path === 'sweepConfig.parameters.lr.distribution' && /log_uniform_values/.test(i.message)));
});

test("a sweep id alone finds the sweep in any project; runs land in the sweep's project", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const { sweepId } = await call({ action: 'sweep', project: 'vision', sweepConfig: GRID });
  const n = await call({ action: 'sweep', operation: 'next', sweepId });
  assert.equal(n.project, 'vision');
  const log = await call({ action: 'log', project: 'vision', runId: n.runId, logData: { metrics: { loss: 1 } } });
  assert.equal(log.status, 'success');
  const wrong = await call({ action: 'sweep', operation: 'next', sweepId, project: 'other' });
  assert.equal(wrong.error?.code, 'NOT_FOUND');
});

test('disabled mode answers valid outputs and writes nothing', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = valid(await executeSkill({ action: 'sweep', mode: 'disabled', sweepConfig: GRID }, isolated(dir)));
  assert.match(out.sweepId ?? '', /^[a-z0-9]{8}$/);
  const next = valid(await executeSkill({ action: 'sweep', mode: 'disabled', operation: 'next', sweepId: out.sweepId }, isolated(dir)));
  assert.equal(next.done, true);
});
