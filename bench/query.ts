/**
 * The query benchmark, through the entry point users call (a runner's execute, as executeSkill):
 * - 10,000 runs, a two-clause filter (config and summary) and an order on a summary metric, one page;
 *   baseline in the same run: the same answer computed in JavaScript over every run's parsed record.
 * - a 1,000,000-row run's sampled history, 1,000 samples of 5 keys; baseline: sampleHistory called
 *   directly (what the action adds on top: the budget, the cursor and the output).
 * The stores are written with plain SQL into stores made by openStore.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/index.js';
import { createSkillRunner } from '../src/skill.js';
import type { SkillInput } from '../src/contract/types.generated.js';
import { sampleHistory } from '../src/history/sampled.js';
import { buildReportStore } from './report.js';
import { percentile, type Row } from './stats.js';

function buildRunsStore(path: string, runs: number): void {
  openStore({ path }).close();
  const db = new Database(path);
  const ins = db.prepare(`INSERT INTO runs (project, id, display_name, state, config, summary, tags, created_at, updated_at, heartbeat_at, finished_at,
    segment_start) VALUES ('bench', ?, ?, 'finished', ?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < runs; i++) {
      const t = 1_700_000_000 + i;
      const config = { lr: 10 ** -(1 + (i % 4)), batch_size: 2 ** (4 + (i % 5)), optimizer: { name: i % 2 === 0 ? 'adam' : 'sgd', momentum: 0.9 }, seed: i };
      const acc = ((i * 2654435761) % 10_000) / 10_000;
      const summary = { 'val/acc': acc, loss: 1 - acc, _step: 999, _runtime: 100 + (i % 50) };
      ins.run(`run${i}`, `run-${i}`, JSON.stringify(config), JSON.stringify(summary), JSON.stringify(i % 3 === 0 ? ['baseline'] : []), t, t, t, t, t);
    }
  })();
  db.close();
}

async function timed(n: number, fn: () => unknown): Promise<{ p50: number; min: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), min: times[0] as number };
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;

export async function benchQuery(runs = 10_000, rows = 1_000_000): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-query-'));
  const out: Row[] = [];
  try {
    const storePath = join(dir, 'wandb', 'skill-store.sqlite');
    buildRunsStore(storePath, runs);
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir, dir });
    try {
      const input = {
        action: 'query',
        project: 'bench',
        queryConfig: { filters: { 'config.lr': { $lt: 0.005 }, 'summary_metrics.val/acc': { $gt: 0.5 } }, order: '-summary_metrics.val/acc', perPage: 50 },
      } as SkillInput;
      const first = await runner.execute(input);
      if (first.status !== 'success') throw new Error(JSON.stringify(first.error));
      const q = await timed(20, () => runner.execute(input));
      // Baseline: every run parsed and filtered in JavaScript (what a store without the SQL compiler would do).
      const store = openStore({ path: storePath });
      const base = await timed(5, () => {
        const all = store.runs.list('bench', runs + 1, 0);
        const hit = all.filter((r) => (r.config['lr'] as number) < 0.005 && (r.summary['val/acc'] as number) > 0.5);
        hit.sort((a, b) => (b.summary['val/acc'] as number) - (a.summary['val/acc'] as number));
        return hit.slice(0, 50);
      });
      store.close();
      out.push({
        name: `query: ${runs} runs, 2-clause filter + order, page of 50 (p50)`,
        value: ms(q.p50),
        baseline: `JS filter over parsed runs ${ms(base.p50)}`,
        ratio: `${(q.p50 / base.p50).toFixed(2)}x; ${String((first.query as { total: number }).total)} match`,
        target: '< 100 ms',
      });
    } finally {
      runner.close();
    }

    const histDir = join(dir, 'hist');
    const histPath = join(histDir, 'wandb', 'skill-store.sqlite');
    buildReportStore(histPath, 1, rows, 5);
    const hrunner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: histDir, dir: histDir });
    try {
      const keys = ['metric_0', 'metric_1', 'metric_2', 'metric_3', 'metric_4'];
      const input = {
        action: 'query',
        project: 'bench',
        runId: 'run00000',
        queryConfig: { kind: 'history', keys, samples: 1000, maxBytes: 1_048_576 },
      } as SkillInput;
      const first = await hrunner.execute(input);
      if (first.status !== 'success') throw new Error(JSON.stringify(first.error));
      const h = await timed(3, () => hrunner.execute(input));
      const store = openStore({ path: histPath });
      const key = store.runs.get('bench', 'run00000')?.key as number;
      const direct = await timed(3, () => sampleHistory(store, key, { keys, samples: 1000 }));
      store.close();
      const q = first.query as { bytes: number; cursor?: string };
      out.push({
        name: `query history: ${rows} rows, 1,000 samples x 5 keys (p50)`,
        value: ms(h.p50),
        baseline: `sampleHistory alone ${ms(direct.p50)}`,
        ratio: `${(h.p50 / direct.p50).toFixed(2)}x; ${(q.bytes / 1024).toFixed(0)} KiB${q.cursor !== undefined ? ', cut' : ''}`,
        target: '< 50 ms',
      });
    } finally {
      hrunner.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
