/**
 * Issue 11 item 21: sweeps behave as W&B's own engine does where they used to differ (float
 * literals, dict-valued grid points, NaN grid values, validation, the seed, resumed runs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { outputIssues } from '../../src/contract/validate.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { onlineRunner } from '../helpers/online.js';
import { valid } from '../helpers/tmp.js';
import { playRun, sweepCaller } from './helpers.js';

/** Runs the real CLI on one JSON text (written as given, so `0.0` stays `0.0`) and parses its one document. */
async function cli(dir: string, json: string): Promise<Record<string, unknown>> {
  const env = { WANDB_MODE: 'offline', WANDB_SKILL_STORE: join(dir, 'store.sqlite') };
  const res = await runCli([json], { cwd: dir, env });
  const out = JSON.parse(res.stdout.trim()) as Record<string, unknown>;
  assert.deepEqual(outputIssues(out), [], res.stdout);
  return out;
}

test('CLI: {"min": 0.0, "max": 1.0} is W&B\'s uniform (real values drawn, stored as uniform); {"min": 0, "max": 1} warns that int_uniform was inferred', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const created = await cli(dir, '{"action":"sweep","project":"p","sweepConfig":{"method":"random","parameters":{"dropout":{"min": 0.0, "max": 1.0}}}}');
  assert.equal(created['status'], 'success', JSON.stringify(created));
  assert.ok(!((created['warnings'] as string[] | undefined) ?? []).some((w) => /int_uniform/.test(w)));
  const sweepId = created['sweepId'] as string;
  const drawn: number[] = [];
  for (let i = 0; i < 4; i++) {
    const next = await cli(dir, JSON.stringify({ action: 'sweep', operation: 'next', project: 'p', sweepId }));
    drawn.push((next['suggestion'] as { config: { dropout: number } }).config.dropout);
  }
  assert.ok(
    drawn.every((v) => v > 0 && v < 1 && !Number.isInteger(v)),
    `real values in (0, 1), got ${drawn.join(', ')}`,
  );
  const status = await cli(dir, JSON.stringify({ action: 'sweep', operation: 'status', project: 'p', sweepId }));
  const stored = (status['sweep'] as { config: { parameters: { dropout: Record<string, unknown> } } }).config;
  assert.equal(stored.parameters.dropout['distribution'], 'uniform');

  const ints = await cli(dir, '{"action":"sweep","project":"p","sweepConfig":{"method":"random","parameters":{"layers":{"min": 0, "max": 1}}}}');
  assert.equal(ints['status'], 'success');
  const warnings = (ints['warnings'] as string[] | undefined) ?? [];
  assert.ok(
    warnings.some((w) => /sweepConfig\.parameters\.layers/.test(w) && /int_uniform was inferred/.test(w) && /"distribution": "uniform"/.test(w)),
    JSON.stringify(warnings),
  );
});

test('CLI: int_uniform with bounds written as floats (0.0, 3.0) is refused, as W&B refuses it, naming the bound', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = await cli(
    dir,
    '{"action":"sweep","project":"p","sweepConfig":{"method":"grid","parameters":{"k":{"distribution":"int_uniform","min":0.0,"max":3.0}}}}',
  );
  const error = out['error'] as { code: string; details: { issues: Array<{ path: string }> } };
  assert.equal(error?.code, 'INVALID_INPUT', JSON.stringify(out));
  assert.ok(
    error.details.issues.some((i) => i.path === 'sweepConfig.parameters.k.min'),
    JSON.stringify(error.details.issues),
  );
  const ok = await cli(
    dir,
    '{"action":"sweep","project":"p","sweepConfig":{"method":"grid","parameters":{"k":{"distribution":"int_uniform","min":0,"max":3}}}}',
  );
  assert.equal(ok['status'], 'success');
});

test('validation as W&B: scheduler is accepted with any method; the v1 log forms (min/max as exponents) are refused', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const withScheduler = await call({
    action: 'sweep',
    project: 'p',
    sweepConfig: { method: 'grid', scheduler: { engine: 'wandb' }, parameters: { x: { values: [1, 2] } } },
  });
  assert.equal(withScheduler.status, 'success', JSON.stringify(withScheduler));
  for (const distribution of ['log_uniform', 'inv_log_uniform', 'q_log_uniform']) {
    const out = await call({ action: 'sweep', project: 'p', sweepConfig: { method: 'random', parameters: { lr: { distribution, min: -5, max: -1 } } } });
    assert.equal(out.error?.code, 'INVALID_INPUT', distribution);
    assert.ok(
      (out.error?.details?.issues ?? []).some((i) => i.path === 'sweepConfig.parameters.lr.distribution' && /_values/.test(i.message)),
      JSON.stringify(out.error),
    );
  }
});

