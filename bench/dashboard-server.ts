/**
 * Dashboard server timings over HTTP (issue 13's dashboard targets): the chart data of a 1M-row
 * run, a small request sent while it is computed, answer sizes, the cache, and comparing 20 long
 * runs. The same-run baseline is the dashboard's previous chart endpoint (`/runs/:id/charts`,
 * every row read), measured on the same store in the same process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/index.js';
import { startDashboard } from '../src/dashboard/index.js';
import type { Row } from './stats.js';

const METRICS = 10;

/** Writes `runs` runs of `steps` rows x 10 metrics into project `project` with plain SQL. */
export function writeRuns(path: string, project: string, runs: number, steps: number): string[] {
  openStore({ path }).close();
  const db = new Database(path);
  const now = 1_700_000_000;
  const insertRun = db.prepare(`INSERT INTO runs (project, id, entity, display_name, state, config, summary, summary_seq, tags,
    created_at, updated_at, heartbeat_at, finished_at, step, history_count, segment_start) VALUES (?, ?, NULL, ?, 'finished', ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?)`);
  const insertRow = db.prepare('INSERT INTO history (run_key, seq, step, row) VALUES (?, ?, ?, ?)');
  const ids: string[] = [];
  for (let r = 0; r < runs; r++) {
    db.transaction(() => {
      const id = `${project}-${r}`;
      const summary: Record<string, number> = {};
      for (let k = 0; k < METRICS; k++) summary[`metric_${k}`] = k;
      const info = insertRun.run(
        project,
        id,
        id,
        JSON.stringify({ lr: 0.001 * (r + 1) }),
        JSON.stringify(summary),
        steps,
        now,
        now,
        now + steps,
        now + steps,
        steps,
        steps,
        now,
      );
      const key = Number(info.lastInsertRowid);
      for (let i = 0; i < steps; i++) {
        let row = '{';
        for (let k = 0; k < METRICS; k++) row += `"metric_${k}":${Math.sin(i / 500 + k + r) + k + ((i * 7919) % 101) / 1000},`;
        insertRow.run(key, i, i, `${row}"_step":${i},"_runtime":${i / 100},"_timestamp":${now + i / 100}}`);
      }
      ids.push(id);
    })();
  }
  db.close();
  return ids;
}

/** One GET on its own connection (no keep-alive reuse across a busy server), timed to the last byte. */
function timed(url: string): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  return new Promise((ok, fail) => {
    get(url, { agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => (res.statusCode === 200 ? ok({ ms: performance.now() - t, bytes }) : fail(new Error(`${url}: ${res.statusCode}`))));
      res.on('error', fail);
    }).on('error', (err) => fail(new Error(`${url}: ${err.message}`)));
  });
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;

/** Server-side dashboard benchmarks; `longSteps` rows for the long run, `compareSteps` for each of 20 compared runs. */
export async function benchDashboardServer(longSteps = 1_000_000, compareSteps = 100_000): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dash-srv-'));
  const storePath = join(dir, 'wandb', 'skill-store.sqlite');
  try {
    const t0 = performance.now();
    const [long] = writeRuns(storePath, 'long', 1, longSteps);
    const many = writeRuns(storePath, 'many', 20, compareSteps);
    const buildMs = performance.now() - t0;
    const dash = await startDashboard({ storePath, port: 0 });
    try {
      const api = `${dash.url}/api/p/local`;
      const keys = Array.from({ length: METRICS }, (_, k) => `metric_${k}`).join(',');
      const small = await timed(`${api}/long/runs?limit=5`); // warms the connection and the statements
      // A chart of the long run (the run page asks for every metric at once), cold then cached.
      const seriesUrl = `${api}/long/series?runs=${long}&keys=${keys}`;
      const during = (async () => {
        await new Promise((ok) => setTimeout(ok, 30));
        return timed(`${api}/long/runs?limit=5`);
      })();
      const cold = await timed(seriesUrl);
      const smallDuring = await during;
      const warm = await timed(seriesUrl);
      const oneChart = await timed(`${api}/long/series?runs=${long}&keys=metric_0&samples=1000`);
      // Comparing 20 runs: the compare answer plus one series answer per chart, as the page asks.
      const ids = many.join(',');
      const c0 = performance.now();
      let compareBytes = (await timed(`${api}/many/compare?runs=${ids}`)).bytes;
      for (let k = 0; k < METRICS; k++) compareBytes += (await timed(`${api}/many/series?runs=${ids}&keys=metric_${k}`)).bytes;
      const compareMs = performance.now() - c0;
      // The same long run named 20 times (how main was measured): one read, 19 cache hits.
      const r0 = performance.now();
      const repeated = await timed(`${api}/long/series?runs=${Array(20).fill(long).join(',')}&keys=metric_1`);
      const repeatedMs = performance.now() - r0;
      // Baseline: the previous chart endpoint reads every row of the run.
      const old = await timed(`${api}/long/runs/${long}/charts`);
      return [
        {
          name: `dashboard server: chart data of a ${longSteps}-row run x ${METRICS} metrics (cold)`,
          value: ms(cold.ms),
          baseline: `previous full read ${ms(old.ms)}`,
          ratio: `${(old.ms / cold.ms).toFixed(1)}x faster`,
          target: '< 300 ms',
        },
        { name: 'dashboard server: same, cached by run and last step', value: ms(warm.ms), baseline: `answer ${mb(warm.bytes)}`, ratio: '', target: '' },
        {
          name: 'dashboard server: one metric of that run, 1000 samples',
          value: ms(oneChart.ms),
          baseline: `answer ${mb(oneChart.bytes)}`,
          ratio: '',
          target: '',
        },
        {
          name: 'dashboard server: small request sent 30 ms into the cold chart',
          value: ms(smallDuring.ms),
          baseline: `alone ${ms(small.ms)}`,
          ratio: '',
          target: '< 50 ms',
        },
        {
          name: `dashboard server: compare 20 runs of ${compareSteps} rows (compare + ${METRICS} chart answers)`,
          value: `${ms(compareMs)}, ${mb(compareBytes)}`,
          baseline: `store built in ${ms(buildMs)}`,
          ratio: '',
          target: '< 1000 ms, < 5 MB',
        },
        {
          name: `dashboard server: one ${longSteps}-row run named 20 times, one chart`,
          value: `${ms(repeatedMs)}, ${mb(repeated.bytes)}`,
          baseline: `previous endpoint answer ${mb(old.bytes)}`,
          ratio: '',
          target: '< 1000 ms, < 5 MB',
        },
      ];
    } finally {
      await dash.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
