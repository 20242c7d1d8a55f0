import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { binPath, tempDir } from '../helpers/tmp.js';
import { ok, outputOf } from './helpers.js';

/** A POST with the headers given as they are (fetch would not send a foreign Host header). */
function post(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test('Streamable HTTP on 127.0.0.1: tools and resources over a session; foreign Host headers refused; SIGTERM stops it', async () => {
  const { dir, cleanup } = tempDir('wandb-skill-mcp-http-');
  const child = spawn(process.execPath, [binPath, 'mcp', '--http', '0'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline', WANDB_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = once(child, 'exit');
  try {
    const deadline = Date.now() + 20000;
    while (!stdout.includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const url = stdout.split('\n')[0] as string;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const client = new Client({ name: 'wandb-skill-http-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'log'));
    const init = ok(await client.callTool({ name: 'init', arguments: { project: 'h', runConfig: { name: 'over-http' } } }));
    ok(await client.callTool({ name: 'log', arguments: { project: 'h', runId: init['runId'], logData: { metrics: { loss: 0.5 } } } }));
    const refused = outputOf(await client.callTool({ name: 'finish', arguments: { project: 'h', runId: 'missing1' } }));
    assert.equal(refused.error?.code, 'NOT_FOUND');
    const { resources } = await client.listResources();
    assert.deepEqual(
      resources.map((r) => r.uri),
      [`wandb://h/runs/${init['runId'] as string}`],
    );
    const run = (await client.readResource({ uri: resources[0]?.uri as string })).contents[0] as { text: string };
    assert.equal((JSON.parse(run.text) as { runName: string }).runName, 'over-http');
    await client.close();

    // DNS rebinding: a page on another origin reaching the port by a foreign host name is refused.
    const rebound = await post(
      url,
      { host: 'evil.example', accept: 'application/json, text/event-stream' },
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } },
    );
    assert.equal(rebound.status, 403);
    const noSession = await post(url, {}, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    assert.equal(noSession.status, 400);
  } finally {
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, 'stops cleanly on SIGTERM');
    cleanup();
  }
});
