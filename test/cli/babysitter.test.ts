import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { binPath, tempDir } from '../helpers/tmp.js';

/**
 * The babysitter SDK (a devDependency, pinned to the version the issue was tried with): its CLI, and
 * its entry point for the process file, which defines the skill task with the SDK's own defineTask.
 */
const require = createRequire(import.meta.url);
const sdkDir = dirname(require.resolve('@a5c-ai/babysitter-sdk/package.json'));
const cli = join(sdkDir, 'dist', 'cli', 'main.js');
const sdkEntry = pathToFileURL(join(sdkDir, 'dist', 'index.js')).href;

// A babysitter process: each step of an experiment is a `kind: "skill"` task; a refused call
// reaches the process as a thrown Error it catches.
const PROCESS = `
import sdk from '${sdkEntry}';
const track = sdk.defineTask('wandb-experiment-tracker', (args) => ({
  kind: 'skill',
  title: args.title,
  skill: { name: 'wandb-experiment-tracker', context: args.context },
}));
export async function experiment(inputs, ctx) {
  const project = inputs.project;
  const init = await ctx.task(track, { title: 'init', context: { action: 'init', project, runConfig: { name: 'babysat', config: { lr: 0.01 } } } });
  for (let step = 0; step < 3; step++) {
    await ctx.task(track, { title: 'log ' + step, context: { action: 'log', project, runId: init.runId, logData: { metrics: { loss: 1 / (step + 1) } } } });
  }
  let refused;
  try {
    await ctx.task(track, { title: 'refused', context: { action: 'log', project, runId: 'nosuchrun', logData: { metrics: { loss: 1 } } } });
  } catch (err) {
    refused = { name: err.name, message: err.message };
  }
  const fin = await ctx.task(track, { title: 'finish', context: { action: 'finish', project, runId: init.runId, exitCode: 0 } });
  return { runId: init.runId, refused, state: fin.state, historyLength: fin.historyLength };
}
`;

test('a real babysitter run: init, logs, a refused call the process catches, finish', () => {
  const { dir, cleanup } = tempDir('wandb-skill-babysitter-');
  const env = { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline', WANDB_DIR: dir };
  const bs = (...args: string[]): unknown =>
    JSON.parse(execFileSync(process.execPath, [cli, ...args, '--json'], { cwd: dir, env, encoding: 'utf8' })) as unknown;
  // task:post --status error exits 1 once it has recorded the error (its JSON says so).
  const postError = (...args: string[]): unknown => {
    const r = spawnSync(process.execPath, [cli, 'task:post', ...args, '--status', 'error', '--json'], { cwd: dir, env, encoding: 'utf8' });
    assert.ok(r.stdout.trim() !== '', `task:post printed nothing: ${r.stderr}`);
    return JSON.parse(r.stdout) as unknown;
  };
  try {
    writeFileSync(join(dir, 'process.mjs'), PROCESS);
    writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ project: 'babysat' }));
    const { runDir } = bs(
      'run:create',
      '--process-id',
      'experiment',
      '--entry',
      './process.mjs#experiment',
      '--runs-dir',
      join(dir, 'runs'),
      '--inputs',
      'inputs.json',
    ) as { runDir: string };
    // The worker loop of SKILL.md: iterate, run each pending skill task in its folder, post.
    let status = '';
    const actions: string[] = [];
    for (let round = 0; round < 20; round++) {
      status = (bs('run:iterate', runDir) as { status: string }).status;
      if (status !== 'waiting') break;
      for (const { effectId } of (bs('task:list', runDir, '--pending', '--kind', 'skill') as { tasks: Array<{ effectId: string }> }).tasks) {
        const task = join(runDir, 'tasks', effectId);
        // What the SDK wrote for the worker: the task definition, with the call in skill.context.
        const def = JSON.parse(readFileSync(join(task, 'task.json'), 'utf8')) as { kind: string; skill: { name: string; context: { action: string } } };
        assert.equal(def.kind, 'skill');
        assert.equal(def.skill.name, 'wandb-experiment-tracker');
        actions.push(def.skill.context.action);
        const r = spawnSync(process.execPath, [binPath, '--input', join(task, 'task.json'), '--task-post', task], { cwd: task, env, encoding: 'utf8' });
        if (r.status === 0) bs('task:post', runDir, effectId, '--status', 'ok', '--value', join(task, 'skill-value.json'));
        else assert.ok((postError(runDir, effectId, '--error', join(task, 'skill-error.json')) as { committed?: { resultRef?: string } }).committed?.resultRef);
        // The SDK wrote its result.json; ours sit beside it.
        assert.ok(existsSync(join(task, 'result.json')));
        assert.ok(existsSync(join(task, r.status === 0 ? 'skill-value.json' : 'skill-error.json')));
      }
    }
    assert.equal(status, 'completed');
    const output = JSON.parse(readFileSync(join(runDir, 'state', 'output.json'), 'utf8')) as {
      runId: string;
      refused: { name: string; message: string };
      state: string;
      historyLength: number;
    };
    assert.equal(output.state, 'finished');
    assert.equal(output.historyLength, 3);
    assert.equal(output.refused.name, 'NOT_FOUND');
    assert.match(output.refused.message, /nosuchrun/);
    assert.equal(readdirSync(join(runDir, 'tasks')).length, 6);
    assert.deepEqual(actions, ['init', 'log', 'log', 'log', 'log', 'finish']);
  } finally {
    cleanup();
  }
});
