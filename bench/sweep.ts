/**
 * Bayes sweep `next` through the front door (`executeSkill`, the store kept open between calls):
 * a 5-parameter mixed space (continuous, log-uniform, int, two categoricals), metric minimised,
 * seeded with finished trials through the same API, then the time of `next` + `finish` of the
 * claimed run at 60 and at 500 finished trials.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeStores, executeSkill } from '../src/skill.js';
import { percentile, type Row } from './stats.js';

const SWEEP_CONFIG = {
  method: 'bayes',
  metric: { name: 'loss', goal: 'minimize' },
  parameters: {
    lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 },
    dropout: { distribution: 'uniform', min: 0, max: 0.6 },
    layers: { distribution: 'int_uniform', min: 1, max: 12 },
    optimizer: { values: ['adam', 'sgd', 'rmsprop', 'adamw'] },
    activation: { values: ['relu', 'gelu', 'tanh'] },
  },
  seed: 7,
};

/** A smooth objective with a categorical offset, so the GP has something to model. */
function loss(c: Record<string, unknown>): number {
  const lr = Math.log10(c['lr'] as number);
  const opt = { adam: 0, adamw: -0.05, sgd: 0.3, rmsprop: 0.1 }[c['optimizer'] as string] ?? 0;
  const act = { relu: 0, gelu: -0.02, tanh: 0.15 }[c['activation'] as string] ?? 0;
  return (lr + 3) ** 2 * 0.2 + ((c['dropout'] as number) - 0.2) ** 2 + (((c['layers'] as number) - 6) / 6) ** 2 + opt + act;
}

type Opts = { env: Record<string, string>; cwd: string };

/** One trial: next, log the objective, finish. Returns the time of next and of finish (the log is not timed). */
async function trial(opts: Opts, sweepId: string): Promise<number> {
  const t0 = performance.now();
  const next = await executeSkill({ action: 'sweep', operation: 'next', project: 'bench', sweepId }, opts);
  const tNext = performance.now() - t0;
  if (next.status !== 'success' || next.done !== false) throw new Error(JSON.stringify(next));
  const runId = next.runId as string;
  const config = (next.suggestion as { config: Record<string, unknown> }).config;
  const logged = await executeSkill({ action: 'log', project: 'bench', runId, logData: { metrics: { loss: loss(config) } } }, opts);
  if (logged.status !== 'success') throw new Error(JSON.stringify(logged));
  const t1 = performance.now();
  const fin = await executeSkill({ action: 'finish', project: 'bench', runId }, opts);
  const tFinish = performance.now() - t1;
  if (fin.status !== 'success') throw new Error(JSON.stringify(fin));
  return tNext + tFinish;
}

/** Seeds the sweep up to `trials` finished runs, then times `reps` more next + finish calls. */
async function measure(opts: Opts, sweepId: string, done: number, trials: number, reps: number): Promise<number[]> {
  for (let i = done; i < trials; i++) await trial(opts, sweepId);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await trial(opts, sweepId));
  return times.sort((a, b) => a - b);
}

export async function benchSweep(reps = 30): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sweep-'));
  try {
    const opts: Opts = { env: { WANDB_MODE: 'offline' }, cwd: dir };
    const created = await executeSkill({ action: 'sweep', project: 'bench', sweepConfig: SWEEP_CONFIG }, opts);
    if (created.status !== 'success') throw new Error(JSON.stringify(created));
    const sweepId = created.sweepId as string;
    const rows: Row[] = [];
    let done = 0;
    for (const [trials, target] of [
      [60, '< 5 ms'],
      [500, '< 25 ms'],
    ] as const) {
      const t = await measure(opts, sweepId, done, trials, reps);
      done = trials + reps;
      rows.push({
        name: `sweep next + finish, bayes, ${trials} finished trials (p50 / p90 of ${reps})`,
        value: `${percentile(t, 50).toFixed(1)} / ${percentile(t, 90).toFixed(1)} ms`,
        baseline: trials === 60 ? 'W&B SDK 0.30: 35-49 ms (issue)' : '',
        ratio: '',
        target,
      });
    }
    closeStores();
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
