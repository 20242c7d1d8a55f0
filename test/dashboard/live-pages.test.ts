// Every page updates live while a shown run is running, and stops asking once every shown run has
// ended: the project's runs table, compare and the sweep page (the run page has its own test).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createSkillRunner } from '../../src/index.js';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { launch, noBrowser, watchErrors } from './browser.js';

declare const document: { querySelector(s: string): { textContent: string | null; getAttribute(a: string): string | null } | null };

describe('live pages in Chromium', { skip: noBrowser }, () => {
  let tmp: ReturnType<typeof tempDir>;
  let dash: Dashboard;
  let browser: Browser;
  let runner: ReturnType<typeof createSkillRunner>;
  let done: string;
  let running: string;
  const pageErrors: string[] = [];
  const apiCalls = new Map<Page, string[]>();

  before(async () => {
    tmp = tempDir('dash-live-');
    runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: tmp.dir });
    const start = async (name: string, lr: number) => {
      const init = valid(await runner.execute({ action: 'init', project: 'lv', runConfig: { name, config: { lr } } }));
      const id = init.runId as string;
      for (let i = 0; i < 3; i++) valid(await runner.execute({ action: 'log', project: 'lv', runId: id, logData: { metrics: { loss: 1 / (i + 1) } } }));
      return id;
    };
    done = await start('done', 0.1);
    valid(await runner.execute({ action: 'finish', project: 'lv', runId: done }));
    running = await start('running', 0.01);
    const db = new Database(join(tmp.dir, 'wandb', 'skill-store.sqlite'));
    db.prepare("UPDATE runs SET sweep_id = 'swl' WHERE project = 'lv'").run();
    db.close();
    dash = await startDashboard({ dir: tmp.dir, port: 0 });
    browser = await launch();
  });
  after(async () => {
    runner?.close();
    await browser?.close();
    await dash?.close();
    tmp?.cleanup();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const calls: string[] = [];
    apiCalls.set(page, calls);
    page.on('request', (r) => {
      if (r.url().includes('/api/')) calls.push(r.url());
    });
    watchErrors(page, pageErrors);
    await page.goto(dash.url + path);
    return page;
  }
  const liveIs = (page: Page, v: boolean) =>
    page.waitForFunction((want) => document.querySelector('#live-status')?.getAttribute('data-live') === want, String(v), { timeout: 15_000 });
  const shows = (page: Page, selector: string, text: string) =>
    page.waitForFunction(([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t), [selector, text] as const, { timeout: 15_000 });

  test('project, compare and sweep pages follow a running run, then stop asking once it has ended', async () => {
    const project = await open('/local/lv');
    const compare = await open(`/local/lv/compare?runs=${done},${running}`);
    const sweep = await open('/local/lv/sweeps/swl');
    for (const p of [project, compare, sweep]) await liveIs(p, true);
    assert.match((await project.textContent('#live-status')) ?? '', /live: updating every 2 s/);

    valid(await runner.execute({ action: 'log', project: 'lv', runId: running, logData: { metrics: { loss: 123.5 } } }));
    await shows(project, `#runs-table tr[data-run="${running}"]`, '123.5');
    await shows(compare, '#summary-diff tr[data-key="loss"]', '123.5');
    await shows(sweep, '#sweep-runs tbody', '123.5');

    valid(await runner.execute({ action: 'finish', project: 'lv', runId: running }));
    for (const p of [project, compare, sweep]) await liveIs(p, false);
    await shows(project, `#runs-table tr[data-run="${running}"]`, 'finished');
    await shows(compare, '#compare-runs', 'finished');
    assert.match((await sweep.textContent('#live-status')) ?? '', /all shown runs ended: not updating/);
    // Once every shown run has ended, no page asks again.
    await project.waitForTimeout(4500); // the charts' own poll (every 4 s) makes its last refresh
    const counts = [project, compare, sweep].map((p) => apiCalls.get(p)?.length ?? 0);
    for (const c of counts) assert.ok(c > 0, `the pages were seen asking while the run was live (${counts.join(', ')})`);
    await project.waitForTimeout(5000);
    assert.deepEqual(
      [project, compare, sweep].map((p) => apiCalls.get(p)?.length ?? 0),
      counts,
      'no request in 5 s',
    );
    for (const p of [project, compare, sweep]) await p.close();
  });

  test('a page of finished runs never polls', async () => {
    const page = await open(`/local/lv/runs/${done}`);
    await liveIs(page, false);
    await page.waitForTimeout(500);
    const n = apiCalls.get(page)?.length ?? 0;
    assert.ok(n > 0, 'the page loaded its data through the API');
    await page.waitForTimeout(4000);
    assert.equal(apiCalls.get(page)?.length, n);
    await page.close();
  });

  test('no page raised a script error or a CSP violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});
