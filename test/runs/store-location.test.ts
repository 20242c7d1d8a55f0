import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSkillRunner, executeSkill } from '../../src/index.js';
import type { SkillOptions } from '../../src/skill.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

const storeOf = (dir: string): string => join(dir, 'wandb', 'skill-store.sqlite');

/** A call from `cwd` with nothing naming the store; the walk stops at `home` (the test's own folder). */
const from = (cwd: string, home: string, env: Record<string, string> = {}): SkillOptions => ({ env, cwd, homedir: home });

const madeWarning = (out: { warnings?: string[] }): string | undefined => out.warnings?.find((w) => w.startsWith('created a new store at'));

for (const gitKind of ['folder', 'file'] as const) {
  test(`issue 11 item 6: an orchestrator's 7 tasks, each in its own tasks/<id>/ folder of a git work tree (.git ${gitKind}), use one store and one run`, async (t) => {
    const { dir: root, cleanup } = tempDir();
    t.after(cleanup);
    if (gitKind === 'folder') mkdirSync(join(root, '.git'));
    else writeFileSync(join(root, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
    const task = (id: string): string => {
      const d = join(root, '.a5c', 'runs', 'run-1', 'tasks', id);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const store = storeOf(root);
    const init = valid(await executeSkill({ action: 'init', project: 'orch', runConfig: { name: 'trial' } }, from(task('e1'), root)));
    assert.equal(init.status, 'success', JSON.stringify(init));
    assert.equal(init.storePath, store);
    assert.ok(madeWarning(init)?.includes(store), `the call that makes the store says where: ${JSON.stringify(init.warnings)}`);
    const runId = init.runId as string;
    for (let i = 2; i <= 6; i++) {
      const out = valid(await executeSkill({ action: 'log', project: 'orch', runId, logData: { metrics: { loss: 1 / i } } }, from(task(`e${i}`), root)));
      assert.equal(out.status, 'success', JSON.stringify(out));
      assert.equal(out.runId, runId);
      assert.equal(out.created, undefined, 'no new run');
      assert.equal(out.storePath, store);
      assert.equal(madeWarning(out), undefined, 'only the first call made a store');
    }
    const fin = valid(await executeSkill({ action: 'finish', project: 'orch', runId }, from(task('e7'), root)));
    assert.equal(fin.status, 'success', JSON.stringify(fin));
    assert.equal(fin.historyLength, 5);
    assert.equal(fin.storePath, store);
    for (let i = 1; i <= 7; i++) assert.ok(!existsSync(storeOf(task(`e${i}`))), `no store in tasks/e${i}`);
  });
}

test('issue 11 item 6: the nearest existing store in a parent is used; outside a git work tree a new one is made in the working directory', async (t) => {
  const { dir: root, cleanup } = tempDir();
  t.after(cleanup);
  const project = join(root, 'project');
  const deep = join(project, 'a', 'b');
  mkdirSync(deep, { recursive: true });
  const first = valid(await executeSkill({ action: 'init', project: 'p' }, from(project, root)));
  assert.equal(first.storePath, storeOf(project));
  assert.ok(madeWarning(first)?.includes('WANDB_DIR'), 'no git work tree: the warning tells to set WANDB_DIR');
  const log = valid(await executeSkill({ action: 'log', project: 'p', runId: first.runId as string, logData: { metrics: { x: 1 } } }, from(deep, root)));
  assert.equal(log.status, 'success', JSON.stringify(log));
  assert.equal(log.storePath, storeOf(project));
  assert.equal(madeWarning(log), undefined);
  assert.ok(!existsSync(join(deep, 'wandb')), 'nothing is made in the subfolder');
  // An error answer says which store it looked in too.
  const missing = valid(await executeSkill({ action: 'finish', project: 'p', runId: 'nosuchrun' }, from(deep, root)));
  assert.equal(missing.error?.code, 'NOT_FOUND');
  assert.equal(missing.storePath, storeOf(project));
  // A sibling folder has no store above it (the walk stops at the home folder): a new one, where it runs.
  const sibling = join(root, 'other');
  mkdirSync(sibling);
  const other = valid(await executeSkill({ action: 'init', project: 'p' }, from(sibling, root)));
  assert.equal(other.storePath, storeOf(sibling));
  assert.ok(madeWarning(other));
});

test('issue 11 item 6: the walk stops at the home folder; WANDB_DIR and WANDB_SKILL_STORE are used as given', async (t) => {
  const { dir: root, cleanup } = tempDir();
  t.after(cleanup);
  const home = join(root, 'home');
  const work = join(home, 'work');
  mkdirSync(work, { recursive: true });
  // A store above the home folder is not found from inside it.
  valid(await executeSkill({ action: 'init', project: 'p' }, from(root, root)));
  const inside = valid(await executeSkill({ action: 'init', project: 'p' }, from(work, home)));
  assert.equal(inside.storePath, storeOf(work));
  // The home folder itself is searched.
  const homeStore = valid(await executeSkill({ action: 'init', project: 'p' }, from(home, home)));
  assert.equal(homeStore.storePath, storeOf(home));
  const deeper = join(home, 'elsewhere', 'x');
  mkdirSync(deeper, { recursive: true });
  assert.equal(valid(await executeSkill({ action: 'init', project: 'p' }, from(deeper, home))).storePath, storeOf(home));
  // Named stores win over the walk, and are not announced as new.
  const pinned = join(root, 'pinned');
  const byDir = valid(await executeSkill({ action: 'init', project: 'p' }, from(work, home, { WANDB_DIR: pinned })));
  assert.equal(byDir.storePath, storeOf(pinned));
  assert.equal(madeWarning(byDir), undefined);
  const file = join(root, 'own.sqlite');
  assert.equal(valid(await executeSkill({ action: 'init', project: 'p' }, from(work, home, { WANDB_SKILL_STORE: file }))).storePath, file);
});

test('issue 11 item 6: a runner in a loop says it made the store once, and every output names it', async (t) => {
  const { dir: root, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(from(root, root));
  t.after(() => runner.close());
  const init = valid(await runner.execute({ action: 'init', project: 'p' }));
  assert.ok(madeWarning(init));
  for (let i = 0; i < 3; i++) {
    const out = valid(await runner.execute({ action: 'log', project: 'p', runId: init.runId as string, logData: { metrics: { i } } }));
    assert.equal(out.storePath, storeOf(root));
    assert.equal(madeWarning(out), undefined);
  }
  const bad = valid(await runner.execute({ action: 'alert', project: 'p', alertConfig: { title: 't' } }));
  assert.equal(bad.status, 'error');
  assert.equal(bad.storePath, storeOf(root));
});

test('issue 11 item 6: through the CLI, tasks run from tasks/<id>/ folders of a git work tree share one store and one run', async (t) => {
  const { dir: root, cleanup } = tempDir();
  t.after(cleanup);
  mkdirSync(join(root, '.git'));
  const env = { HOME: root, WANDB_MODE: 'offline' };
  const call = async (id: string, input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const cwd = join(root, 'runs', 'r1', 'tasks', id);
    mkdirSync(cwd, { recursive: true });
    const res = await runCli([JSON.stringify(input)], { cwd, env });
    return JSON.parse(res.stdout) as Record<string, unknown>;
  };
  const init = await call('t1', { action: 'init', project: 'p' });
  assert.equal(init['status'], 'success', JSON.stringify(init));
  const runId = init['runId'] as string;
  for (const id of ['t2', 't3']) {
    const out = await call(id, { action: 'log', project: 'p', runId, logData: { metrics: { x: 1 } } });
    assert.equal(out['status'], 'success', JSON.stringify(out));
    assert.equal(out['storePath'], storeOf(root));
  }
  const fin = await call('t4', { action: 'finish', project: 'p', runId });
  assert.equal(fin['historyLength'], 2, JSON.stringify(fin));
  assert.equal(fin['storePath'], storeOf(root));
});
