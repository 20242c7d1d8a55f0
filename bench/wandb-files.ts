/**
 * W&B offline run files: export of a 100k-step run of 10 metrics to a `.wandb` folder and import of
 * it into a fresh store, through the package's exported functions; baselines in the same run are a
 * raw SQLite read of the same rows (parsed) and a raw SQLite insert of the same lines in one
 * transaction (one statement a row, as log() writes them). A file in W&B's Python client's shape
 * (nested keys, two summary records a step) is imported beside ours, ours its baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/index.js';
import { exportWandbRuns, importWandbRuns } from '../src/index.js';
import type { Row } from './stats.js';
import { writePythonShape } from './wandb-python-shape.js';

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

/** Best (shortest) of `rounds` timings, and the first (a cold call: modules loaded and compiled). */
interface Timing {
  best: number;
  first: number;
}

function timing(ms: number[]): Timing {
  return { best: Math.min(...ms), first: ms[0] as number };
}

export async function benchWandbFiles(steps = 100_000, metrics = 10, rounds = 3): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wandb-files-'));
  const temps: string[] = [dir];
  const temp = (name: string): string => {
    const d = mkdtempSync(join(tmpdir(), `bench-wandb-files-${name}-`));
    temps.push(d);
    return d;
  };
  try {
    makeRun(dir, steps, metrics);
    const py = writePythonShape(temp('py'), steps, metrics);
    const pyImports: number[] = [];
    // Rounds interleave ours and the baselines, so a busy machine slows both alike; each is the best of its rounds.
    const reads: number[] = [];
    const inserts: number[] = [];
    const exports: number[] = [];
    const imports: number[] = [];
    let bytes = 0;
    for (let r = 0; r < rounds; r++) {
      reads.push(rawRead(dir));
      const out = join(temp('out'), 'out');
      const t0 = performance.now();
      const exp = await exportWandbRuns({ cwd: dir, env: {}, out });
      exports.push(performance.now() - t0);
      const t1 = performance.now();
      const imp = await importWandbRuns([out], { cwd: temp('in'), env: {} });
      imports.push(performance.now() - t1);
      inserts.push(rawInsert(dir, temp('raw')));
      const t2 = performance.now();
      const pyImp = await importWandbRuns([py], { cwd: temp('pyin'), env: {} });
      pyImports.push(performance.now() - t2);
      if (pyImp.imported[0]?.historyRows !== steps || pyImp.imported[0]?.status !== 'imported')
        throw new Error(`bench: unexpected result ${JSON.stringify(pyImp)}`);
      bytes = exp.exported[0]?.bytes ?? 0;
      if (exp.exported[0]?.historyRows !== steps || imp.imported[0]?.historyRows !== steps || imp.imported[0]?.status !== 'imported') {
        throw new Error(`bench: unexpected result ${JSON.stringify({ exp, imp })}`);
      }
    }
    const rate = (ms: number): number => steps / (ms / 1000);
    const ex = timing(exports);
    const im = timing(imports);
    const pyT = timing(pyImports);
    const read = Math.max(...reads);
    const insert = Math.max(...inserts);
    return [
      {
        name: `export: ${steps} steps x ${metrics} metrics to a .wandb folder (exportWandbRuns, best of ${rounds})`,
        value: `${rate(ex.best).toFixed(0)} rows/s`,
        baseline: `raw SQLite read+parse ${read.toFixed(0)} rows/s`,
        ratio: `${(rate(ex.best) / read).toFixed(2)} (${(ex.best / 1000).toFixed(2)} s, first ${(ex.first / 1000).toFixed(2)} s, ${(bytes / 1e6).toFixed(1)} MB)`,
        target: '>= 200000 rows/s',
      },
      {
        name: `import: the same .wandb file into a fresh store (importWandbRuns, best of ${rounds})`,
        value: `${rate(im.best).toFixed(0)} rows/s`,
        baseline: `raw SQLite insert ${insert.toFixed(0)} rows/s`,
        ratio: `${(rate(im.best) / insert).toFixed(2)} (${(im.best / 1000).toFixed(2)} s, first ${(im.first / 1000).toFixed(2)} s)`,
        target: '>= 200000 rows/s',
      },
      {
        name: `import: ${steps} steps in W&B's Python client's shape (nested keys, 2 summary records a step; best of ${rounds})`,
        value: `${rate(pyT.best).toFixed(0)} rows/s`,
        baseline: `our own shape's import ${rate(im.best).toFixed(0)} rows/s`,
        ratio: `${(rate(pyT.best) / rate(im.best)).toFixed(2)} (${(pyT.best / 1000).toFixed(2)} s, first ${(pyT.first / 1000).toFixed(2)} s)`,
        target: '>= 200000 rows/s',
      },
    ];
  } finally {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  }
}
