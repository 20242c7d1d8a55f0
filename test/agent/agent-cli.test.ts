import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import Database from 'better-sqlite3';
import { executeSkill } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';
import { AGENT_ENV, startAgent, waitFor, writeTrain } from './helpers.js';

interface AgentSummary {
  status: string;
  reason: string;
  runs: Array<{ runId: string; config: Record<string, unknown>; state: string; exitCode: number | null; stopReason?: string }>;
}

async function createSweep(dir: string, sweepConfig: Record<string, unknown>): Promise<string> {
  const out = valid(await executeSkill({ action: 'sweep', project: 'p', sweepConfig }, isolated(dir, { WANDB_MODE: 'offline' })));
  assert.equal(out.status, 'success', JSON.stringify(out));
  return out.sweepId as string;
}

async function status(dir: string, sweepId: string) {
  return valid(await executeSkill({ action: 'sweep', operation: 'status', sweepId }, isolated(dir, { WANDB_MODE: 'offline' }))).sweep as {
    state: string;
    runs: Array<{ runId: string; state: string; config: Record<string, unknown>; metric: number | null }>;
  };
}

test('agent CLI: runs the program per run with W&B args and env; exit codes finish the runs; --count limits', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeTrain(dir);
  const sweepId = await createSweep(dir, {
    method: 'grid',
    program: 'train.mjs',
    metric: { name: 'loss' },
    parameters: { exit: { values: [0, 1] }, base: { values: [1, 2] }, epochs: { value: 2 } },
  });
  const res = await runCli(['agent', sweepId, '--count', '3', '--poll-ms', '50'], { cwd: dir, env: AGENT_ENV() });
  assert.equal(res.code, 0, res.stderr);
  const summary = JSON.parse(res.stdout) as AgentSummary;
  assert.equal(summary.reason, 'count');
  assert.deepEqual(
    summary.runs.map((r) => [r.config, r.state, r.exitCode]),
    [
      [{ base: 1, epochs: 2, exit: 0 }, 'finished', 0],
      [{ base: 1, epochs: 2, exit: 1 }, 'failed', 1],
      [{ base: 2, epochs: 2, exit: 0 }, 'finished', 0],
    ],
  );
  // The child joined the pre-created run (init with WANDB_RUN_ID) and its logs landed there.
  const s = await status(dir, sweepId);
  assert.deepEqual(
    s.runs.map((r) => [r.runId, r.state, r.metric]),
    summary.runs.map((r) => [r.runId, r.state, (r.config['base'] as number) * 1.5]),
  );
  const events = readFileSync(join(dir, 'events.log'), 'utf8');
  for (const r of summary.runs) {
    const paramPath = join(dir, 'wandb', `sweep-${sweepId}`, `config-${r.runId}.yaml`);
    assert.ok(events.includes(`started ${r.runId} ${sweepId} ${paramPath}`), events);
    assert.deepEqual(parseYaml(readFileSync(paramPath, 'utf8')), {
      base: { value: r.config['base'] },
      epochs: { value: 2 },
      exit: { value: r.config['exit'] },
    });
  }
  // A second agent takes the last grid point, then the sweep is done.
  const rest = await runCli(['agent', sweepId, '--poll-ms', '50'], { cwd: dir, env: AGENT_ENV() });
  const second = JSON.parse(rest.stdout) as AgentSummary;
  assert.deepEqual(
    second.runs.map((r) => [r.config, r.state]),
    [[{ base: 2, epochs: 2, exit: 1 }, 'failed']],
  );
  assert.equal(second.reason, 'grid_exhausted');
});

