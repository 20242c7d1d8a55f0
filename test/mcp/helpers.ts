import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, JSONRPCMessage, Progress } from '@modelcontextprotocol/sdk/types.js';
import { binPath, repoRoot } from '../helpers/tmp.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as new (opts: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } };

/** The output schema, compiled by ajv on its own (not the package's generated validator). */
const outputSchema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'output.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(outputSchema);

export type Output = Record<string, unknown> & { status: 'success' | 'error'; action: string; error?: { code: string; message: string } };

/** A tool result's structured content, checked against schemas/output.schema.json and against isError. */
export function outputOf(result: CallToolResult | Record<string, unknown>): Output {
  const r = result as CallToolResult;
  const out = r.structuredContent as Output | undefined;
  assert.ok(out, `no structuredContent: ${JSON.stringify(result)}`);
  assert.ok(validate(out), `structuredContent does not match the output schema: ${JSON.stringify(validate.errors)} in ${JSON.stringify(out)}`);
  assert.equal(r.isError === true, out.status === 'error', `isError must follow status: ${JSON.stringify(out)}`);
  const text = r.content[0];
  assert.ok(text !== undefined && text.type === 'text');
  assert.deepEqual(JSON.parse(text.text), out, 'the text content is the same document');
  return out;
}

/** A successful output (a failure fails the test with its error). */
export function ok(result: CallToolResult | Record<string, unknown>): Output {
  const out = outputOf(result);
  assert.equal(out.status, 'success', JSON.stringify(out));
  return out;
}

/** What a test client gives: the SDK's client, the server's stderr, and the progress it sent. */
export interface TestClient {
  client: Client;
  stderr: () => string;
  /**
   * Every progress notification the server sent for `token` (a token the test put in the request's
   * `_meta`), as read off the transport in order. The SDK's own `onprogress` runs a microtask after
   * a response read in the same chunk has dropped its handler, so it cannot say what was sent.
   */
  progressOf: (token: string) => Progress[];
}

/** The SDK's client over stdio, spawning the built CLI's `mcp` in `dir` (offline, its own store). */
export async function stdioClient(dir: string, env: Record<string, string> = {}): Promise<TestClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, 'mcp'],
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline', WANDB_DIR: dir, ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  // Set before connect: the client keeps this handler and calls it first, for every message.
  const progress: Array<{ progressToken: unknown } & Progress> = [];
  transport.onmessage = (m: JSONRPCMessage) => {
    if ('method' in m && m.method === 'notifications/progress' && !('id' in m)) progress.push(m.params as { progressToken: unknown } & Progress);
  };
  const client = new Client({ name: 'wandb-skill-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    progressOf: (token) => progress.filter((p) => p.progressToken === token).map(({ progressToken: _t, ...p }) => p),
  };
}
