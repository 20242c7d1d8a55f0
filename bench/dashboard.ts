/**
 * Dashboard timings in real Chromium: time to the first chart of a run with 100,000 steps x 10
 * metrics (cold: a new browser context and a server that has not read the run; warm: the same
 * page again), and the runs table of a project with 10,000 runs; then the server's own timings
 * (bench/dashboard-server.ts). The big store is written with direct SQL (same schema, via
 * openStore) rather than a million executeSkill calls, then its downsampled form folded as logging
 * keeps it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/index.js';
import { catchUp } from '../src/history/fold.js';
import { startDashboard } from '../src/dashboard/index.js';
import type { Row } from './stats.js';
import { benchDashboardServer } from './dashboard-server.js';
import { CHROMIUM, launch, noBrowser } from '../test/dashboard/browser.js';
import { INSERT_LINE_SQL } from '../src/store/history-layout.js';

function buildStore(path: string, steps: number, runs: number): string {
  // The store's migrations make the tables; the rows go in with plain SQL, fastest for a fixture.
  openStore({ path }).close();
  const db = new Database(path);
  const now = 1_700_000_000;
  const insertRun = db.prepare(`INSERT INTO runs (project, id, entity, display_name, state, config, summary, summary_seq, tags,
    created_at, updated_at, heartbeat_at, finished_at, step, history_count, segment_start) VALUES (?, ?, NULL, ?, 'finished', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertRow = db.prepare(INSERT_LINE_SQL);
  db.transaction(() => {
    const summary: Record<string, number> = {};
    const info = insertRun.run('big-run', 'longrun1', 'long-run', '{"lr":0.001}', '{}', 0, '[]', now, now, now + steps, now + steps, steps, steps, now);
    const key = Number(info.lastInsertRowid);
    for (let i = 0; i < steps; i++) {
      const row: Record<string, number> = {};
      for (let k = 0; k < 10; k++) row[`metric_${k}`] = Math.sin(i / 500 + k) + k + Math.random() * 0.1;
      Object.assign(summary, row);
      insertRow.run(key, i, i, JSON.stringify({ ...row, _step: i, _runtime: i / 100, _timestamp: now + i / 100 }));
    }
    db.prepare('UPDATE runs SET summary = ?, summary_seq = ? WHERE key = ?').run(JSON.stringify(summary), steps, key);
    for (let r = 0; r < runs; r++) {
      const cfg = { lr: 10 ** -(1 + (r % 4)), batch: 16 << (r % 4), layers: 1 + (r % 6) };
      const sum = { loss: Math.abs(Math.sin(r)) + 0.01, acc: Math.abs(Math.cos(r)) };
      insertRun.run(
        'many-runs',
        `run${String(r).padStart(5, '0')}`,
        `run-${r}`,
        JSON.stringify(cfg),
        JSON.stringify(sum),
        0,
        JSON.stringify(r % 3 === 0 ? ['a'] : ['b']),
        now + r,
        now + r,
        now + r + 60,
        now + r + 60,
        0,
        0,
        now + r,
      );
    }
  })();
  db.close();
  // The downsampled form, as logging keeps it (folded every 256 rows): a run logged through the
  // package has it; the server bench times a run without it (a store from before it) separately.
  const store = openStore({ path });
  try {
    catchUp(store, (store.runs.get('big-run', 'longrun1') as { key: number }).key);
  } finally {
    store.close();
  }
  return path;
}

/** Runs the dashboard benchmarks; empty rows (with a note) when Chromium is missing. */
export async function benchDashboard(steps = 100_000, runs = 10_000): Promise<Row[]> {
  const browserRows = await benchInChromium(steps, runs);
  return [...browserRows, ...(await benchDashboardServer())];
}

