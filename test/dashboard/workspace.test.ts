// The project workspace in real Chromium: charts over the filtered run set, chart controls,
// grouping, filters kept in the URL, honest NaN, compare with 20 runs, the runs table's layout.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { dashboardSuite, noBrowser, watchErrors } from './browser.js';
import { buildWorkspace, type WorkspaceFixture } from './workspace-fixture.js';

declare const location: { href: string };
declare const document: {
  querySelector(s: string): { textContent: string | null; getAttribute(a: string): string | null } | null;
  querySelectorAll(s: string): { length: number };
};
const SHOTS = process.env['DASH_SHOTS'];

describe('the project workspace in Chromium', { skip: noBrowser }, () => {
  let fx: WorkspaceFixture;
  const pageErrors: string[] = [];

  const suite = dashboardSuite('dash-ws-', async (dir) => {
    fx = await buildWorkspace(dir);
  });

  async function open(path: string, width = 1300): Promise<Page> {
    const page = await suite.browser.newPage({ viewport: { width, height: 1000 } });
    watchErrors(page, pageErrors);
    await page.goto(suite.dash.url + path);
    return page;
  }
  const shot = async (page: Page, name: string): Promise<void> => {
    const buf = await page.screenshot(SHOTS ? { path: join(SHOTS, `${name}.png`) } : {});
    assert.ok(buf.length > 10_000, `a screenshot with content (${buf.length} bytes)`);
  };
  const waitLines = (page: Page, metric: string, n: number): Promise<unknown> =>
    page.waitForFunction(
      ([m, k]) => document.querySelector(`#charts .chart[data-metric="${m}"]`)?.getAttribute('data-lines') === String(k),
      [metric, n] as const,
      { timeout: 15_000 },
    );

  test('every metric is charted over every run the table lists (25, not capped at 20), following search, filters and selection', async () => {
    const page = await open('/local/ws');
    await page.waitForSelector('#charts .chart[data-metric="loss"] canvas');
    await waitLines(page, 'loss', 25);
    const metrics = await page.$$eval('#charts .chart', (els) => els.map((e) => e.getAttribute('data-metric')));
    assert.deepEqual(metrics, ['loss', 'lr_now', 'val/acc']);
    assert.match((await page.textContent('#ws-status')) ?? '', /25 runs/);
    await shot(page, 'workspace');

    await page.fill('#filter-text', 'convnext');
    await waitLines(page, 'loss', 12);
    await page.fill('#filter-text', '');
    await waitLines(page, 'loss', 25);

    // Config filters, combinable, kept in the URL.
    await page.fill('#filter-add', 'optimizer = sgd');
    await page.press('#filter-add', 'Enter');
    await waitLines(page, 'loss', 13); // 12 sgd runs and the diverged one
    await page.fill('#filter-add', 'model.arch = resnet');
    await page.click('#filter-add-btn');
    await waitLines(page, 'loss', 6);
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tbody tr').length === 6);
    const url = page.url();
    assert.deepEqual(new URL(url).searchParams.getAll('f'), ['optimizer = sgd', 'model.arch = resnet']);
    const again = await open(new URL(url).pathname + new URL(url).search);
    await waitLines(again, 'loss', 6);
    assert.equal(await again.$$eval('#filter-chips .chip', (c) => c.length), 2);
    await again.click('button[aria-label="Remove filter optimizer = sgd"]');
    await waitLines(again, 'loss', 12);
    await again.fill('#filter-add', 'summary.val/acc > 0.9');
    await again.press('#filter-add', 'Enter');
    await waitLines(again, 'loss', 12); // resnet runs end at 1 - 1/22 > 0.9
    await again.close();

    // A selection in the table narrows the charts to the selected runs.
    await page.click('button[aria-label="Remove filter model.arch = resnet"]');
    await page.click('button[aria-label="Remove filter optimizer = sgd"]');
    await waitLines(page, 'loss', 25);
    const rows = await page.$$('#runs-table tbody input.pick');
    await (rows[0] as NonNullable<(typeof rows)[0]>).check();
    await (rows[1] as NonNullable<(typeof rows)[0]>).check();
    await waitLines(page, 'loss', 2);
    await page.close();
  });

  test('chart controls: hover values, zoom and reset, smoothing, log scales, x axis, bands', async () => {
    const page = await open('/local/ws?q=resnet-0');
    await page.waitForSelector('#charts .chart[data-metric="loss"] canvas');
    await waitLines(page, 'loss', 5);
    const over = await page.$('#charts .chart[data-metric="loss"] .u-over');
    const box = await (over as NonNullable<typeof over>).boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.waitForSelector('#charts .chart[data-metric="loss"] .plot-tip.on');
    const tip = (await page.textContent('#charts .chart[data-metric="loss"] .plot-tip')) ?? '';
    assert.match(tip, /_step \d+/);
    assert.match(tip, /resnet-0\d/);
    const body = '#charts .chart[data-metric="loss"] .chart-body';
    const full = Number(await page.getAttribute(body, 'data-xmax'));
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-xmax')) < 15, body);
    await page.click('button[aria-label="Reset zoom of loss"]');
    await page.waitForFunction(([sel, m]) => Number(document.querySelector(sel)?.getAttribute('data-xmax')) === m, [body, full] as const);

    // The amount says what it means: disabled with no smoothing, the EMA's weight, the running average's window.
    assert.equal(await page.isDisabled('#ws-smoothing'), true);
    await page.selectOption('#ws-smooth', 'avg');
    assert.equal(await page.textContent('#ws-smoothing-value'), 'window 60 points');
    await page.selectOption('#ws-smooth', 'ema');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('smooth') === 'ema');
    assert.equal(await page.isDisabled('#ws-smoothing'), false);
    assert.equal(await page.textContent('#ws-smoothing-value'), 'weight 0.60');
    await page.fill('#ws-smoothing', '0.9');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('smoothing') === '0.9');
    assert.equal(await page.textContent('#ws-smoothing-value'), 'weight 0.90');
    await page.check('#ws-logy');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-logy') === 'true', body);
    await page.check('#ws-logx');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-logx') === 'true', body);
    await shot(page, 'controls-log-ema');
    await page.selectOption('#ws-x', 'lr_now');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('x') === 'lr_now');
    await waitLines(page, 'loss', 5);
    await page.waitForFunction(() => document.querySelector('#charts .chart[data-metric="loss"]')?.getAttribute('aria-label') === 'loss by lr_now');
    await waitLines(page, 'loss', 5);
    await page.selectOption('#ws-x', '_runtime');
    await page.waitForFunction(() => document.querySelector('#charts .chart[data-metric="loss"]')?.getAttribute('aria-label') === 'loss by _runtime');
    await waitLines(page, 'loss', 5);
    await page.close();
  });

  test('grouping by a nested config key, by group and by job type: one line per group with its band', async () => {
    const page = await open('/local/ws?groupBy=config.model.arch');
    await page.waitForSelector('#charts .chart[data-metric="loss"] canvas');
    await waitLines(page, 'loss', 3);
    const legend = await page.$$eval('#charts .chart[data-metric="loss"] .plot-legend li', (li) => li.map((l) => l.textContent));
    assert.deepEqual(legend.sort(), ['(none) (1 runs)', 'convnext (12 runs)', 'resnet (12 runs)']);
    await shot(page, 'grouped-arch');
    await page.selectOption('#ws-group', 'jobType');
    await page.waitForFunction(() => document.querySelector('#charts .chart[data-metric="loss"] .plot-legend')?.textContent?.includes('eval (8 runs)'));
    await page.selectOption('#ws-band', 'std');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('band') === 'std');
    await page.close();
  });

  test('NaN and Infinity are shown as such, not as a silent gap', async () => {
    const page = await open(`/local/ws/runs/${fx.nan}`);
    await page.waitForSelector('#charts .chart[data-metric="loss"] canvas');
    assert.equal(await page.getAttribute('#charts .chart[data-metric="loss"]', 'data-nonfinite'), '2');
    assert.match((await page.textContent('#charts .chart[data-metric="loss"] .nonfinite')) ?? '', /2 NaN or infinite values/);
    const over = await page.$('#charts .chart[data-metric="loss"] .u-over');
    const box = await (over as NonNullable<typeof over>).boundingBox();
    assert.ok(box);
    const seen = new Set<string>();
    for (let f = 0.05; f < 1; f += 0.05) {
      await page.mouse.move(box.x + box.width * f, box.y + box.height / 2);
      const t = (await page.textContent('#charts .chart[data-metric="loss"] .plot-tip')) ?? '';
      for (const w of ['NaN', 'Infinity']) if (t.includes(w)) seen.add(w);
    }
    assert.deepEqual([...seen].sort(), ['Infinity', 'NaN']);
    await page.close();
  });

  test('compare stays readable with 20 runs: flattened config, differing keys marked, missing values marked', async () => {
    const ids = [...fx.runs.slice(0, 19), fx.nan];
    const page = await open(`/local/ws/compare?runs=${ids.join(',')}`);
    await page.waitForSelector('#config-diff tr[data-key="model.arch"]');
    await waitLines(page, 'loss', 20);
    const width = await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
    );
    assert.ok(width <= 1300, `the page does not grow sideways (${width} px)`);
    assert.equal(await page.getAttribute('#config-diff tr[data-key="model.arch"]', 'class'), 'differs');
    assert.equal(await page.$$eval('#config-diff tr[data-key="model.arch"] td.missing', (t) => t.length), 1, 'the diverged run has no model.arch');
    await page.check('#config-diff-only');
    await shot(page, 'compare-20');
    await page.close();
  });

  test('runs table: names whole, numbers right-aligned, sticky name column, group and job type columns, columns kept per project', async () => {
    const page = await open('/local/ws');
    await page.waitForSelector('#runs-table tbody tr');
    const style = await page.$eval('#runs-table tbody td.name-col', (td) => {
      const g = globalThis as unknown as { getComputedStyle(e: unknown): { position: string } };
      return g.getComputedStyle(td).position;
    });
    assert.equal(style, 'sticky');
    const header = await page.$$eval('#runs-table thead th', (th) => th.map((t) => t.textContent));
    for (const c of ['Group', 'Job type', 'Sweep']) assert.ok(header.includes(c), `${c} column in ${header.join(',')}`);
    assert.match((await page.textContent('#runs-table tbody')) ?? '', /convnext/);
    // Numbers right-aligned (cell and header), text left: table.grid's own left alignment must not win.
    const align = (sel: string): Promise<string> =>
      page.$eval(sel, (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { textAlign: string } }).getComputedStyle(el).textAlign);
    const col = async (name: string): Promise<number> =>
      (await page.$$eval('#runs-table thead th', (th) => th.map((t) => (t.textContent ?? '').replace(/ [▲▼]$/, '')))).indexOf(name) + 1;
    const lr = await col('config.lr');
    const opt = await col('config.optimizer');
    assert.ok(lr > 0 && opt > 0, 'config.lr and config.optimizer are default columns');
    assert.equal(await align(`#runs-table tbody tr:first-child td:nth-child(${lr})`), 'right');
    assert.equal(await align(`#runs-table thead th:nth-child(${lr})`), 'right');
    assert.equal(await align(`#runs-table tbody tr:first-child td:nth-child(${await col('Duration')})`), 'right');
    assert.equal(await align(`#runs-table tbody tr:first-child td:nth-child(${opt})`), 'left');
    await page.click('details.columns summary');
    const box = page.locator('label.colpick', { hasText: 'config.optimizer' }).locator('input');
    const had = await box.isChecked();
    await box.setChecked(!had);
    await page.waitForFunction(
      (want) =>
        [
          ...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ textContent: string }> } }).document.querySelectorAll(
            '#runs-table thead th',
          ),
        ].some((t) => t.textContent.startsWith('config.optimizer')) === want,
      !had,
    );
    const other = page; // one browser context: the choice lives in the page's local storage
    await other.goto(`${suite.dash.url}/local/ws`);
    await other.waitForSelector('#runs-table tbody tr');
    const kept = await other.$$eval('#runs-table thead th', (th) => th.some((t) => (t.textContent ?? '').startsWith('config.optimizer')));
    assert.equal(kept, !had, 'the column choice is kept for the project');
    await page.close();
  });

  test('every control has an accessible name and every chart an accessible title', async () => {
    for (const path of ['/local/ws', `/local/ws/runs/${fx.runs[0]}`, `/local/ws/compare?runs=${fx.runs.slice(0, 3).join(',')}`]) {
      const page = await open(path);
      await page.waitForSelector('#charts .chart canvas');
      const unnamed = await page.$$eval('main input, main select, main button, main textarea', (els) =>
        els
          .filter((e) => {
            const el = e as unknown as {
              getAttribute(a: string): string | null;
              labels?: { length: number } | null;
              textContent: string | null;
              type?: string;
            };
            if (el.type === 'hidden') return false;
            return !el.getAttribute('aria-label') && !(el.labels && el.labels.length > 0) && !(el.textContent ?? '').trim();
          })
          .map((e) => (e as unknown as { outerHTML: string }).outerHTML.slice(0, 80)),
      );
      assert.deepEqual(unnamed, [], `${path}: controls without a name`);
      const titles = await page.$$eval('#charts .chart', (els) => els.map((e) => `${e.getAttribute('role')}:${e.getAttribute('aria-label') ?? ''}`));
      assert.ok(titles.length > 0 && titles.every((t) => /^figure:.+ by /.test(t)), titles.join('|'));
      await page.close();
    }
  });

  test('no page raised a script error or a CSP violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});
