/**
 * Dashboard server timings over HTTP (issue 13's dashboard targets), on a store with one generated
 * run of 1M rows x 10 metrics and 20 other runs of 1M rows (distinct runs: their own ids, rows and
 * downsampled form, the rows copied from the generated one): the chart data of the long run cold
 * and cached, a small request sent during it, answer sizes, the history answer, comparing the 20
 * runs as the compare page asks, and a run whose downsampled form is missing (an older store), whose
 * first chart folds it without holding the event loop. Times are to the last byte over loopback.
 *
 * Same-run baseline: the full scan the dashboard did before (every row read and parsed:
 * sampleHistoryByScan over the same keys), timed in this process on the same store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { openStore } from '../src/store/index.js';
import { startDashboard } from '../src/dashboard/index.js';
import { sampleHistoryByScan } from '../src/history/sampled.js';
import type { Row } from './stats.js';
import { copyRun, METRICS, writeRun } from './dashboard-store.js';

/** One GET on its own connection (no keep-alive reuse across a busy server), timed to the last byte. */
function timed(url: string): Promise<{ ms: number; bytes: number; body: Buffer }> {
  const t = performance.now();
  return new Promise((ok, fail) => {
    get(url, { agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const body = Buffer.concat(parts);
        if (res.statusCode === 200) ok({ ms: performance.now() - t, bytes: body.length, body });
        else fail(new Error(`${url}: ${res.statusCode} ${body.toString().slice(0, 200)}`));
      });
      res.on('error', fail);
    }).on('error', (err) => fail(new Error(`${url}: ${err.message}`)));
  });
}

/** `url`, and a small request sent `afterMs` into it; both timed. */
async function withSmallDuring(url: string, small: string, afterMs: number) {
  const during = (async () => {
    await new Promise((ok) => setTimeout(ok, afterMs));
    return timed(small);
  })();
  const big = await timed(url);
  return { big, small: await during };
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
const KEYS = Array.from({ length: METRICS }, (_, k) => `metric_${k}`);

/** The full scan the dashboard did before, over `keys` of run `key`, timed. */
function scanMs(storePath: string, key: number, keys: readonly string[]): number {
  const store = openStore({ path: storePath });
  try {
    const t = performance.now();
    sampleHistoryByScan(store, key, { keys, samples: 1000 });
    return performance.now() - t;
  } finally {
    store.close();
  }
}

/** Server-side dashboard benchmarks; `steps` rows for the long run and for each of the 20 compared runs. */
export async function benchDashboardServer(steps = 1_000_000, compared = 20): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dash-srv-'));
  const storePath = join(dir, 'wandb', 'skill-store.sqlite');
  try {
    const t0 = performance.now();
    const longKey = writeRun(storePath, 'long', 'long-0', steps);
    const genMs = performance.now() - t0;
    const many = copyRun(storePath, longKey, 'many', compared, steps, true);
    const [stale] = copyRun(storePath, longKey, 'stale', 1, steps, false);
    const buildMs = performance.now() - t0;
    const scan = scanMs(storePath, longKey, KEYS);
    const dash = await startDashboard({ storePath, port: 0 });
    try {
      const api = `${dash.url}/api/p/local`;
      const smallUrl = `${api}/long/runs?limit=5`;
      const alone = await timed(smallUrl); // warms the connection and the statements
      // The run page's charts: every metric of the long run in one series answer, cold then cached.
      const seriesUrl = `${api}/long/series?runs=long-0&keys=${KEYS.join(',')}`;
      const cold = await withSmallDuring(seriesUrl, smallUrl, 5);
      const warm = await timed(seriesUrl);
      const specs = await timed(`${api}/long/runs/long-0/charts`);
      const history = await timed(`${api}/long/runs/long-0/history?maxRows=20000`);
      // Comparing 20 runs, as the compare page asks: compare, the run set, one series answer per chart.
      const ids = many.join(',');
      const c0 = performance.now();
      let compareBytes = (await timed(`${api}/many/compare?runs=${ids}`)).bytes;
      compareBytes += (await timed(`${api}/many/workspace?runs=${ids}`)).bytes;
      let biggest = 0;
      for (const k of KEYS) {
        const a = await timed(`${api}/many/series?runs=${ids}&keys=${k}`);
        compareBytes += a.bytes;
        biggest = Math.max(biggest, a.bytes);
      }
      const compareMs = performance.now() - c0;
      // A run without its downsampled form: the first chart folds it in slices.
      const repair = await withSmallDuring(`${api}/stale/series?runs=${stale}&keys=${KEYS.join(',')}`, smallUrl, 200);
      return [
        {
          name: `dashboard server: chart data of a ${steps}-row run x ${METRICS} metrics (cold, one series answer)`,
          value: ms(cold.big.ms),
          baseline: `full scan ${ms(scan)}`,
          ratio: `${(scan / cold.big.ms).toFixed(1)}x faster`,
          target: '< 300 ms',
        },
        {
          name: 'dashboard server: small request sent 5 ms into that cold chart',
          value: ms(cold.small.ms),
          baseline: `alone ${ms(alone.ms)}; a scan holds the loop ${ms(scan)}`,
          ratio: '',
          target: '< 50 ms',
        },
        { name: 'dashboard server: same chart, cached by run and last step', value: ms(warm.ms), baseline: `answer ${mb(warm.bytes)}`, ratio: '', target: '' },
        {
          name: 'dashboard server: the run charts as Vega-Lite specs (/charts)',
          value: ms(specs.ms),
          baseline: `answer ${mb(specs.bytes)}`,
          ratio: '',
          target: '',
        },
        {
          name: 'dashboard server: history rows for panels (maxRows=20000)',
          value: ms(history.ms),
          baseline: `answer ${mb(history.bytes)}`,
          ratio: '',
          target: '',
        },
        {
          name: `dashboard server: compare ${compared} distinct runs of ${steps} rows (compare + workspace + ${METRICS} chart answers)`,
          value: `${ms(compareMs)}, ${mb(compareBytes)}`,
          baseline: `scans ${ms(scan * compared)} (${compared} x one run's); largest answer ${mb(biggest)}`,
          ratio: `${((scan * compared) / compareMs).toFixed(1)}x faster`,
          target: '< 1000 ms, < 5 MB',
        },
        {
          name: `dashboard server: first chart of a ${steps}-row run without its downsampled form (folded in slices)`,
          value: ms(repair.big.ms),
          baseline: `store: run generated ${ms(genMs)}, all built ${ms(buildMs)}`,
          ratio: '',
          target: '',
        },
        {
          name: 'dashboard server: small request sent 200 ms into that fold',
          value: ms(repair.small.ms),
          baseline: `alone ${ms(alone.ms)}`,
          ratio: '',
          target: '< 50 ms',
        },
      ];
    } finally {
      await dash.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
