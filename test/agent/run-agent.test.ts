import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill } from '../../src/index.js';
import { runAgent } from '../../src/agent/index.js';
import { expandCommand } from '../../src/agent/command.js';
import { SkillError } from '../../src/errors.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';

async function createSweep(dir: string, sweepConfig: Record<string, unknown>): Promise<string> {
  const out = valid(await executeSkill({ action: 'sweep', project: 'p', sweepConfig }, isolated(dir, { WANDB_MODE: 'offline' })));
  return out.sweepId as string;
}

test('runAgent with a function: each trial gets its config and a run to log to; return finishes, throw fails; count limits', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const sweepId = await createSweep(dir, {
    method: 'bayes',
    seed: 3,
    metric: { name: 'loss', goal: 'minimize' },
    parameters: { x: { min: -2.0, max: 2.5 }, kind: { values: ['a', 'b'] } },
  });
  const seen: string[] = [];
  const result = await runAgent({
    ...isolated(dir, { WANDB_MODE: 'offline' }),
    sweepId,
    count: 5,
    fn: async ({ config, run, runId }) => {
      assert.equal(run.id, runId);
      seen.push(runId);
      const x = config['x'] as number;
      for (let i = 0; i < 3; i++) await run.log({ loss: (x - 1) ** 2 + (config['kind'] === 'a' ? 0 : 1) + 1 / (i + 1) });
      if (seen.length === 2) throw new Error('diverged');
    },
  });
  assert.equal(result.reason, 'count');
  assert.deepEqual(
    result.runs.map((r) => r.runId),
    seen,
  );
  assert.deepEqual(
    result.runs.map((r) => r.state),
    ['finished', 'failed', 'finished', 'finished', 'finished'],
  );
  assert.equal(result.runs[1]?.error, 'diverged');
  assert.equal(new Set(result.runs.map((r) => JSON.stringify(r.config))).size, 5);
  const status = valid(await executeSkill({ action: 'sweep', operation: 'status', sweepId }, isolated(dir, { WANDB_MODE: 'offline' })));
  const runs = status.sweep?.['runs'] as Array<{ runId: string; state: string; metric: number }>;
  assert.deepEqual(
    runs.map((r) => r.state),
    ['finished', 'failed', 'finished', 'finished', 'finished'],
  );
  // Finished runs count at their best (the last, 1/3 term) value.
  const best = status.sweep?.['bestRun'] as { runId: string; metric: number };
  assert.equal(best.metric, Math.min(...runs.map((r) => r.metric)));
});

test('runAgent: a trial that hyperband stops sees its signal abort and ends as killed', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const sweepId = await createSweep(dir, {
    method: 'grid',
    metric: { name: 'loss', goal: 'minimize' },
    early_terminate: { type: 'hyperband', min_iter: 2 },
    parameters: { base: { values: [1, 10] } },
  });
  const result = await runAgent({
    ...isolated(dir, { WANDB_MODE: 'offline' }),
    sweepId,
    pollMs: 20,
    fn: async ({ config, run, signal }) => {
      for (let i = 0; i < 50 && !signal.aborted; i++) await run.log({ loss: (config['base'] as number) / (i + 1) });
    },
  });
  assert.equal(result.reason, 'grid_exhausted');
  assert.deepEqual(
    result.runs.map((r) => r.state),
    ['finished', 'killed'],
  );
  assert.match(result.runs[1]?.stopReason ?? '', /hyperband/);
  const history = valid(await executeSkill({ action: 'finish', project: 'p', runId: result.runs[1]?.runId }, isolated(dir, { WANDB_MODE: 'offline' })));
  assert.equal(history.historyLength, 2, 'the trial stopped right after the band');
});

test('runAgent refuses a bad count and an unknown sweep', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  await assert.rejects(
    runAgent({ ...isolated(dir), sweepId: 'abc', count: -1, fn: () => undefined }),
    (e: unknown) => e instanceof SkillError && e.code === 'INVALID_INPUT',
  );
  await assert.rejects(
    runAgent({ ...isolated(dir, { WANDB_MODE: 'offline' }), sweepId: 'nosuch00', fn: () => undefined }),
    (e: unknown) => e instanceof SkillError && e.code === 'NOT_FOUND',
  );
  await assert.rejects(
    runAgent({ ...isolated(dir), sweepId: 'bad id', fn: () => undefined }),
    (e: unknown) => e instanceof SkillError && e.code === 'INVALID_INPUT',
  );
});

test('expandCommand: W&B macros, ${envvar:NAME}, embedded macros left alone, unknown macros dropped', () => {
  const config = { lr: 1e-5, flag: true, opt: { m: 0.9 }, name: "it's" };
  const base = { config, argsJsonFile: () => '/d/config-r.json', env: { HOME_X: '/h' }, platform: 'linux' as const };
  assert.deepEqual(expandCommand({ ...base, program: 'train.py' }), [
    '/usr/bin/env',
    'python',
    'train.py',
    '--lr=1e-05',
    '--flag=True',
    "--opt={'m': 0.9}",
    "--name=it's",
  ]);
  assert.deepEqual(expandCommand({ ...base, program: 'train.py', platform: 'win32' }).slice(0, 2), ['python', 'train.py']);
  assert.deepEqual(expandCommand({ ...base, program: 'train.mjs' })[1], process.execPath);
  assert.deepEqual(
    expandCommand({
      ...base,
      command: ['run', '${args_no_hyphens}', '${args_json}', '${args_json_file}', '${envvar:HOME_X}/x', '${envvar:UNSET_Y}', 'pre${args}', '${nope}', 3],
    }),
    [
      'run',
      'lr=1e-05',
      'flag=True',
      "opt={'m': 0.9}",
      "name=it's",
      '{"lr": 1e-05, "flag": true, "opt": {"m": 0.9}, "name": "it\'s"}',
      '/d/config-r.json',
      '/h/x',
      'UNSET_Y',
      'pre${args}',
      '3',
    ],
  );
  assert.deepEqual(expandCommand({ ...base, command: ['x', '${args_no_equals}'], config: { a: 1 } }), ['x', '--a', '1']);
  assert.throws(
    () => expandCommand({ ...base, command: ['${program}'] }),
    (e: unknown) => e instanceof SkillError && e.details?.issues?.[0]?.path === 'sweepConfig.program',
  );
});
