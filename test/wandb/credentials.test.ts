import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { netlocOf, netrcPassword, netrcPath, parseNetrc, resolveApiKey } from '../../src/wandb/credentials.js';
import { appUrlFromBaseUrl, artifactUrl, encodePathSegment, projectUrl, reportUrl, runUrl, sweepUrl } from '../../src/wandb/urls.js';

const KEY = 'a'.repeat(40);

describe('netrc and API key lookup', () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'wandb-home-'));
  });
  after(() => rm(home, { recursive: true, force: true }));

  it('parses machines, default, quoted values, comments and macdef', () => {
    const text = [
      '# comment',
      'machine api.wandb.ai',
      '  login user',
      `  password ${KEY}`,
      'machine localhost:8080 login "u s" password \'quoted key\'',
      'macdef init',
      'machine evil password bad',
      '',
      'default login anon password dflt',
    ].join('\n');
    const entries = parseNetrc(text);
    assert.deepEqual(
      entries.map((e) => e.machine),
      ['api.wandb.ai', 'localhost:8080', undefined],
    );
    assert.equal(netrcPassword(text, 'api.wandb.ai'), KEY);
    assert.equal(netrcPassword(text, 'localhost:8080'), 'quoted key');
    assert.equal(netrcPassword(text, 'other.host'), 'dflt');
    assert.equal(netrcPassword('machine a password "x\\"y"', 'a'), 'x"y');
  });

  it('uses the netloc (host[:port]) of the base URL', () => {
    assert.equal(netlocOf('https://api.wandb.ai'), 'api.wandb.ai');
    assert.equal(netlocOf('http://localhost:8080/'), 'localhost:8080');
    assert.equal(netlocOf('https://user:pw@wandb.corp:443/path'), 'wandb.corp:443');
  });

  it('picks $NETRC, then ~/.netrc, then ~/_netrc', () => {
    const exists = (set: string[]) => (p: string) => set.includes(p);
    assert.equal(netrcPath({ NETRC: '/x/netrc' }, '/h', { exists: exists([]) }), '/x/netrc');
    assert.equal(netrcPath({}, '/h', { exists: exists(['/h/.netrc', '/h/_netrc']) }), '/h/.netrc');
    assert.equal(netrcPath({}, '/h', { exists: exists(['/h/_netrc']) }), '/h/_netrc');
    assert.equal(netrcPath({}, '/h', { exists: exists([]) }), '/h/.netrc');
    assert.equal(netrcPath({}, '/h', { exists: exists([]), windows: true }), '/h/_netrc');
  });

  it('resolves explicit, then WANDB_API_KEY, then netrc', async () => {
    await writeFile(join(home, '.netrc'), `machine 127.0.0.1:9999\n  login user\n  password ${KEY}\n`);
    const baseUrl = 'http://127.0.0.1:9999';
    assert.deepEqual(resolveApiKey({ baseUrl, apiKey: 'explicit', env: { WANDB_API_KEY: 'env' }, homedir: home }), { apiKey: 'explicit', source: 'explicit' });
    assert.deepEqual(resolveApiKey({ baseUrl, env: { WANDB_API_KEY: 'env' }, homedir: home }), { apiKey: 'env', source: 'env' });
    assert.deepEqual(resolveApiKey({ baseUrl, env: {}, homedir: home }), { apiKey: KEY, source: 'netrc', netrcPath: join(home, '.netrc') });
    assert.equal(resolveApiKey({ baseUrl: 'https://api.wandb.ai', env: {}, homedir: home }), undefined);
    assert.equal(resolveApiKey({ baseUrl, env: { NETRC: join(home, 'missing') }, homedir: home }), undefined);
    assert.equal(resolveApiKey({ baseUrl, env: { WANDB_API_KEY: '  ' }, homedir: join(home, 'nowhere') }), undefined);
  });
});

describe('URLs', () => {
  it('derives the app URL as W&B does', () => {
    assert.equal(appUrlFromBaseUrl('https://api.wandb.ai'), 'https://wandb.ai');
    assert.equal(appUrlFromBaseUrl('https://api.wandb.ai/'), 'https://wandb.ai');
    assert.equal(appUrlFromBaseUrl('https://api.corp.example'), 'https://app.corp.example');
    assert.equal(appUrlFromBaseUrl('http://localhost:8080'), 'http://localhost:8080');
    assert.equal(appUrlFromBaseUrl('https://api.wandb.ai', 'https://ui.example/'), 'https://ui.example');
  });

  it('builds object URLs through one segment encoder', () => {
    const ref = { appUrl: 'https://wandb.ai', entity: 'my team', project: 'p/q' };
    assert.equal(encodePathSegment('a b/c?d#e=+&$@'), 'a%20b%2Fc%3Fd%23e=+&$@');
    assert.equal(projectUrl(ref), 'https://wandb.ai/my%20team/p%2Fq');
    assert.equal(runUrl({ ...ref, runId: 'abc123' }), 'https://wandb.ai/my%20team/p%2Fq/runs/abc123');
    assert.equal(sweepUrl({ ...ref, sweepId: 'sw1' }), 'https://wandb.ai/my%20team/p%2Fq/sweeps/sw1');
    assert.equal(artifactUrl({ ...ref, type: 'model', name: 'net', version: 3 }), 'https://wandb.ai/my%20team/p%2Fq/artifacts/model/net/v3');
    assert.equal(artifactUrl({ ...ref, type: 'model', name: 'net', version: 'latest' }), 'https://wandb.ai/my%20team/p%2Fq/artifacts/model/net/latest');
    assert.equal(reportUrl({ ...ref, title: 'My  Report', viewId: 'Vmlldzo1' }), 'https://wandb.ai/my%20team/p%2Fq/reports/My-Report--Vmlldzo1');
  });
});
