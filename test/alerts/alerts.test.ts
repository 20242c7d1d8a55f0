import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill } from '../../src/index.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { startReceiver } from './receiver.js';
import { T0, db, setup, initRun } from './alert-setup.js';

test('same title inside waitDuration is suppressed (and stored); after it, or with another title, it is sent', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { clock, options } = setup(dir);
  const runId = await initRun(options);
  const alert = (title: string, extra: Record<string, unknown> = {}) =>
    executeSkill({ action: 'alert', project: 'p', runId, alertConfig: { title, text: 'x', ...extra } } as never, options).then(valid);

  const first = await alert('Loss high', { waitDuration: 120, level: 'WARN' });
  assert.equal(first.alert?.suppressed, false);
  assert.equal(first.alert?.level, 'WARN');
  assert.equal(first.runId, runId);

  clock.now += 119_000;
  const second = await alert('Loss high', { waitDuration: 120, level: 'WARN' });
  assert.equal(second.alert?.suppressed, true);
  assert.deepEqual(second.alert?.deliveries, []);
  assert.ok(second.warnings?.some((w) => /suppressed/.test(w)));

  const other = await alert('Other title');
  assert.equal(other.alert?.suppressed, false, 'suppression is per title');
  assert.equal(other.alert?.level, 'INFO', 'INFO by default');

  // The window counts from the last alert that was sent, not from the suppressed one.
  clock.now += 1_000;
  const third = await alert('Loss high', { waitDuration: 120, level: 'ERROR' });
  assert.equal(third.alert?.suppressed, false);
  assert.equal(third.alert?.level, 'ERROR');

  // Default waitDuration is 60 s ('Other title' was sent 1 s ago).
  clock.now += 58_000;
  assert.equal((await alert('Other title')).alert?.suppressed, true);
  clock.now += 2_000;
  assert.equal((await alert('Other title')).alert?.suppressed, false);

  const d = db(dir);
  t.after(() => d.close());
  const rows = d.prepare('SELECT title, level, suppressed FROM alerts ORDER BY created_at, rowid').all();
  assert.deepEqual(rows, [
    { title: 'Loss high', level: 'WARN', suppressed: 0 },
    { title: 'Loss high', level: 'WARN', suppressed: 1 },
    { title: 'Other title', level: 'INFO', suppressed: 0 },
    { title: 'Loss high', level: 'ERROR', suppressed: 0 },
    { title: 'Other title', level: 'INFO', suppressed: 1 },
    { title: 'Other title', level: 'INFO', suppressed: 0 },
  ]);
});