export async function benchInChromium(steps: number, runs: number): Promise<Row[]> {
  if (noBrowser !== false) return [{ name: 'dashboard (skipped)', value: `no ${CHROMIUM}`, baseline: '', ratio: '', target: '' }];
  const dir = mkdtempSync(join(tmpdir(), 'bench-dash-'));
  const t0 = performance.now();
  const storePath = buildStore(join(dir, 'wandb', 'skill-store.sqlite'), steps, runs);
  const buildMs = performance.now() - t0;
  const dash = await startDashboard({ storePath, port: 0 });
  const browser = await launch();

  try {
    const watchScript = () => {
      const w = globalThis as unknown as {
        __seen: Record<string, number>;
        document: { querySelector(s: string): unknown; addEventListener(e: string, f: () => void): void; body: unknown };
        MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void };
      };
      w.__seen = {};
      const watch = ['#charts .chart canvas', '#runs-table tbody tr'];
      const mo = new w.MutationObserver(() => {
        for (const s of watch) if (w.__seen[s] === undefined && w.document.querySelector(s)) w.__seen[s] = performance.now();
      });
      w.document.addEventListener('DOMContentLoaded', () => mo.observe(w.document.body, { childList: true, subtree: true }));
    };
    // Times are taken in the page, from its navigation start (performance.now() = 0) to the moment the
    // element is first in the DOM; Playwright's own polling adds hundreds of ms on a busy machine.
    const newPage = async () => {
      const ctx = await browser.newContext({ viewport: { width: 1300, height: 900 } });
      const p = await ctx.newPage();
      await p.addInitScript(watchScript);
      return p;
    };
    const timeTo = async (p: Awaited<ReturnType<typeof newPage>>, url: string, selector: string): Promise<number> => {
      await p.goto(url, { waitUntil: 'commit' });
      await p.waitForSelector(selector, { state: 'attached', timeout: 60_000 });
      return p.evaluate((s) => (globalThis as unknown as { __seen: Record<string, number> }).__seen[s] as number, selector);
    };
    const runPage = `${dash.url}/local/big-run/runs/longrun1`;
    const chartSel = '#charts .chart canvas';
    const coldPage = await newPage(); // a new context: nothing in the browser's cache
    await coldPage.goto(`${dash.url}/api/projects`); // the browser's own start-up is not the dashboard's
    const coldFirst = await timeTo(coldPage, runPage, chartSel);
    const page = await newPage();
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push(await timeTo(page, runPage, chartSel));
    const chartCode = (
      await Promise.all(['uPlot.iife.min.js', 'uPlot.min.css'].map(async (f) => (await (await fetch(`${dash.url}/vendor/${f}`)).arrayBuffer()).byteLength))
    ).reduce((a, b) => a + b, 0);
    const tablePage = `${dash.url}/local/many-runs`;
    const table: number[] = [];
    for (let i = 0; i < 3; i++) table.push(await timeTo(page, tablePage, '#runs-table tbody tr'));
    const ts = performance.now();
    await page.click('th[data-sort="summary.loss"]');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document
          .querySelector('th[data-sort="summary.loss"]')
          ?.textContent?.includes('▼') === true,
    );
    const sortMs = performance.now() - ts;
    const api0 = performance.now();
    const res = await fetch(`${dash.url}/api/p/local/many-runs/runs?sort=summary.loss&order=asc&limit=50&columns=config.lr,summary.loss`);
    await res.json();
    const apiMs = performance.now() - api0;
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    return [
      {
        name: `dashboard: first chart, run of ${steps} steps x 10 metrics (cold: new browser context, server has not read the run)`,
        value: ms(coldFirst),
        baseline: `store built in ${ms(buildMs)}; chart code ${(chartCode / 1000).toFixed(0)} kB`,
        ratio: '',
        target: '< 500 ms',
      },
      { name: 'dashboard: first chart, same run (warm, median of 3)', value: ms(med(warm)), baseline: '', ratio: '', target: '< 500 ms' },
      { name: `dashboard: runs table, ${runs} runs, first page (median of 3)`, value: ms(med(table)), baseline: '', ratio: '', target: '< 1000 ms' },
      {
        name: 'dashboard: runs table re-sorted by summary.loss (Playwright click to header change)',
        value: ms(sortMs),
        baseline: `API alone ${ms(apiMs)}`,
        ratio: '',
        target: '< 1000 ms',
      },
    ];
  } finally {
    await browser.close();
    await dash.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
