/**
 * Online paths against the loopback W&B test server (test/helpers/wandb-server.ts, which validates
 * every GraphQL document): `sync` throughput of a store logged offline, and the in-process `log`
 * path online (background replication) beside the same loop offline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSkillRunner, type SkillRunner } from '../src/skill.js';
import { syncRuns } from '../src/sync/index.js';
import { startWandbServer } from '../test/helpers/wandb-server.js';
import type { Row } from './stats.js';

const metricsRow = (i: number, n: number): Record<string, number> => {
  const m: Record<string, number> = {};
  for (let k = 0; k < n; k++) m[`metric_${k}`] = Math.sin(i / 50 + k) + k;
  return m;
};

async function logRuns(runner: SkillRunner, project: string, runs: number, steps: number, metrics: number): Promise<void> {
  for (let r = 0; r < runs; r++) {
    const runId = (await runner.execute({ action: 'init', project, runConfig: { config: { r } } })).runId as string;
    for (let s = 0; s < steps; s++) {
      const out = await runner.execute({ action: 'log', project, runId, logData: { metrics: metricsRow(s, metrics) } });
      if (out.status !== 'success') throw new Error(JSON.stringify(out.error));
    }
    await runner.execute({ action: 'finish', project, runId });
  }
}

/** 10 runs x 10,000 steps x 20 metrics logged offline, then `sync` to the test server: rows/s. */
export async function benchSync(runs = 10, steps = 10_000, metrics = 20): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const server = await startWandbServer({});
  try {
    const t0 = performance.now();
    const offline = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
    await logRuns(offline, 'bench-sync', runs, steps, metrics);
    offline.close();
    const logMs = performance.now() - t0;
    const t1 = performance.now();
    const res = await syncRuns({ env: { WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url, WANDB_SKILL_SYNC_TIMEOUT: '600' }, cwd: dir });
    const syncMs = performance.now() - t1;
    const rows = runs * steps;
    const rate = rows / (syncMs / 1000);
    const ok = server.invalidDocuments.length === 0 && server.streamViolations.length === 0;
    return [
      {
        name: `sync: ${runs} runs x ${steps} steps x ${metrics} metrics to the loopback W&B server`,
        value: `${rate.toFixed(0)} rows/s`,
        baseline: `offline logging ${(rows / (logMs / 1000)).toFixed(0)} rows/s`,
        ratio: `${(syncMs / 1000).toFixed(2)} s${ok ? '' : ' (PROTOCOL VIOLATIONS)'}${JSON.stringify(res).includes('"synced":false') ? ' (some runs unsynced)' : ''}`,
        target: '>= 50000 rows/s',
      },
    ];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same log loop (10 floats per call) offline and online with background replication. */
export async function benchOnlineLog(n = 5000): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-online-'));
  const server = await startWandbServer({});
  const loop = async (env: Record<string, string>, sub: string): Promise<{ ms: number; flushMs: number }> => {
    const runner = createSkillRunner({ env, cwd: join(dir, sub) });
    try {
      const runId = (await runner.execute({ action: 'init', project: 'bench-online' })).runId as string;
      for (let i = 0; i < 200; i++) await runner.execute({ action: 'log', project: 'bench-online', runId, logData: { metrics: metricsRow(i, 10) } });
      const t = performance.now();
      for (let i = 0; i < n; i++) {
        const out = await runner.execute({ action: 'log', project: 'bench-online', runId, logData: { metrics: metricsRow(i, 10) } });
        if (out.status !== 'success') throw new Error(JSON.stringify(out.error));
      }
      const ms = performance.now() - t;
      const f = performance.now();
      await runner.execute({ action: 'finish', project: 'bench-online', runId });
      await runner.flush();
      return { ms, flushMs: performance.now() - f };
    } finally {
      runner.close();
    }
  };
  try {
    const off = await loop({ WANDB_MODE: 'offline' }, 'off');
    const on = await loop({ WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url }, 'on');
    const rate = (ms: number) => n / (ms / 1000);
    return [
      {
        name: `log online, background replication (${n} calls x 10 floats)`,
        value: `${rate(on.ms).toFixed(0)} calls/s`,
        baseline: `offline ${rate(off.ms).toFixed(0)} calls/s`,
        ratio: `${(on.ms / off.ms).toFixed(2)}x time`,
        target: '<= 1.5x offline',
      },
      {
        name: 'log online: finish + flush after the loop',
        value: `${on.flushMs.toFixed(0)} ms`,
        baseline: `offline ${off.flushMs.toFixed(0)} ms`,
        ratio: '',
        target: '',
      },
    ];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