test('agent CLI: hyperband stops bad runs; their logs answer shouldStop and the agent kills them (SIGTERM, then SIGKILL)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeTrain(dir);
  const sweepId = await createSweep(dir, {
    method: 'grid',
    program: 'train.mjs',
    metric: { name: 'loss', goal: 'minimize' },
    early_terminate: { type: 'hyperband', min_iter: 2 },
    parameters: { case: { values: ['good', 'bad', 'stubborn'] } },
  });
  const started = Date.now();
  const res = await runCli(['agent', sweepId, '--poll-ms', '50', '--kill-delay-ms', '300'], { cwd: dir, env: AGENT_ENV() });
  assert.equal(res.code, 0, res.stderr);
  const summary = JSON.parse(res.stdout) as AgentSummary;
  assert.equal(summary.reason, 'grid_exhausted');
  assert.deepEqual(
    summary.runs.map((r) => [r.config['case'], r.state]),
    [
      ['good', 'finished'],
      ['bad', 'killed'],
      ['stubborn', 'killed'],
    ],
  );
  assert.match(summary.runs[1]?.stopReason ?? '', /hyperband: loss 15 at band 2 is worse than the threshold 1.5/);
  assert.match(summary.runs[2]?.stopReason ?? '', /hyperband: loss 30 at band 2 is worse than the threshold 15/);
  // The bad child died of SIGTERM; the stubborn one ignored it and was SIGKILLed.
  assert.deepEqual(
    summary.runs.map((r) => r.exitCode),
    [0, null, null],
  );
  const events = readFileSync(join(dir, 'events.log'), 'utf8');
  const bad = summary.runs[1]?.runId as string;
  const stubborn = summary.runs[2]?.runId as string;
  // The bad child either saw shouldStop on a log or was already SIGTERMed by the agent's poll (a race
  // the load decides); the stubborn one ignores SIGTERM, so it always logs on and sees it.
  assert.ok(events.includes(`shouldStop ${bad}`) || summary.runs[1]?.state === 'killed', events);
  assert.ok(events.includes(`shouldStop ${stubborn}`), events);
  assert.ok(events.includes('ignored SIGTERM'), events);
  assert.ok(Date.now() - started < 60000);
  const s = await status(dir, sweepId);
  assert.deepEqual(
    s.runs.map((r) => r.state),
    ['finished', 'killed', 'killed'],
  );
});

test('agent CLI: cancelling the sweep kills the running child and ends the agent', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeTrain(dir);
  const sweepId = await createSweep(dir, { method: 'grid', program: 'train.mjs', parameters: { case: { values: ['bad', 'good'] } } });
  const agent = startAgent([sweepId, '--poll-ms', '50', '--kill-delay-ms', '300'], dir, AGENT_ENV());
  const runId = await waitFor(async () => {
    const s = await status(dir, sweepId);
    // Running: the child has joined its run (init turns the pending run into a running one).
    return s.runs.find((r) => r.state === 'running')?.runId;
  });
  const cancelled = valid(await executeSkill({ action: 'sweep', operation: 'cancel', sweepId }, isolated(dir, { WANDB_MODE: 'offline' })));
  assert.deepEqual(cancelled.sweep?.['killedRuns'], [runId]);
  const res = await agent.done;
  assert.equal(res.code, 0, res.stderr);
  const summary = JSON.parse(res.stdout) as AgentSummary;
  assert.deepEqual(
    summary.runs.map((r) => [r.runId, r.state]),
    [[runId, 'killed']],
  );
  assert.equal(summary.reason, 'canceled');
});

test('agent CLI: 3 agents in separate processes on one store never share a suggestion', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeTrain(dir);
  const sweepId = await createSweep(dir, {
    method: 'grid',
    program: 'train.mjs',
    parameters: { base: { values: [1, 2, 3] }, exit: { values: [0, 1] }, epochs: { value: 1 } },
  });
  const agents = [0, 1, 2].map(() => startAgent([sweepId, '--poll-ms', '50'], dir, AGENT_ENV()));
  const results = await Promise.all(agents.map((a) => a.done));
  const runs = results.flatMap((r) => {
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as AgentSummary).runs;
  });
  assert.equal(runs.length, 6);
  assert.equal(new Set(runs.map((r) => JSON.stringify(r.config))).size, 6);
  assert.ok(runs.every((r) => r.state === (r.config['exit'] === 0 ? 'finished' : 'failed')));
});

