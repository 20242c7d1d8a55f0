import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSkillRunner, type SkillRunner } from '../../src/index.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

function setup(t: { after: (fn: () => void) => void }): { dir: string; runner: SkillRunner } {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  return { dir, runner };
}

async function seed(runner: SkillRunner): Promise<string> {
  const run = valid(await runner.execute({ action: 'init', project: 'p' }));
  const runId = run.runId as string;
  for (let i = 0; i < 3; i++) valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: 1 / (i + 1) } } }));
  return runId;
}

/** A later call from a fresh process-like runner still works on the store. */
async function storeStillWorks(dir: string, runId: string): Promise<void> {
  const again = createSkillRunner(isolated(dir));
  try {
    const out = valid(await again.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: 0.1 } } }));
    assert.equal(out.status, 'success', JSON.stringify(out.error));
    assert.equal(out.step, 3);
  } finally {
    again.close();
  }
}

test("issue 11 item 1: a report never replaces the store, its side files or the tool's data folders", async (t) => {
  const { dir, runner } = setup(t);
  const runId = await seed(runner);
  mkdirSync(join(dir, 'sub'));
  symlinkSync(join(dir, 'wandb'), join(dir, 'linked'));
  linkSync(join(dir, 'wandb', 'skill-store.sqlite'), join(dir, 'hard.json'));
  const paths = [
    'wandb/skill-store.sqlite',
    'wandb/skill-store.sqlite-wal',
    'wandb/skill-store.sqlite-shm',
    'wandb/skill-store.sqlite-journal',
    'sub/../wandb/skill-store.sqlite',
    'WANDB/../wandb/Skill-Store.SQLITE',
    'linked/skill-store.sqlite',
    'hard.json',
    'wandb/runs/r.json',
  ];
  mkdirSync(join(dir, 'wandb', 'runs'), { recursive: true });
  for (const outputPath of paths) {
    for (const overwrite of [false, true]) {
      const out = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { format: 'json', outputPath, overwrite } }));
      assert.equal(out.status, 'error', `${outputPath} overwrite=${overwrite}: ${JSON.stringify(out)}`);
      assert.equal(out.error?.code, 'INVALID_INPUT', outputPath);
      assert.equal(out.error?.details?.issues?.[0]?.path, 'reportConfig.outputPath', outputPath);
    }
  }
  assert.equal(existsSync(join(dir, 'wandb', 'runs', 'r.json')), false);
  assert.deepEqual(
    readdirSync(join(dir, 'wandb')).filter((n) => n.endsWith('.tmp')),
    [],
    'no temp file left behind',
  );
  await storeStillWorks(dir, runId);
});

test('issue 11 item 1: an existing file that is not one of our reports is replaced only with overwrite: true', async (t) => {
  const { dir, runner } = setup(t);
  const runId = await seed(runner);
  writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
  const refused = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { format: 'json', outputPath: 'notes.txt' } }));
  assert.equal(refused.status, 'error');
  assert.equal(refused.error?.code, 'CONFLICT');
  assert.equal(refused.error?.details?.issues?.[0]?.path, 'reportConfig.outputPath');
  assert.match(refused.error?.message ?? '', /notes\.txt/);
  assert.match(refused.error?.message ?? '', /overwrite/);
  assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'my notes\n');

  const replaced = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { format: 'json', outputPath: 'notes.txt', overwrite: true } }));
  assert.equal(replaced.status, 'success', JSON.stringify(replaced.error));
  const doc = JSON.parse(readFileSync(join(dir, 'notes.txt'), 'utf8')) as { runs: Array<{ runId: string }> };
  assert.equal(doc.runs[0]?.runId, runId);

  // Now it is one of our reports: any format replaces it without asking, and an HTML or Markdown
  // report is recognised again afterwards.
  for (const format of ['html', 'markdown', 'json'] as const) {
    const again = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { format, outputPath: 'notes.txt' } }));
    assert.equal(again.status, 'success', `${format}: ${JSON.stringify(again.error)}`);
  }
  await storeStillWorks(dir, runId);
});

test('issue 11 item 13: NUL in outputPath is INVALID_INPUT naming it, and nothing is written', async (t) => {
  const { dir, runner } = setup(t);
  await seed(runner);
  const before = readdirSync(dir).sort();
  const out = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { format: 'html', outputPath: 'a\u0000b.html' } }));
  assert.equal(out.status, 'error');
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.equal(out.error?.details?.issues?.[0]?.path, 'reportConfig.outputPath');
  assert.deepEqual(readdirSync(dir).sort(), before);
});

test("issue 11 item 1 through the CLI: the issue's exact report call is refused and the next call works", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env = { WANDB_MODE: 'offline' };
  const init = await runCli(['{"action":"init","project":"p"}'], { cwd: dir, env });
  const runId = (JSON.parse(init.stdout) as { runId: string }).runId;
  const rep = await runCli(['{"action":"report","project":"p","reportConfig":{"format":"json","outputPath":"wandb/skill-store.sqlite"}}'], { cwd: dir, env });
  const doc = JSON.parse(rep.stdout) as { status: string; error?: { code: string; details?: { issues?: Array<{ path: string }> } } };
  assert.equal(doc.status, 'error');
  assert.equal(doc.error?.code, 'INVALID_INPUT');
  assert.equal(doc.error?.details?.issues?.[0]?.path, 'reportConfig.outputPath');
  const log = await runCli([JSON.stringify({ action: 'log', project: 'p', runId, logData: { metrics: { loss: 1 } } })], { cwd: dir, env });
  assert.equal((JSON.parse(log.stdout) as { status: string }).status, 'success', log.stdout);
});
