import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSkillRunner, executeSkill } from '../../src/index.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { startReceiver } from './receiver.js';
import { db, setup, initRun } from './alert-setup.js';

test('a rule fires once through log, stays quiet inside waitDuration, fires again after it', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const hook = await startReceiver();
  t.after(() => hook.close());
  const { clock, options } = setup(dir, { WANDB_SKILL_ALERT_WEBHOOKS: `${hook.url}/w` });
  const runner = createSkillRunner(options);
  t.after(() => runner.close());
  const runId = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'train' } })).runId as string;
  const reg = valid(
    await runner.execute({
      action: 'alert',
      project: 'p',
      runId,
      alertConfig: { title: 'Loss exploded', text: 'loss above 5', level: 'ERROR', waitDuration: 300, rule: { metric: 'loss', op: '>', value: 5 } },
    }),
  );
  assert.equal(reg.alert?.['registered'], true);
  assert.deepEqual(reg.alert?.deliveries, []);
  assert.match(String(reg.alert?.['note']), /loss > 5/);
  assert.equal(hook.received.length, 0, 'registering sends nothing');

  const log = async (loss: number) => {
    clock.now += 10_000;
    return valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss } } }));
  };
  assert.equal((await log(1)).alerts, undefined);
  assert.equal((await log(4.9)).alerts, undefined);
  const fired = await log(7.5);
  assert.equal(fired.alerts?.length, 1);
  const f = fired.alerts?.[0] as Record<string, unknown>;
  assert.equal(f['title'], 'Loss exploded');
  assert.equal(f['metric'], 'loss');
  assert.equal(f['value'], 7.5);
  assert.equal(f['step'], 2);
  assert.equal(f['level'], 'ERROR');
  assert.equal(f['suppressed'], false);
  assert.deepEqual(
    (f['deliveries'] as Array<{ ok: boolean }>).map((d) => d.ok),
    [true],
  );
  assert.equal(hook.received.length, 1);
  assert.deepEqual(hook.received[0]!.body['rule'], { metric: 'loss', op: '>', value: 5 });
  assert.equal(hook.received[0]!.body['value'], 7.5);

  // Still diverged, inside 300 s: quiet, nothing stored.
  for (let i = 0; i < 5; i++) assert.equal((await log(9)).alerts, undefined);
  // 300 s after the first firing: fires again.
  clock.now += 300_000;
  const again = await log(11);
  assert.equal(again.alerts?.length, 1);
  assert.equal((again.alerts?.[0] as Record<string, unknown>)['value'], 11);
  assert.equal(hook.received.length, 2);

  // Registering the same title again replaces the rule (no duplicate firings).
  const re = valid(
    await runner.execute({
      action: 'alert',
      project: 'p',
      runId,
      alertConfig: { title: 'Loss exploded', waitDuration: 0, rule: { metric: 'loss', op: '>=', value: 100 } },
    }),
  );
  assert.equal(re.alert?.['replaced'], true);
  assert.equal((await log(50)).alerts, undefined);
  assert.equal((await log(100)).alerts?.length, 1);

  const d = db(dir);
  t.after(() => d.close());
  assert.equal((d.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n, 3);
  assert.equal((d.prepare('SELECT count(*) AS n FROM alert_rules').get() as { n: number }).n, 1);
});

test('NaN rule on a nested metric (val.loss and val/loss) catches divergence; commit:false rows wait for the commit', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { clock, options } = setup(dir);
  const runner = createSkillRunner(options);
  t.after(() => runner.close());
  const runId = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'train' } })).runId as string;
  valid(await runner.execute({ action: 'alert', project: 'p', runId, alertConfig: { title: 'NaN nested', rule: { metric: 'val.loss', op: 'nan' } } }));
  valid(await runner.execute({ action: 'alert', project: 'p', runId, alertConfig: { title: 'NaN flat', rule: { metric: 'train/loss', op: 'non-finite' } } }));
  const log = async (metrics: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    clock.now += 1000;
    return valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics, ...extra } }));
  };
  assert.equal((await log({ val: { loss: 0.5 }, 'train/loss': 0.4 })).alerts, undefined);
  // Not committed yet: no rule sees it.
  assert.equal((await log({ val: { loss: NaN } }, { commit: false })).alerts, undefined);
  const committed = await log({ 'train/loss': Infinity });
  const titles = (committed.alerts ?? []).map((a) => (a as Record<string, unknown>)['title']).sort();
  assert.deepEqual(titles, ['NaN flat', 'NaN nested']);
  const nested = committed.alerts?.find((a) => (a as Record<string, unknown>)['title'] === 'NaN nested') as Record<string, unknown>;
  assert.equal(nested['value'], 'NaN', 'NaN travels as a string');
  assert.equal(nested['step'], 1);
});

test('bad alert inputs name the field', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { options } = setup(dir);
  const runId = await initRun(options);
  const cases: Array<[Record<string, unknown>, string, string]> = [
    [{ action: 'alert', project: 'p', runId, alertConfig: { title: 'x', rule: { metric: 'loss', op: '>' } } }, 'INVALID_INPUT', 'alertConfig.rule.value'],
    [{ action: 'alert', project: 'p', runId, alertConfig: { title: 'x'.repeat(64) } }, 'INVALID_INPUT', 'alertConfig.title'],
    [{ action: 'alert', project: 'p', runId, alertConfig: { title: '   ' } }, 'INVALID_INPUT', 'alertConfig.title'],
    [{ action: 'alert', project: 'p', runId, alertConfig: { title: 'x', level: 'FATAL' } }, 'INVALID_INPUT', 'alertConfig.level'],
    [{ action: 'alert', project: 'p', runId, alertConfig: { title: 'x', waitDuration: -1 } }, 'INVALID_INPUT', 'alertConfig.waitDuration'],
    [{ action: 'alert', project: 'p', runId, alertConfig: { title: 'x', rule: { metric: 'loss', op: 'between' } } }, 'INVALID_INPUT', 'alertConfig.rule.op'],
    [{ action: 'alert', project: 'p', runId }, 'INVALID_INPUT', 'alertConfig'],
    [{ action: 'alert', project: 'p', alertConfig: { title: 'x' } }, 'INVALID_INPUT', 'runId'],
    [{ action: 'alert', project: 'p', runId: 'nosuchrun', alertConfig: { title: 'x' } }, 'NOT_FOUND', 'runId'],
    [{ action: 'alert', project: 'p', runConfig: { name: 'ghost' }, alertConfig: { title: 'x' } }, 'NOT_FOUND', 'runConfig.name'],
  ];
  for (const [input, code, path] of cases) {
    const out = valid(await executeSkill(input, options));
    assert.equal(out.status, 'error', JSON.stringify(input));
    assert.equal(out.error?.code, code, JSON.stringify(out.error));
    const paths = (out.error?.details?.issues ?? []).map((i) => i.path);
    assert.ok(
      paths.some((p) => p === path || p.startsWith(`${path}`)),
      `${JSON.stringify(paths)} should name ${path}`,
    );
  }
  // The running run named by runConfig.name is found.
  const byName = valid(await executeSkill({ action: 'alert', project: 'p', runConfig: { name: 'r' }, alertConfig: { title: 'by name' } }, options));
  assert.equal(byName.runId, runId);
  // disabled: a valid answer, nothing stored.
  const off = valid(await executeSkill({ action: 'alert', mode: 'disabled', project: 'p', runId, alertConfig: { title: 'x' } }, options));
  assert.equal(off.status, 'success');
  assert.equal(off.alert?.suppressed, false);
});
