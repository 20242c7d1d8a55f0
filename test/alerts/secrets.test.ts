import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../helpers/cli.js';
import { closedPort, startRawServer } from '../helpers/raw-server.js';
import { tempDir } from '../helpers/tmp.js';
import { outputIssues } from '../../src/contract/validate.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';

/** Every row of every table of the store, as text. */
function dumpStore(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    assert.ok(
      tables.some((t) => t.name === 'alert_deliveries'),
      'the deliveries table is dumped',
    );
    return tables.map((t) => `${t.name}: ${JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())}`).join('\n');
  } finally {
    db.close();
  }
}

/** Every file under a folder (store, WAL, media), as text. */
function allText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? allText(p) : readFileSync(p).toString('latin1');
  }
  return out;
}

function parse(stdout: string): SkillOutput {
  const out = JSON.parse(stdout) as SkillOutput;
  assert.deepEqual(outputIssues(out), [], stdout);
  return out;
}

test('webhook URLs with userinfo, secret query values and hook tokens in the path appear nowhere: output, warnings, stderr log, store', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const ok = await startRawServer((_r, res) => res.end('ok'));
  const failing = await startRawServer((_r, res) => {
    res.writeHead(500);
    res.end('nope');
  });
  const elsewhere = await startRawServer((_r, res) => res.end('ok'));
  const moved = await startRawServer((_r, res) => {
    res.writeHead(302, { location: `http://locuser:PASS-loc-6f@127.0.0.1:${elsewhere.port}/catch?sig=TOKEN-loc-2c` });
    res.end();
  });
  for (const s of [ok, failing, elsewhere, moved]) t.after(() => s.close());
  const down = await closedPort();
  const secrets = [
    'hookuser',
    'PASS-ok-7q',
    'TOKEN-ok-55',
    'SLACKTOKENok91x',
    'PASS-fail-3z',
    'TOKEN-fail-88',
    'PASS-redir-4k',
    'TOKEN-redir-1',
    'DISCORDTOKENx9',
    'locuser',
    'PASS-loc-6f',
    'TOKEN-loc-2c',
    'PASS-down-8d',
    'TOKEN-down-9e',
    'SLACKTOKENdown7',
  ];
  const hooks = [
    `http://hookuser:PASS-ok-7q@127.0.0.1:${ok.port}/services/T0000/B0000/SLACKTOKENok91x?token=TOKEN-ok-55`,
    `http://hookuser:PASS-fail-3z@127.0.0.1:${failing.port}/hook?token=TOKEN-fail-88`,
    `http://hookuser:PASS-redir-4k@127.0.0.1:${moved.port}/api/webhooks/1234/DISCORDTOKENx9?x=TOKEN-redir-1`,
    `http://hookuser:PASS-down-8d@127.0.0.1:${down}/services/T1/B1/SLACKTOKENdown7?token=TOKEN-down-9e`,
  ];
  const env = { WANDB_SKILL_ALERT_WEBHOOKS: hooks.join(','), WANDB_SKILL_LOG_LEVEL: 'debug', WANDB_MODE: 'offline' };
  const init = await runCli([JSON.stringify({ action: 'init', project: 'p' })], { cwd: dir, env });
  const runId = parse(init.stdout).runId as string;
  const res = await runCli([JSON.stringify({ action: 'alert', project: 'p', runId, alertConfig: { title: 'T', text: 'x' } })], { cwd: dir, env });
  const out = parse(res.stdout);
  assert.equal(out.status, 'success', res.stdout);

  // The deliveries happened as they should: the secrets were used, just never shown.
  const byIndex = Object.fromEntries((out.alert?.deliveries ?? []).map((d) => [d.channel.split('#')[1], d]));
  assert.equal(byIndex['1']?.ok, true, JSON.stringify(byIndex['1']));
  assert.equal(ok.requests.length, 1);
  assert.equal(ok.requests[0]?.path, '/services/T0000/B0000/SLACKTOKENok91x?token=TOKEN-ok-55');
  assert.equal(ok.requests[0]?.headers.authorization, `Basic ${Buffer.from('hookuser:PASS-ok-7q').toString('base64')}`, 'userinfo travels as Basic auth');
  assert.match(byIndex['2']?.error ?? '', /^HTTP 500/);
  assert.match(byIndex['3']?.error ?? '', /^HTTP 302: redirect to http:\/\/\*\*\*@127\.0\.0\.1:\d+\/catch\?sig=\*\*\* not followed$/);
  assert.equal(elsewhere.requests.length, 0, 'the redirect target got nothing');
  assert.match(byIndex['4']?.error ?? '', /network error/);
  assert.ok(out.warnings?.some((w) => /delivery failed/.test(w)));
  assert.ok(res.stderr.includes('alert delivery failed'), 'the failures were logged');

  const store = dumpStore(join(dir, 'wandb', 'skill-store.sqlite'));
  const files = allText(join(dir, 'wandb'));
  for (const secret of secrets) {
    assert.ok(!res.stdout.includes(secret), `${secret} in the output: ${res.stdout}`);
    assert.ok(!JSON.stringify(out.warnings ?? []).includes(secret), `${secret} in the warnings`);
    assert.ok(!res.stderr.includes(secret) && !init.stderr.includes(secret), `${secret} in the stderr log: ${res.stderr}`);
    assert.ok(!store.includes(secret), `${secret} in the store`);
    assert.ok(!files.includes(secret), `${secret} in a file under wandb/`);
  }
});