test('agent CLI: usage errors exit 2; an unknown sweep is a JSON error', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  assert.equal((await runCli(['agent'], { cwd: dir, env: AGENT_ENV() })).code, 2);
  assert.equal((await runCli(['agent', 'abc', '--count', 'x'], { cwd: dir, env: AGENT_ENV() })).code, 2);
  assert.equal((await runCli(['agent', 'abc', '--bogus', '1'], { cwd: dir, env: AGENT_ENV() })).code, 2);
  const missing = await runCli(['agent', 'nosuch00'], { cwd: dir, env: AGENT_ENV() });
  assert.equal(missing.code, 1);
  assert.equal((JSON.parse(missing.stdout) as { error: { code: string } }).error.code, 'NOT_FOUND');
  const bad = await runCli(['agent', 'bad id!'], { cwd: dir, env: AGENT_ENV() });
  assert.equal((JSON.parse(bad.stdout) as { error: { code: string } }).error.code, 'INVALID_INPUT');
  assert.equal(existsSync(join(dir, 'events.log')), false);
});

/** The trial processes an agent recorded for its runs. */
function owners(dir: string): Array<{ runId: string; pid: number; agentPid: number }> {
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT r.id AS runId, o.pid, o.agent_pid AS agentPid FROM sweep_run_owners o JOIN runs r ON r.key = o.run_key').all() as Array<{
      runId: string;
      pid: number;
      agentPid: number;
    }>;
  } finally {
    db.close();
  }
}

test('crashed: a trial killed by a signal nobody sent ends crashed; a trial whose agent and program were both killed is marked crashed by the next status', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeTrain(dir);
  const sweepId = await createSweep(dir, {
    method: 'grid',
    program: 'train.mjs',
    metric: { name: 'loss' },
    parameters: { case: { value: 'bad' }, base: { values: [10, 11] } },
  });
  /** Starts an agent for one run and waits until its program (a child of the agent) has logged. */
  const startLoggingTrial = async () => {
    const agent = startAgent([sweepId, '--count', '1', '--poll-ms', '50'], dir, AGENT_ENV());
    t.after(() => agent.child.kill('SIGKILL'));
    const trial = await waitFor(() => owners(dir).find((o) => o.pid !== o.agentPid));
    await waitFor(async () => ((await status(dir, sweepId)).runs.find((r) => r.runId === trial.runId)?.metric ?? undefined) !== undefined || undefined);
    return { agent, trial };
  };
  // 1. The program dies from SIGKILL (as from the OOM killer); the agent lives and ends the run.
  const { agent: first, trial: one } = await startLoggingTrial();
  process.kill(one.pid, 'SIGKILL');
  const res = await first.done;
  assert.equal(res.code, 0, res.stderr);
  const summary = JSON.parse(res.stdout) as AgentSummary;
  assert.deepEqual(
    summary.runs.map((r) => [r.runId, r.state, r.exitCode]),
    [[one.runId, 'crashed', null]],
  );
  assert.deepEqual(owners(dir), [], 'an ended trial has no owner left');

  // 2. The agent and then its program are killed: nothing ends the run until a later status looks.
  const { agent: second, trial: two } = await startLoggingTrial();
  second.child.kill('SIGKILL');
  await second.done;
  // The agent alone is gone: its program still logs, so the run is not crashed.
  assert.equal((await status(dir, sweepId)).runs.find((r) => r.runId === two.runId)?.state, 'running');
  process.kill(two.pid, 'SIGKILL');
  await waitFor(() => {
    try {
      process.kill(two.pid, 0);
      return undefined;
    } catch {
      return true;
    }
  });
  const out = valid(await executeSkill({ action: 'sweep', operation: 'status', sweepId }, isolated(dir, { WANDB_MODE: 'offline' })));
  const run = (out.sweep as { runs: Array<{ runId: string; state: string }> }).runs.find((r) => r.runId === two.runId);
  assert.equal(run?.state, 'crashed');
  assert.ok(
    out.warnings?.some((w) => w.includes(two.runId) && /crashed/.test(w)),
    JSON.stringify(out.warnings),
  );
  assert.deepEqual(owners(dir), []);
});
