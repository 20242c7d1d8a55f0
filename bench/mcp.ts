import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createSkillRunner } from '../src/skill.js';
import { percentile, fmtUs, type Row } from './stats.js';

const metrics = (i: number): Record<string, number> => ({ loss: 1 / (i + 1), acc: i / (i + 1), lr: 0.001 });

/** Latencies (ms, sorted) of `n` logs through `call`, after 200 unmeasured ones. */
async function measure(n: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 200; i++) await call(i);
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call(i);
    lat.push(performance.now() - t);
  }
  return lat.sort((a, b) => a - b);
}

/** MCP `tools/call` of `log` over stdio (the SDK's client spawning `wandb-skill mcp`), beside the same log in-process. */
export async function benchMcp(bin: string, n: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mcp-'));
  try {
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir, dir: join(dir, 'inproc') });
    const local = (await runner.execute({ action: 'init', project: 'bench' })).runId as string;
    const inProcess = await measure(n, (i) => runner.execute({ action: 'log', project: 'bench', runId: local, logData: { metrics: metrics(i) } }));
    runner.close();

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp'],
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline', WANDB_DIR: dir },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'bench', version: '1.0.0' });
    await client.connect(transport);
    const init = (await client.callTool({ name: 'init', arguments: { project: 'bench' } })).structuredContent as { runId: string };
    const overMcp = await measure(n, async (i) => {
      const r = await client.callTool({ name: 'log', arguments: { project: 'bench', runId: init.runId, logData: { metrics: metrics(i) } } });
      if (r.isError === true) throw new Error(JSON.stringify(r.structuredContent));
    });
    await client.close();
    return [
      {
        name: `MCP tools/call log over stdio, p50 (${n} calls)`,
        value: fmtUs(percentile(overMcp, 50)),
        baseline: `in-process ${fmtUs(percentile(inProcess, 50))}`,
        ratio: `${(percentile(overMcp, 50) / percentile(inProcess, 50)).toFixed(1)}x`,
        target: '< 2000 µs',
      },
      {
        name: 'MCP tools/call log over stdio, p99',
        value: fmtUs(percentile(overMcp, 99)),
        baseline: `in-process ${fmtUs(percentile(inProcess, 99))}`,
        ratio: '',
        target: '',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
