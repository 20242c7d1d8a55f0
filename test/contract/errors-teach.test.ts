import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import { parseExtended } from '../../src/json/extended-json.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';
import { tempDir, isolated, valid, repoRoot } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

function issues(out: SkillOutput): Array<{ path: string; message: string }> {
  return (out.error?.details?.issues ?? []) as Array<{ path: string; message: string }>;
}

function issueAt(out: SkillOutput, path: string): string {
  const i = issues(out).find((x) => x.path === path);
  assert.ok(i, `an issue at ${path}: ${JSON.stringify(out.error)}`);
  return i.message;
}

test('unknown fields get "did you mean": snake_case, case, typos and top-level misplacements', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = valid(
    await executeSkill(
      {
        action: 'log',
        project: 'p',
        run_id: 'abc',
        metrics: { loss: 1 },
        sweep_config: {},
        logData: { metrics: { a: 1 }, setp: 3, loss: 2 },
        runConfig: { Name: 'x', lr: 0.1 },
      },
      isolated(dir),
    ),
  );
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.match(issueAt(out, 'run_id'), /did you mean "runId"\?/);
  assert.match(issueAt(out, 'metrics'), /did you mean "logData\.metrics"\?/);
  assert.match(issueAt(out, 'sweep_config'), /did you mean "sweepConfig"\?/);
  assert.match(issueAt(out, 'logData.setp'), /did you mean "logData\.step"\?/);
  assert.match(issueAt(out, 'logData.loss'), /did you mean "logData\.metrics\.loss"\?/);
  assert.match(issueAt(out, 'runConfig.Name'), /did you mean "runConfig\.name"\?/);
  assert.match(issueAt(out, 'runConfig.lr'), /did you mean "runConfig\.config\.lr"\?/);
  assert.match(out.error?.message ?? '', /did you mean "runId"/);
  assert.equal(existsSync(join(dir, 'wandb')), false, 'a refused call writes nothing');
});

test("a top-level field is pointed to the action's own object first", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const report = valid(await executeSkill({ action: 'report', project: 'p', format: 'json', metrics: ['loss'] }, isolated(dir)));
  assert.match(issueAt(report, 'format'), /did you mean "reportConfig\.format"\?/);
  assert.match(issueAt(report, 'metrics'), /did you mean "reportConfig\.metrics"\?/);
  const alert = valid(await executeSkill({ action: 'alert', project: 'p', title: 'x' }, isolated(dir)));
  assert.match(issueAt(alert, 'title'), /did you mean "alertConfig\.title"\?/);
  const artifact = valid(await executeSkill({ action: 'artifact', project: 'p', name: 'model', type: 'model' }, isolated(dir)));
  assert.match(issueAt(artifact, 'name'), /did you mean "artifactConfig\.name"\?/);
  const init = valid(await executeSkill({ action: 'init', project: 'p', name: 'r', config: { lr: 1 } }, isolated(dir)));
  assert.match(issueAt(init, 'name'), /did you mean "runConfig\.name"\?/);
  assert.match(issueAt(init, 'config'), /did you mean "runConfig\.config"\?/);
});

test('unknown actions and enum values get "did you mean": initt -> init, Log -> log, Offline -> offline', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  for (const [action, meant] of [
    ['initt', 'init'],
    ['Log', 'log'],
    ['FINISH', 'finish'],
    ['sweeep', 'sweep'],
  ] as const) {
    const out = valid(await executeSkill({ action, project: 'p' }, isolated(dir)));
    assert.equal(out.error?.code, 'INVALID_INPUT');
    assert.match(issueAt(out, 'action'), new RegExp(`did you mean "${meant}"\\?`), action);
  }
  const mode = valid(await executeSkill({ action: 'init', project: 'p', mode: 'Offline' }, isolated(dir)));
  assert.match(issueAt(mode, 'mode'), /did you mean "offline"\?/);
  const far = valid(await executeSkill({ action: 'train', project: 'p' }, isolated(dir)));
  assert.doesNotMatch(issueAt(far, 'action'), /did you mean/, 'no guess when nothing is close');
});

test('a missing action is reported alone and first, with the actions to choose from', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = valid(await executeSkill({ project: 'p', run_id: 'x', metrics: { a: 1 }, logData: { metrics: { a: 1 } } }, isolated(dir)));
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.equal(issues(out).length, 1, JSON.stringify(out.error));
  assert.equal(issues(out)[0]?.path, 'action');
  assert.match(issues(out)[0]?.message ?? '', /is required: one of "init", "log"/);
  const typo = valid(await executeSkill({ Action: 'log', project: 'p' }, isolated(dir)));
  assert.equal(issues(typo).length, 1);
  assert.match(issues(typo)[0]?.message ?? '', /found "Action": did you mean "action"\?/);
});

