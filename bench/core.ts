import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { closeStores, createSkillRunner, executeSkill, type SkillOptions } from '../src/skill.js';
import { percentile, fmtUs, type Row } from './stats.js';

const metrics10 = (i: number): Record<string, number> => {
  const m: Record<string, number> = {};
  for (let k = 0; k < 10; k++) m[`metric_${k}`] = Math.sin(i + k) * 0.5 + k;
  return m;
};

/**
 * Calls per second of `n` logs through executeSkill with `options` (none: the call as the README's
 * first example makes it) to a new run, after 200 unmeasured ones; each call's ms into `latencies`.
 */
async function executeSkillRate(n: number, options: SkillOptions | undefined, latencies?: number[]): Promise<number> {
  const call = (context: Record<string, unknown>) => (options === undefined ? executeSkill(context) : executeSkill(context, options));
  const { runId } = await call({ action: 'init', project: 'bench' });
  for (let i = 0; i < 200; i++) await call({ action: 'log', project: 'bench', runId, logData: { metrics: metrics10(i) } });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const out = await call({ action: 'log', project: 'bench', runId, logData: { metrics: metrics10(i) } });
    latencies?.push(performance.now() - t);
    if (out.status !== 'success') throw new Error(JSON.stringify(out));
  }
  return n / ((performance.now() - t0) / 1000);
}