test("grid: a run whose dict-valued parameter gained keys still covers its point (no repeat), as W&B matches on the grid value's keys", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const sweepConfig = {
    method: 'grid',
    parameters: {
      opt: {
        values: [
          { name: 'adam', lr: 0.1 },
          { name: 'sgd', lr: 0.1 },
        ],
      },
      width: { values: [1] },
    },
  };
  const { sweepId } = await call({ action: 'sweep', project: 'p', sweepConfig });
  const seen: unknown[] = [];
  for (let i = 0; i < 2; i++) {
    const n = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
    assert.equal(n.done, false, JSON.stringify(n));
    const cfg = n.suggestion?.config as { opt: Record<string, unknown> };
    seen.push(cfg.opt);
    // The program fills in its defaults, as wandb.config.update would.
    const update = await call({
      action: 'init',
      project: 'p',
      runConfig: { id: n.runId, resume: 'allow', config: { opt: { ...cfg.opt, betas: [0.9, 0.99], eps: 1e-8 } } },
    });
    assert.equal(update.status, 'success');
    await playRun(call, 'p', n.runId as string, 'loss', [1]);
  }
  assert.deepEqual(seen, [
    { name: 'adam', lr: 0.1 },
    { name: 'sgd', lr: 0.1 },
  ]);
  const done = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
  assert.deepEqual([done.done, done.doneReason], [true, 'grid_exhausted']);
});

test('grid: a NaN (or ±Infinity) grid value stays NaN through storage, the suggestion and the status', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const { sweepId } = await call({
    action: 'sweep',
    project: 'p',
    sweepConfig: { method: 'grid', parameters: { clip: { values: [Number.NaN, Number.POSITIVE_INFINITY, 1] } } },
  });
  const got: unknown[] = [];
  for (let i = 0; i < 3; i++) {
    const n = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
    got.push((n.suggestion?.config as { clip: unknown }).clip);
    await playRun(call, 'p', n.runId as string, 'loss', [1]);
  }
  assert.ok(Number.isNaN(got[0]), `NaN first, got ${String(got[0])}`);
  assert.deepEqual(got.slice(1), [Number.POSITIVE_INFINITY, 1]);
  const done = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
  assert.equal(done.doneReason, 'grid_exhausted', 'the NaN run covers the NaN point');
  const status = await call({ action: 'sweep', operation: 'status', project: 'p', sweepId });
  const values = (status.sweep?.['config'] as { parameters: { clip: { values: unknown[] } } }).parameters.clip.values;
  assert.ok(Number.isNaN(values[0]));
  assert.equal(values[1], Number.POSITIVE_INFINITY);
});

test("online: the sweep config sent to the W&B server never holds this project's seed", async (t) => {
  const { server, runner } = await onlineRunner(t);
  const created = valid(
    await runner.execute({
      action: 'sweep',
      project: 'p',
      sweepConfig: { method: 'random', seed: 'seed-4711', parameters: { dropout: { min: 0.0, max: 0.5 } } },
    }),
  );
  assert.equal(created.status, 'success', JSON.stringify(created));
  const next = valid(await runner.execute({ action: 'sweep', operation: 'next', project: 'p', sweepId: created.sweepId }));
  assert.equal(next.status, 'success', JSON.stringify(next));
  const upserts = server.requests.filter((r) => r.operationName === 'UpsertSweep');
  assert.ok(upserts.length > 0);
  for (const r of server.requests) {
    assert.ok(!JSON.stringify(r.variables ?? {}).includes('seed-4711'), `${r.operationName ?? r.path} sent the seed`);
    assert.ok(!/(^|\n)seed:/.test(String((r.variables as { config?: unknown } | undefined)?.config ?? '')), `${r.operationName ?? ''} sent a seed key`);
  }
});

test('hyperband: a finished run that is resumed and logs again is judged at its latest band, as W&B judges every running run', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const config = {
    method: 'grid',
    metric: { name: 'loss', goal: 'minimize' },
    early_terminate: { type: 'hyperband', min_iter: 2 },
    parameters: { q: { values: ['late', 'good', 'better'] } },
  };
  const { sweepId } = await call({ action: 'sweep', project: 'p', sweepConfig: config });
  // Alone at band 2 it sets the threshold itself (8 is not worse than 8), and finishes unstopped.
  const late = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
  const lateLogs = await playRun(call, 'p', late.runId as string, 'loss', [9, 8, 7]);
  assert.ok(lateLogs.every((o) => o.shouldStop === undefined));
  for (const values of [
    [1, 0.5],
    [1, 0.4],
  ]) {
    const n = await call({ action: 'sweep', operation: 'next', project: 'p', sweepId });
    await playRun(call, 'p', n.runId as string, 'loss', values);
  }
  // Band 2 now holds 0.4, 0.5, 8: the threshold is 0.5. The finished run is not judged...
  const before = await call({ action: 'sweep', operation: 'status', project: 'p', sweepId });
  assert.equal((before.sweep?.['runs'] as Array<{ runId: string; stopReason?: string }>).find((r) => r.runId === late.runId)?.stopReason, undefined);
  // ...until it is resumed and running again: its value 8 at band 2 is worse than 0.5.
  const resumed = await call({ action: 'init', project: 'p', runConfig: { id: late.runId, resume: 'allow' } });
  assert.equal(resumed.state, 'running');
  const again = await call({ action: 'log', project: 'p', runId: late.runId, logData: { metrics: { loss: 6 } } });
  assert.equal(again.shouldStop, true, JSON.stringify(again));
  const status = await call({ action: 'sweep', operation: 'status', project: 'p', sweepId });
  const run = (status.sweep?.['runs'] as Array<{ runId: string; stopReason?: string }>).find((r) => r.runId === late.runId);
  assert.match(run?.stopReason ?? '', /loss 8 at band 2 is worse than the threshold 0.5/);
});