test('the offline warning is said once per store, and never when the mode was chosen', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const offline = (o: SkillOutput) => (o.warnings ?? []).filter((w) => /running offline/.test(w));
  // Each executeSkill is its own runner, as separate processes are.
  const first = valid(await executeSkill({ action: 'init', project: 'p' }, isolated(dir)));
  assert.equal(offline(first).length, 1, JSON.stringify(first.warnings));
  assert.match(offline(first)[0] ?? '', /`mode` input or WANDB_MODE/, 'it says how to choose the mode');
  const second = valid(await executeSkill({ action: 'log', project: 'p', runId: first.runId as string, logData: { metrics: { a: 1 } } }, isolated(dir)));
  assert.equal(second.status, 'success');
  assert.deepEqual(offline(second), []);
  const third = valid(await executeSkill({ action: 'finish', project: 'p', runId: first.runId as string }, isolated(dir)));
  assert.deepEqual(offline(third), []);

  // A new store is told once; a chosen mode (input or WANDB_MODE) is never warned about.
  const other = tempDir();
  t.after(other.cleanup);
  const chosen = valid(await executeSkill({ action: 'init', project: 'p', mode: 'offline' }, isolated(other.dir)));
  assert.deepEqual(offline(chosen), []);
  const byEnv = valid(await executeSkill({ action: 'init', project: 'p' }, isolated(other.dir, { WANDB_MODE: 'offline' })));
  assert.deepEqual(offline(byEnv), []);
  const unchosen = valid(await executeSkill({ action: 'init', project: 'p' }, isolated(other.dir)));
  assert.equal(offline(unchosen).length, 1);
});

function nested(levels: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

test('10,000-level nesting is INVALID_INPUT naming the path, before anything is written', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = valid(await executeSkill({ action: 'log', project: 'p', logData: { metrics: nested(10_000) as Record<string, unknown> } }, isolated(dir)));
  assert.equal(out.error?.code, 'INVALID_INPUT');
  const issue = issues(out)[0];
  assert.match(issue?.path ?? '', /^logData\.metrics\.a\.a\.a\.a\.a\.a\.…$/);
  assert.match(issue?.message ?? '', /deeper than 64 levels/);
  assert.equal(existsSync(join(dir, 'wandb')), false, 'no store, no run: nothing was written');

  // A cycle is as deep as it gets; arrays count as levels too.
  const cyclic: Record<string, unknown> = { x: 1 };
  cyclic['self'] = cyclic;
  const cyc = valid(await executeSkill({ action: 'log', project: 'p', logData: { metrics: cyclic } }, isolated(dir)));
  assert.equal(cyc.error?.code, 'INVALID_INPUT');
  let arr: unknown = [1];
  for (let i = 0; i < 5000; i++) arr = [arr];
  const deepArr = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { config: { a: arr } } }, isolated(dir)));
  assert.equal(deepArr.error?.code, 'INVALID_INPUT');
  assert.match(issues(deepArr)[0]?.path ?? '', /^runConfig\.config\.a\.0\.0\.0\.0\.0\.…$/);

  // The limit itself is fine: the context, logData and 62 levels of metrics make 64.
  const ok = valid(await executeSkill({ action: 'log', project: 'p', logData: { metrics: nested(62) as Record<string, unknown> } }, isolated(dir)));
  assert.equal(ok.status, 'success', JSON.stringify(ok.error));
  const over = valid(await executeSkill({ action: 'log', project: 'p', logData: { metrics: nested(63) as Record<string, unknown> } }, isolated(dir)));
  assert.equal(over.error?.code, 'INVALID_INPUT');
});

test('extended JSON parses deeply nested text with NaN (no recursion in the parser)', () => {
  const text = '{"a":'.repeat(20_000) + '[NaN, Infinity, -Infinity, "NaN"]' + '}'.repeat(20_000);
  let v = parseExtended(text) as Record<string, unknown>;
  for (let i = 0; i < 20_000; i++) v = v['a'] as Record<string, unknown>;
  assert.deepEqual(v as unknown, [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 'NaN']);
});

test('the CLI answers 10,000-level JSON text with INVALID_INPUT naming the path (with and without NaN)', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  for (const leaf of ['1', 'NaN']) {
    const text = `{"action":"log","project":"p","logData":{"metrics":${'{"m":'.repeat(10_000)}${leaf}${'}'.repeat(10_000)}}}`;
    writeFileSync(join(dir, 'deep.json'), text);
    const r = await runCli(['--input', 'deep.json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const out = valid(JSON.parse(r.stdout) as SkillOutput);
    assert.equal(out.error?.code, 'INVALID_INPUT', leaf);
    assert.match(issues(out)[0]?.path ?? '', /^logData\.metrics\.m\.m/);
    assert.match(out.error?.message ?? '', /deeper than 64 levels/);
  }
  assert.equal(existsSync(join(dir, 'wandb')), false);
});

test("SKILL.md's artifact and link examples work as written, in order, through the CLI", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const skill = readFileSync(join(repoRoot, 'SKILL.md'), 'utf8');
  const logExample = /\n(\{"action": "artifact".*\})\n/.exec(skill)?.[1];
  const linkExample = /`(\{"action":"artifact","operation":"link".*?\})`/.exec(skill)?.[1];
  assert.ok(logExample && linkExample, 'both examples are on the card');
  mkdirSync(join(dir, 'checkpoints'));
  writeFileSync(join(dir, 'checkpoints', 'model.pt'), 'weights');
  const cli = async (json: string) => valid(JSON.parse((await runCli([json], { cwd: dir })).stdout) as SkillOutput);
  const init = await cli('{"action": "init", "project": "ml-experiments", "runConfig": {"name": "resnet-v1"}}');
  const logged = await cli(logExample.replace('k3x9a2bq', init.runId as string));
  assert.equal(logged.status, 'success', JSON.stringify(logged.error));
  const linked = await cli(linkExample);
  assert.equal(linked.status, 'success', JSON.stringify(linked.error));
});
