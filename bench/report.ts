/**
 * The report benchmark: 10 runs x 100,000 steps x 5 metrics (and, as `report-1m`, 1,000,000 steps),
 * one HTML report through executeSkill. The store is written with direct SQL into a store made by
 * openStore (same schema), which takes a second or two instead of a million `log` calls, and its
 * buckets folded as the log path would have folded them.
 *
 * Measured 2026-12-07 on a shared 2-core machine (load 4-14): 100k steps, fresh process 1.15-1.47 s
 * wall for 0.52-0.59 s CPU (main before the straight-SVG charts: 2.71 s at load 1.3); 1M steps 1.48 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/index.js';
import { createSkillRunner } from '../src/skill.js';
import { catchUp } from '../src/history/fold.js';
import type { Row } from './stats.js';
import { INSERT_LINE_SQL } from '../src/store/history-layout.js';

/** Writes `runs` finished runs of `steps` rows of `metrics` floats each into a new store at `path`. */
export function buildReportStore(path: string, runs: number, steps: number, metrics: number): void {
  // The store's migrations make the tables; the rows go in with plain SQL, fastest for a fixture.
  openStore({ path }).close();
  const db = new Database(path);
  const now = 1_700_000_000;
  const insertRun = db.prepare(`INSERT INTO runs (project, id, entity, display_name, state, config, summary, summary_seq, tags,
    created_at, updated_at, heartbeat_at, finished_at, step, history_count, segment_start) VALUES ('bench', ?, NULL, ?, 'finished', ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?)`);
  const insertRow = db.prepare(INSERT_LINE_SQL);
  db.transaction(() => {
    for (let r = 0; r < runs; r++) {
      const t0 = now + r * 1000;
      const key = Number(
        insertRun.run(
          `run${String(r).padStart(5, '0')}`,
          `run-${r}`,
          JSON.stringify({ lr: 10 ** -(1 + (r % 3)), seed: r }),
          '{}',
          0,
          t0,
          t0,
          t0 + steps,
          t0 + steps,
          steps,
          steps,
          t0,
        ).lastInsertRowid,
      );
      const last: Record<string, number> = {};
      for (let i = 0; i < steps; i++) {
        const row: Record<string, number> = {};
        for (let k = 0; k < metrics; k++)
          row[`metric_${k}`] = Math.exp(-i / (20_000 + 5000 * k)) + Math.sin(i / 700 + r) * 0.05 + ((i * 2654435761 + r) % 1000) / 20_000;
        Object.assign(last, row);
        insertRow.run(key, i, i, JSON.stringify({ ...row, _step: i, _runtime: i / 100, _timestamp: t0 + i / 100 }));
      }
      db.prepare('UPDATE runs SET summary = ?, summary_seq = ? WHERE key = ?').run(JSON.stringify({ ...last, _step: steps - 1 }), steps, key);
    }
  })();
  db.close();
}

/** Folds every run's history into its buckets, as the log path would have while the runs were logged. */
function foldAll(path: string): void {
  const store = openStore({ path });
  try {
    for (const key of store.wandbFiles.allRunKeys()) catchUp(store, key);
  } finally {
    store.close();
  }
}

/** One report call through executeSkill in a new Node process: the call's wall and CPU time (ms), as the process measured them. */
function reportInFreshProcess(dir: string, xAxis: string): { ms: number; cpu: number } {
  const script = join(dir, 'report-once.mjs');
  writeFileSync(
    script,
    `import { executeSkill } from ${JSON.stringify(indexUrl)};
const t = performance.now();
const c = process.cpuUsage();
const out = await executeSkill({ action: 'report', project: 'bench', reportConfig: { title: 'fresh', format: 'html', xAxis: ${JSON.stringify(xAxis)} } }, { env: { WANDB_MODE: 'offline' }, cwd: ${JSON.stringify(dir)} });
const ms = performance.now() - t;
const used = process.cpuUsage(c);
if (out.status !== 'success') { console.error(JSON.stringify(out.error)); process.exit(1); }
process.stdout.write(JSON.stringify({ ms, cpu: (used.user + used.system) / 1000 }));
`,
  );
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { ms: number; cpu: number };
}

const indexUrl = new URL('../src/index.js', import.meta.url).href;

/**
 * A report over `runs` x `steps` x `metrics`, first call in a fresh process through executeSkill:
 * charted by step (the downsampled history) beside the same runs charted by `_runtime` (every row
 * streamed, the way step charts were read before), then two calls in this process.
 */
export async function benchReport(runs = 10, steps = 100_000, metrics = 5, target = '< 1 s'): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  try {
    const t0 = performance.now();
    const path = join(dir, 'wandb', 'skill-store.sqlite');
    buildReportStore(path, runs, steps, metrics);
    const buildMs = performance.now() - t0;
    const f0 = performance.now();
    foldAll(path);
    const foldMs = performance.now() - f0;
    const fresh = reportInFreshProcess(dir, '_step');
    const streamed = reportInFreshProcess(dir, '_runtime');
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
    try {
      const times: number[] = [];
      const cpu: number[] = [];
      let size = 0;
      for (let i = 0; i < 2; i++) {
        const t = performance.now();
        const c = process.cpuUsage();
        const out = await runner.execute({ action: 'report', project: 'bench', reportConfig: { title: `bench ${i}`, format: 'html' } });
        times.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu.push((used.user + used.system) / 1000);
        if (out.status !== 'success') throw new Error(JSON.stringify(out.error));
        size = statSync(out.report?.path as string).size;
      }
      const [cold, warm] = times as [number, number];
      return [
        {
          name: `report: ${runs} runs x ${steps} steps x ${metrics} metrics, html, first call in a fresh process`,
          // CPU beside wall time: on a shared machine the wall time is mostly waiting for a core.
          value: `${(fresh.ms / 1000).toFixed(2)} s (CPU ${(fresh.cpu / 1000).toFixed(2)} s)`,
          baseline: `streamed read (x = _runtime) ${(streamed.ms / 1000).toFixed(2)} s (CPU ${(streamed.cpu / 1000).toFixed(2)} s)`,
          ratio: `${(streamed.ms / fresh.ms).toFixed(1)}x faster`,
          target,
        },
        {
          name: 'report: same, in this process (first; second call)',
          value: `${(cold / 1000).toFixed(2)} s; ${(warm / 1000).toFixed(2)} s`,
          baseline: `store built in ${(buildMs / 1000).toFixed(1)} s, folded in ${(foldMs / 1000).toFixed(1)} s`,
          ratio: `CPU ${((cpu[0] as number) / 1000).toFixed(2)} s; ${(size / 1024).toFixed(0)} KiB file`,
          target,
        },
      ];
    } finally {
      runner.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
