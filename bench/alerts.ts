/**
 * Alert delivery to a loopback JSON webhook: alerts per second with delivery awaited, and a webhook
 * that answers 500 three times then 200 receiving the alert exactly once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSkillRunner } from '../src/skill.js';
import { createLogger } from '../src/logger.js';
import type { Row } from './stats.js';

interface Hook {
  url: string;
  received: number;
  accepted: number;
  failNext: number;
  server: Server;
}

async function startHook(): Promise<Hook> {
  const hook = { url: '', received: 0, accepted: 0, failNext: 0 } as Hook;
  hook.server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hook.received++;
      if (hook.failNext > 0) {
        hook.failNext--;
        res.writeHead(500).end('boom');
        return;
      }
      hook.accepted++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`;
  return hook;
}

export async function benchAlerts(n = 500): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
  const hook = await startHook();
  const runner = createSkillRunner({
    env: { WANDB_MODE: 'offline', WANDB_SKILL_ALERT_WEBHOOKS: hook.url },
    cwd: dir,
    logger: createLogger({ level: 'error' }),
  });
  try {
    const runId = (await runner.execute({ action: 'init', project: 'bench-alerts' })).runId as string;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const out = await runner.execute({ action: 'alert', project: 'bench-alerts', runId, alertConfig: { title: `alert ${i}`, text: 'bench', level: 'INFO' } });
      if (out.status !== 'success' || out.alert?.['deliveries'] === undefined) throw new Error(JSON.stringify(out));
    }
    const rate = n / ((performance.now() - t0) / 1000);
    const delivered = hook.accepted;

    hook.received = 0;
    hook.accepted = 0;
    hook.failNext = 3;
    const t1 = performance.now();
    const out = await runner.execute({ action: 'alert', project: 'bench-alerts', runId, alertConfig: { title: 'flaky webhook', level: 'WARN' } });
    const flakyMs = performance.now() - t1;
    const d = (out.alert?.['deliveries'] as Array<{ ok: boolean; attempts?: number }> | undefined)?.[0];
    return [
      {
        name: `alerts to a loopback webhook, delivery awaited (${n})`,
        value: `${rate.toFixed(0)} alerts/s`,
        baseline: `${delivered}/${n} delivered`,
        ratio: '',
        target: '',
      },
      {
        name: 'webhook answering 500 x3 then 200',
        value: `received once: ${hook.accepted === 1 ? 'yes' : `NO (${hook.accepted})`}`,
        baseline: `${hook.received} requests, ok=${String(d?.ok)}, attempts=${d?.attempts ?? '?'}`,
        ratio: `${flakyMs.toFixed(0)} ms`,
        target: 'exactly once',
      },
    ];
  } finally {
    runner.close();
    await new Promise<void>((r) => hook.server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}
