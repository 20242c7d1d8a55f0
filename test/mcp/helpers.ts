import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
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

/** The SDK's client over stdio, spawning the built CLI's `mcp` in `dir` (offline, its own store). */
export async function stdioClient(dir: string, env: Record<string, string> = {}): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, 'mcp'],
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline', WANDB_DIR: dir, ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: 'wandb-skill-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}