/** In-process log of 10 scalars beside a raw better-sqlite3 insert of the same row, one transaction each. */
export async function benchLog(n: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-log-'));
  try {
    // raw baseline: the same JSON row, its own transaction, same pragmas as the store
    const raw = new Database(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec('CREATE TABLE h (run_key INTEGER, seq INTEGER, step INTEGER, row TEXT, PRIMARY KEY (run_key, seq))');
    const ins = raw.prepare('INSERT INTO h VALUES (1, ?, ?, ?)');
    const tx = raw.transaction((i: number) => ins.run(i, i, JSON.stringify({ ...metrics10(i), _step: i, _runtime: i / 1000, _timestamp: Date.now() / 1000 })));
    const rawLat: number[] = [];
    const r0 = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      tx.immediate(i);
      rawLat.push(performance.now() - t);
    }
    const rawRate = n / ((performance.now() - r0) / 1000);
    raw.close();

    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
    const init = await runner.execute({ action: 'init', project: 'bench' });
    const runId = init.runId as string;
    for (let i = 0; i < 200; i++) await runner.execute({ action: 'log', project: 'bench', runId, logData: { metrics: metrics10(i) } });
    const lat: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const out = await runner.execute({ action: 'log', project: 'bench', runId, logData: { metrics: metrics10(i) } });
      lat.push(performance.now() - t);
      if (out.status !== 'success') throw new Error(JSON.stringify(out));
    }
    const rate = n / ((performance.now() - t0) / 1000);
    runner.close();
    // The front door: executeSkill in a loop, as the card and the README's first example call it, on
    // a store of its own (as the runner had): measured in the runner's store it also paid for the
    // 20,000 rows the runner had just written.
    const frontDir = join(dir, 'front');
    mkdirSync(frontDir);
    const opts = { env: { WANDB_MODE: 'offline' }, cwd: frontDir };
    const flat: number[] = [];
    const frontRate = await executeSkillRate(n, opts, flat);
    // The README's first example: executeSkill(context) with no options at all, so each call reads
    // the settings' variables from process.env and the folder from process.cwd().
    const bareDir = join(dir, 'bare');
    mkdirSync(bareDir);
    const cwd = process.cwd();
    const mode = process.env['WANDB_MODE'];
    process.chdir(bareDir);
    process.env['WANDB_MODE'] = 'offline';
    let bareRate: number;
    try {
      bareRate = await executeSkillRate(n, undefined);
    } finally {
      process.chdir(cwd);
      if (mode === undefined) delete process.env['WANDB_MODE'];
      else process.env['WANDB_MODE'] = mode;
    }
    closeStores();
    lat.sort((a, b) => a - b);
    rawLat.sort((a, b) => a - b);
    flat.sort((a, b) => a - b);
    return [
      {
        name: `log 10 floats, executeSkill in a loop (${n} calls)`,
        value: `${frontRate.toFixed(0)} calls/s`,
        baseline: `raw insert ${rawRate.toFixed(0)} rows/s`,
        ratio: `${(frontRate / rawRate).toFixed(2)}x`,
        target: '>= 0.8x raw',
      },
      {
        name: `log 10 floats, executeSkill(context) without options (process.env, cwd) (${n} calls)`,
        value: `${bareRate.toFixed(0)} calls/s`,
        baseline: `raw insert ${rawRate.toFixed(0)} rows/s`,
        ratio: `${(bareRate / rawRate).toFixed(2)}x`,
        target: '>= 0.8x raw',
      },
      {
        name: 'executeSkill log p50 / p99',
        value: `${fmtUs(percentile(flat, 50))} / ${fmtUs(percentile(flat, 99))}`,
        baseline: `raw ${fmtUs(percentile(rawLat, 50))} / ${fmtUs(percentile(rawLat, 99))}`,
        ratio: '',
        target: 'p99 < 1000 µs',
      },
      {
        name: `log 10 floats, one runner (${n} calls)`,
        value: `${rate.toFixed(0)} calls/s`,
        baseline: `raw insert ${rawRate.toFixed(0)} rows/s`,
        ratio: `${(rate / rawRate).toFixed(2)}x`,
        target: '>= 0.8x raw',
      },
      {
        name: 'runner log p50 / p99',
        value: `${fmtUs(percentile(lat, 50))} / ${fmtUs(percentile(lat, 99))}`,
        baseline: `raw ${fmtUs(percentile(rawLat, 50))} / ${fmtUs(percentile(rawLat, 99))}`,
        ratio: '',
        target: 'p99 < 1000 µs',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The agent path: one process per call, `wandb-skill '<log json>'` beside `node -e 0`, interleaved. */
export function benchCli(bin: string, reps: number): Row[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  try {
    const env = { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline' };
    const init = JSON.parse(execFileSync(process.execPath, [bin, '{"action":"init","project":"bench"}'], { cwd: dir, env }).toString()) as { runId: string };
    const logJson = JSON.stringify({ action: 'log', project: 'bench', runId: init.runId, logData: { metrics: metrics10(1) } });
    const ours: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < reps; i++) {
      let t = performance.now();
      const r = spawnSync(process.execPath, [bin, logJson], { cwd: dir, env });
      ours.push(performance.now() - t);
      if (r.status !== 0) throw new Error(r.stdout.toString() + r.stderr.toString());
      t = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { cwd: dir, env });
      node.push(performance.now() - t);
    }
    ours.sort((a, b) => a - b);
    node.sort((a, b) => a - b);
    const o = percentile(ours, 50);
    const b = percentile(node, 50);
    return [
      {
        name: `wandb-skill log, one process per call (p50 of ${reps})`,
        value: `${o.toFixed(1)} ms`,
        baseline: `node -e 0: ${b.toFixed(1)} ms`,
        ratio: `${(o / b).toFixed(2)}x`,
        target: '<= 1.5x node',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** W&B's "v1-scalars" profile: 10 runs x 100 steps x 100 floats, in-process, init to finish. */
export async function benchV1Scalars(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-v1-'));
  try {
    const row = (s: number) => {
      const m: Record<string, number> = {};
      for (let k = 0; k < 100; k++) m[`m${k}`] = Math.random() + s;
      return m;
    };
    // Through executeSkill, as the card calls it (the store stays open between calls).
    const opts = { env: { WANDB_MODE: 'offline' }, cwd: dir };
    const t0 = performance.now();
    for (let r = 0; r < 10; r++) {
      const runId = (await executeSkill({ action: 'init', project: 'v1', runConfig: { config: { r } } }, opts)).runId as string;
      for (let s = 0; s < 100; s++) await executeSkill({ action: 'log', project: 'v1', runId, logData: { metrics: row(s) } }, opts);
      await executeSkill({ action: 'finish', project: 'v1', runId }, opts);
    }
    const ms = performance.now() - t0;
    closeStores();
    return [
      {
        name: 'v1-scalars via executeSkill: 10 runs x 100 steps x 100 floats',
        value: `${(ms / 1000).toFixed(3)} s`,
        baseline: 'W&B SDK 0.30: 1.15 s (issue)',
        ratio: `${(1150 / ms).toFixed(1)}x faster`,
        target: '< 0.15 s',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