test('webhooks: Slack URLs get {text}, other URLs the JSON payload; a 500-500-200 webhook is retried and recorded', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const slack = await startReceiver();
  const generic = await startReceiver((n) => (n < 2 ? 500 : 200));
  t.after(() => slack.close());
  t.after(() => generic.close());
  // A real Slack hostname in the configuration; the request is carried to the local receiver.
  const slackUrl = 'https://hooks.slack.com/services/T000/B000/SECRETTOKEN';
  const routed: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    return fetch(url.startsWith('https://hooks.slack.com') ? `${slack.url}${new URL(url).pathname}` : url, init);
  };
  const { options } = setup(dir, { WANDB_SKILL_ALERT_WEBHOOKS: `${slackUrl}, ${generic.url}/hook?token=abc` }, { fetch: routed });
  const runId = await initRun(options, 'div-run');
  const out = valid(
    await executeSkill({ action: 'alert', project: 'p', runId, alertConfig: { title: 'Diverged <now>', text: 'loss & friends > 5', level: 'ERROR' } }, options),
  );
  const a = out.alert;
  assert.ok(a);
  assert.equal(a.suppressed, false);
  assert.deepEqual(
    a.deliveries.map((d) => ({ channel: d.channel, ok: d.ok, attempts: d['attempts'] })),
    [
      { channel: 'slack:hooks.slack.com#1', ok: true, attempts: 1 },
      { channel: `webhook:${new URL(generic.url).host}#2`, ok: true, attempts: 3 },
    ],
  );
  assert.ok(!JSON.stringify(out).includes('SECRETTOKEN'), 'the Slack secret never reaches the output');

  assert.equal(slack.received.length, 1);
  const sb = slack.received[0]!.body;
  assert.deepEqual(Object.keys(sb), ['text']);
  assert.match(sb['text'] as string, /\*\[ERROR\] Diverged &lt;now&gt;\*/);
  assert.match(sb['text'] as string, /loss &amp; friends &gt; 5/);
  assert.match(sb['text'] as string, new RegExp(`<http://127.0.0.1:8765/local/p/runs/${runId}\\|div-run>`));

  assert.equal(generic.received.length, 3, 'two failures, then the delivery');
  const keys = new Set(generic.received.map((r) => r.headers['idempotency-key']));
  assert.deepEqual([...keys], [a.id], 'every attempt carries the alert id');
  const gb = generic.received[2]!.body;
  assert.deepEqual(gb['run'], { id: runId, name: 'div-run', url: `http://127.0.0.1:8765/local/p/runs/${runId}` });
  assert.equal(gb['project'], 'p');
  assert.equal(gb['title'], 'Diverged <now>');
  assert.equal(gb['text'], 'loss & friends > 5');
  assert.equal(gb['level'], 'ERROR');
  assert.equal(gb['time'], new Date(T0).toISOString());
  assert.equal(generic.received[0]!.path, '/hook?token=abc');

  const d = db(dir);
  t.after(() => d.close());
  const recorded = d.prepare('SELECT channel, ok, attempts, status, error FROM alert_deliveries WHERE alert_id = ? ORDER BY channel').all(a.id);
  assert.deepEqual(recorded, [
    { channel: 'slack:hooks.slack.com#1', ok: 1, attempts: 1, status: 200, error: null },
    { channel: `webhook:${new URL(generic.url).host}#2`, ok: 1, attempts: 3, status: 200, error: null },
  ]);
});

test('a hanging webhook and a refused one cost a bounded time, never fail the call, and are recorded', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const hang = await startReceiver(() => 'hang');
  const down = await startReceiver();
  const downUrl = down.url;
  await down.close();
  const gone = await startReceiver(() => 404);
  t.after(() => hang.close());
  t.after(() => gone.close());
  const { options } = setup(dir, { WANDB_SKILL_ALERT_WEBHOOKS: `${hang.url}/h,${downUrl}/x,${gone.url}/g,not a url` });
  const runId = await initRun(options);
  const started = Date.now();
  const out = valid(await executeSkill({ action: 'alert', project: 'p', runId, alertConfig: { title: 'T', text: 'x' } }, options));
  const took = Date.now() - started;
  assert.equal(out.status, 'success');
  assert.ok(took < 8000, `bounded: took ${took} ms`);
  const byKind = Object.fromEntries((out.alert?.deliveries ?? []).map((d) => [d.channel.split('#')[1], d]));
  assert.equal(byKind['1']?.ok, false);
  assert.match(byKind['1']?.error ?? '', /timed out/);
  assert.ok(hang.received.length >= 2 && hang.received.length <= 4, `retried within the budget (${hang.received.length})`);
  assert.equal(byKind['2']?.ok, false);
  assert.match(byKind['2']?.error ?? '', /network error|ECONNREFUSED/);
  assert.equal(byKind['3']?.ok, false);
  assert.equal(byKind['3']?.error, 'HTTP 404');
  assert.equal(gone.received.length, 1, '404 is not retried');
  assert.ok(out.warnings?.some((w) => /entry 4 is not a URL/.test(w)));
  assert.ok(out.warnings?.some((w) => /delivery failed/.test(w)));

  const d = db(dir);
  t.after(() => d.close());
  assert.equal((d.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n, 1, 'the alert is kept');
  const failed = d.prepare('SELECT count(*) AS n FROM alert_deliveries WHERE ok = 0').get() as { n: number };
  assert.equal(failed.n, 3);
});
