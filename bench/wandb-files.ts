/**
 * W&B offline run files: export of a 100k-step run of 10 metrics to a `.wandb` folder and import of
 * it into a fresh store, through the exported functions; baselines in the same run are a raw SQLite
 * read of the same rows (parsed) and a raw SQLite insert of the same lines in one transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/index.js';
import { exportWandbRuns } from '../src/wandb-files/export.js';
import { importWandbRuns } from '../src/wandb-files/import.js';
import type { Row } from './stats.js';

export function makeRun(dir: string, steps: number, metrics: number): void {
  const store = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
  try {
    const t0 = 1_800_000_000;
    store.write(() => {
      const run = store.runs.insert({
        project: 'bench',
        id: 'bench100k',
        entity: null,
        displayName: 'bench',
        state: 'finished',
        config: { lr: 0.1 },
        tags: [],
        notes: null,
        group: null,
        jobType: null,
        username: null,
        host: null,
        sweepId: null,
        now: t0,
      });
      let last: Record<string, number> = {};
      for (let s = 0; s < steps; s++) {
        const row: Record<string, number> = {};
        for (let k = 0; k < metrics; k++) row[`metric_${k}`] = Math.sin(s / 50 + k) + k;
        row['_step'] = s;
        row['_runtime'] = s / 100;
        row['_timestamp'] = t0 + s / 100;
        store.history.append(run.key, s, s, JSON.stringify(row));
        last = row;
      }
      // The summary folded, as log() and finish() leave it.
      const summary = { ...last, _wandb: { runtime: Math.floor(steps / 100) } };
      store.runs.saveProgress(run.key, {
        state: 'finished',
        step: steps,
        historyCount: steps,
        summary: { value: summary, seq: steps },
        pendingRow: null,
        heartbeatAt: t0 + steps / 100,
        finishedAt: t0 + steps / 100,
        exitCode: 0,
      });
    });
  } finally {
    store.close();
  }
}

function rawRead(dir: string): number {
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  try {
    const t = performance.now();
    let n = 0;
    for (const r of db.prepare('SELECT row FROM history ORDER BY run_key, seq').iterate() as Iterable<{ row: string }>) {
      JSON.parse(r.row);
      n++;
    }
    return n / ((performance.now() - t) / 1000);
  } finally {
    db.close();
  }
}

function rawInsert(dir: string, into: string): number {
  const src = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  const dst = openStore({ path: join(into, 'wandb', 'skill-store.sqlite') });
  try {
    const lines = src.prepare('SELECT seq, step, row FROM history ORDER BY seq').all() as Array<{ seq: number; step: number; row: string }>;
    const t = performance.now();
    dst.write(() => {
      const run = dst.runs.insert({
        project: 'raw',
        id: 'raw',
        entity: null,
        displayName: 'raw',
        state: 'finished',
        config: {},
        tags: [],
        notes: null,
        group: null,
        jobType: null,
        username: null,
        host: null,
        sweepId: null,
        now: 0,
      });
      for (const l of lines) dst.history.append(run.key, l.seq, l.step, l.row);
    });
    return lines.length / ((performance.now() - t) / 1000);
  } finally {
    src.close();
    dst.close();
  }
}

export async function benchWandbFiles(steps = 100_000, metrics = 10): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wandb-files-'));
  const fresh = mkdtempSync(join(tmpdir(), 'bench-wandb-files-in-'));
  const raw = mkdtempSync(join(tmpdir(), 'bench-wandb-files-raw-'));
  try {
    makeRun(dir, steps, metrics);
    const read = rawRead(dir);
    const t0 = performance.now();
    const out = await exportWandbRuns({ cwd: dir, env: {}, out: join(dir, 'out') });
    const exportMs = performance.now() - t0;
    const t1 = performance.now();
    const imp = await importWandbRuns([join(dir, 'out')], { cwd: fresh, env: {} });
    const importMs = performance.now() - t1;
    const insert = rawInsert(dir, raw);
    if (out.exported[0]?.historyRows !== steps || imp.imported[0]?.historyRows !== steps || imp.imported[0]?.status !== 'imported') {
      throw new Error(`bench: unexpected result ${JSON.stringify({ out, imp })}`);
    }
    const exportRate = steps / (exportMs / 1000);
    const importRate = steps / (importMs / 1000);
    return [
      {
        name: `export: ${steps} steps x ${metrics} metrics to a .wandb folder`,
        value: `${exportRate.toFixed(0)} rows/s`,
        baseline: `raw SQLite read+parse ${read.toFixed(0)} rows/s`,
        ratio: `${(exportRate / read).toFixed(2)} (${(exportMs / 1000).toFixed(2)} s, ${((out.exported[0]?.bytes ?? 0) / 1e6).toFixed(1)} MB)`,
        target: '>= 200000 rows/s',
      },
      {
        name: `import: the same .wandb file into a fresh store`,
        value: `${importRate.toFixed(0)} rows/s`,
        baseline: `raw SQLite insert ${insert.toFixed(0)} rows/s`,
        ratio: `${(importRate / insert).toFixed(2)} (${(importMs / 1000).toFixed(2)} s)`,
        target: '>= 200000 rows/s',
      },
    ];
  } finally {
    for (const d of [dir, fresh, raw]) rmSync(d, { recursive: true, force: true });
  }
}
