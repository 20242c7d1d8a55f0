// The dashboard over plain HTTP: headers, read-only API, coded errors, files only from the run folder.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.js';
import { tempDir } from '../helpers/tmp.js';
import { buildFixture, PNG, type Fixture } from './fixture.js';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path goes on the wire as written (no client-side dot-segment removal). */
function raw(url: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const code = (r: Res): string => (JSON.parse(r.body) as { error: { code: string } }).error.code;

describe('dashboard HTTP', () => {
  let tmp: ReturnType<typeof tempDir>;
  let fx: Fixture;
  let dash: Dashboard;
  let before_: string;
  const snapshot = (): string => {
    const db = new Database(fx.storePath, { readonly: true });
    try {
      return JSON.stringify([db.prepare('SELECT * FROM runs ORDER BY key').all(), db.prepare('SELECT * FROM history ORDER BY run_key, seq').all()]);
    } finally {
      db.close();
    }
  };

  before(async () => {
    tmp = tempDir('dash-http-');
    fx = await buildFixture(tmp.dir);
    before_ = snapshot();
    dash = await startDashboard({ storePath: fx.storePath, port: 0 });
  });
  after(async () => {
    await dash?.close();
    tmp?.cleanup();
  });

  test('listens on loopback and answers every response with a CSP', async () => {
    assert.match(dash.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    for (const p of [
      '/',
      '/local/demo',
      `/local/demo/runs/${fx.alpha}`,
      '/static/app.js',
      '/vendor/vega-embed.min.js',
      '/api/projects',
      '/api/p/local/demo/runs/nope',
      '/nope/nope/nope/nope/nope',
    ]) {
      const r = await raw(dash.url, p);
      assert.match(String(r.headers['content-security-policy']), /default-src 'none'.*script-src 'self'/, p);
      assert.doesNotMatch(String(r.headers['content-security-policy']), /unsafe-eval/, p);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', p);
    }
    const vega = await raw(dash.url, '/vendor/vega.min.js');
    assert.equal(vega.status, 200);
    assert.match(String(vega.headers['content-type']), /javascript/);
    const climb = await raw(dash.url, '/static/../../package.json');
    assert.equal(climb.status, 403);
    assert.doesNotMatch(climb.body, /wandb-experiment-tracker/);
    assert.equal((await raw(dash.url, '/vendor/vega-node.js')).status, 404);
  });

  test('the runs API pages, sorts and validates its query', async () => {
    const r = await raw(dash.url, '/api/p/local/demo/runs?limit=2&offset=1&sort=summary.val_loss&order=asc&columns=summary.val_loss,config.lr');
    const page = JSON.parse(r.body) as { total: number; runs: Array<{ name: string; values: Record<string, number> }> };
    assert.equal(page.total, 11);
    assert.deepEqual(
      page.runs.map((x) => x.name),
      ['sweep-1', 'sweep-2'],
    );
    assert.equal(page.runs[0]?.values['config.lr'], 0.01);
    const bad = await raw(dash.url, '/api/p/local/demo/runs?sort=bogus');
    assert.equal(bad.status, 400);
    assert.equal(code(bad), 'INVALID_INPUT');
    assert.equal((await raw(dash.url, '/api/p/local/demo/runs?sort=summary.a%22b')).status, 400);
    const missing = await raw(dash.url, '/api/p/local/demo/runs/zzzzzzzz');
    assert.equal(missing.status, 404);
    assert.equal(code(missing), 'NOT_FOUND');
    // entity `local` matches runs without an entity; another entity sees none of them
    assert.equal((JSON.parse((await raw(dash.url, '/api/p/someone/demo/runs')).body) as { total: number }).total, 0);
  });

  test('files are served from inside the run folder only', async () => {
    const base = `/files/local/demo/runs/${fx.media}`;
    const ok = await raw(dash.url, `${base}/media/images/sample_3_abc.png`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['content-type'], 'image/png');
    assert.equal(Buffer.from(ok.body, 'latin1').equals(PNG), true);
    assert.match(String(ok.headers['content-security-policy']), /sandbox/);
    for (const p of [
      `${base}/../../../../../secret.txt`,
      `${base}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt`,
      `${base}/..%2f..%2f..%2f..%2f..%2fsecret.txt`,
      `${base}/%2Fetc%2Fpasswd`,
      `${base}/media/images/link.png`,
      `${base}/media/images/..%5c..%5csecret.txt`,
      `${base}/media/%00/x`,
    ]) {
      const r = await raw(dash.url, p);
      assert.ok(r.status === 403 || r.status === 404, `${p} -> ${r.status}`);
      assert.doesNotMatch(r.body, /top secret/, p);
    }
    assert.equal((await raw(dash.url, `${base}/media/images/link.png`)).status, 403, 'a symlink out of the folder is refused');
    assert.equal((await raw(dash.url, `${base}/%2e%2e/%2e%2e/x`)).status, 403);
    assert.equal((await raw(dash.url, `${base}/media/nothing.png`)).status, 404);
    assert.equal((await raw(dash.url, `${base}/%zz`)).status, 400);
  });

  test('panels: a valid spec is saved; bad bodies get coded errors', async () => {
    const url = '/api/p/local/demo/panels';
    const json = { 'content-type': 'application/json' };
    const post = (body: string, headers: Record<string, string> = json) => raw(dash.url, url, { method: 'POST', headers, body });
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['{"name":"x","spec":{"mark":"line"}}', { 'content-type': 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['{"name":', json, 400, 'INVALID_INPUT'],
      ['[1,2]', json, 400, 'INVALID_INPUT'],
      ['{"name":"x","spec":[]}', json, 400, 'INVALID_INPUT'],
      ['{"name":"x","spec":{"title":"no mark"}}', json, 400, 'INVALID_INPUT'],
      ['{"name":"","spec":{"mark":"line"}}', json, 400, 'INVALID_INPUT'],
      ['{"name":"x","spec":{"mark":"line"},"extra":1}', json, 400, 'INVALID_INPUT'],
      [JSON.stringify({ name: 'big', spec: { mark: 'line', description: 'x'.repeat(300_000) } }), json, 413, 'PAYLOAD_TOO_LARGE'],
      ['{"name":"x","spec":{"mark":"line"}}', { ...json, origin: 'http://evil.example' }, 403, 'FORBIDDEN'],
    ];
    for (const [body, headers, status, c] of cases) {
      const r = await post(body, headers);
      assert.equal(r.status, status, body.slice(0, 60));
      assert.equal(code(r), c, body.slice(0, 60));
    }
    const issues = (JSON.parse((await post('{"spec":{"mark":"line"}}')).body) as { error: { details: { issues: Array<{ path: string }> } } }).error.details
      .issues;
    assert.deepEqual(
      issues.map((i) => i.path),
      ['name'],
    );
    const saved = await post(JSON.stringify({ name: 'loss dots', spec: { mark: 'point', encoding: { x: { field: '_step' } } } }));
    assert.equal(saved.status, 201);
    const again = await post(JSON.stringify({ name: 'loss dots', spec: { mark: 'line' } }));
    assert.equal(again.status, 201, 'saving under the same name replaces the panel');
    const list = JSON.parse((await raw(dash.url, url)).body) as { panels: Array<{ name: string; spec: { mark: string } }> };
    assert.deepEqual(
      list.panels.map((p) => [p.name, p.spec.mark]),
      [['loss dots', 'line']],
    );
  });

  test('read-only: other methods are refused and runs and history never change', async () => {
    for (const [m, p] of [
      ['PUT', '/api/projects'],
      ['DELETE', `/api/p/local/demo/runs/${fx.alpha}`],
      ['POST', '/api/projects'],
      ['POST', `/api/p/local/demo/runs/${fx.alpha}`],
      ['POST', '/local/demo'],
    ] as const) {
      const r = await raw(dash.url, p, { method: m, headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(r.status, 405, `${m} ${p}`);
    }
    for (const p of [
      '/api/projects',
      '/api/p/local/demo/facets',
      `/api/p/local/demo/runs/${fx.live}`,
      `/api/p/local/demo/runs/${fx.live}/charts`,
      `/api/p/local/demo/runs/${fx.live}/history`,
      '/api/p/local/demo/sweeps/sw1',
      `/api/p/local/demo/compare?runs=${fx.alpha},${fx.beta}`,
      '/api/p/local/demo/artifacts',
      '/api/p/local/demo/reports',
    ]) {
      assert.equal((await raw(dash.url, p)).status, 200, p);
    }
    assert.equal(snapshot(), before_);
  });

  test('a request for another host name is refused (DNS rebinding)', async () => {
    const r = await raw(dash.url, '/api/projects', { headers: { host: 'evil.example:80' } });
    assert.equal(r.status, 403);
    assert.equal((await raw(dash.url, '/api/projects', { headers: { host: `localhost:${dash.port}` } })).status, 200);
  });

  test('a host that is not loopback needs allowRemote', async () => {
    await assert.rejects(startDashboard({ storePath: fx.storePath, port: 0, host: '0.0.0.0' }), /not a loopback address/);
  });
});
