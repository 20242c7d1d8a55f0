/**
 * The downsampled history: `sampleHistory` of a 1M-row run (1,000 samples, 5 keys) against the full
 * scan it equals, the catch-up of a run written without buckets, and the log rate with the buckets
 * maintained beside the same calls' cost without the fold (the fold's time over the same rows,
 * measured in the same run and taken out).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../src/store/index.js';
import { closeStores, executeSkill } from '../src/skill.js';
import { catchUp } from '../src/history/fold.js';
import { sampleHistory, sampleHistoryByScan } from '../src/history/sampled.js';
import type { Row } from './stats.js';

/** Appends `rows` rows of `metrics` floats to a new run through the store's bulk path (the W&B-files import's). */
export function bulkRun(store: Store, id: string, rows: number, metrics: number, seed = 0): number {
  const key = store.write(
    () =>
      store.runs.insert({
        project: 'bench',
        id,
        entity: null,
        displayName: id,
        state: 'finished',
        config: { seed },
        tags: [],
        notes: null,
        group: null,
        jobType: null,
        username: null,
        host: null,
        sweepId: null,
        now: 1_700_000_000 + seed,
      }).key,
  );
  const CHUNK = 50_000;
  for (let from = 0; from < rows; from += CHUNK) {
    const batch: Array<{ step: number; line: string }> = [];
    for (let i = from; i < Math.min(rows, from + CHUNK); i++) {
      const row: Record<string, number> = {};
      for (let k = 0; k < metrics; k++)
        row[`metric_${k}`] = Math.exp(-i / (20_000 + 5000 * k)) + Math.sin(i / 700 + seed) * 0.05 + ((i * 2654435761 + seed) % 1000) / 20_000;
      batch.push({ step: i, line: JSON.stringify({ ...row, _step: i, _runtime: i / 100, _timestamp: 1_700_000_000 + i / 100 }) });
    }
    store.write(() => store.wandbFiles.appendHistory(key, from, { length: batch.length, stepAt: (i) => batch[i]!.step, lineAt: (i) => batch[i]!.line }));
  }
  return key;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function logRate(dir: string, n: number): Promise<Row[]> {
  const opts = { env: { WANDB_MODE: 'offline' }, cwd: dir };
  const metrics = (i: number): Record<string, number> => Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`metric_${k}`, Math.sin(i + k) * 0.5 + k]));
  const init = await executeSkill({ action: 'init', project: 'logbench' }, opts);
  for (let i = 0; i < 200; i++) await executeSkill({ action: 'log', project: 'logbench', runId: init.runId, logData: { metrics: metrics(i) } }, opts);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await executeSkill({ action: 'log', project: 'logbench', runId: init.runId, logData: { metrics: metrics(i) } }, opts);
  const loopMs = performance.now() - t0;
  closeStores();
  // The fold's share: the same rows folded again from nothing, as the log calls folded them.
  const store = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
  try {
    const key = store.runs.get('logbench', init.runId as string)?.key as number;
    const folds: number[] = [];
    for (let i = 0; i < 3; i++) {
      store.write(() => store.historyBuckets.clear(key));
      const f0 = performance.now();
      catchUp(store, key);
      folds.push(performance.now() - f0);
    }
    const rows = n + 200;
    const foldMs = (median(folds) * n) / rows;
    const withRate = n / (loopMs / 1000);
    const withoutRate = n / ((loopMs - foldMs) / 1000);
    return [
      {
        name: `log 10 floats, executeSkill loop (${n} calls), buckets maintained`,
        value: `${withRate.toFixed(0)} calls/s`,
        baseline: `without the fold ${withoutRate.toFixed(0)} calls/s`,
        ratio: `${(withRate / withoutRate).toFixed(3)}x (fold ${((foldMs / loopMs) * 100).toFixed(1)}% of the loop)`,
        target: 'not measurably lower',
      },
    ];
  } finally {
    store.close();
  }
}

export async function benchHistory(rows = 1_000_000, logCalls = 20_000): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  try {
    const store = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
    const out: Row[] = [];
    try {
      const b0 = performance.now();
      const key = bulkRun(store, 'big', rows, 5);
      const buildMs = performance.now() - b0;
      const c0 = performance.now();
      catchUp(store, key);
      const foldMs = performance.now() - c0;
      const o = { keys: ['metric_0', 'metric_1', 'metric_2', 'metric_3', 'metric_4'], samples: 1000 };
      const f0 = performance.now();
      const first = sampleHistory(store, key, o);
      const firstMs = performance.now() - f0;
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        sampleHistory(store, key, o);
        times.push(performance.now() - t);
      }
      const s0 = performance.now();
      const scan = sampleHistoryByScan(store, key, o);
      const scanMs = performance.now() - s0;
      if (JSON.stringify(scan) !== JSON.stringify(first)) throw new Error('sampleHistory differs from the scan');
      const ranged = { ...o, minStep: rows / 3, maxStep: (rows * 2) / 3 };
      const r0 = performance.now();
      sampleHistory(store, key, ranged);
      const rangedMs = performance.now() - r0;
      out.push(
        {
          name: `sampleHistory: ${rows} rows, 1,000 samples, 5 keys (median of 10; first call)`,
          value: `${median(times).toFixed(1)} ms; ${firstMs.toFixed(1)} ms`,
          baseline: `full scan ${(scanMs / 1000).toFixed(2)} s`,
          ratio: `${(scanMs / median(times)).toFixed(0)}x faster`,
          target: '< 50 ms',
        },
        { name: 'sampleHistory: same, middle third by step range', value: `${rangedMs.toFixed(1)} ms`, baseline: '', ratio: '', target: '' },
        {
          name: `catch-up (repair) of a ${rows}-row run without buckets`,
          value: `${(foldMs / 1000).toFixed(2)} s`,
          baseline: `bulk insert ${(buildMs / 1000).toFixed(2)} s`,
          ratio: `${((rows / foldMs) * 1000).toFixed(0)} rows/s`,
          target: '',
        },
      );
    } finally {
      store.close();
    }
    out.push(...(await logRate(dir, logCalls)));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
