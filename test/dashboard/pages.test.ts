// The dashboard in real Chromium: runs table, run page charts, comparison, sweep, XSS, live update, panels.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createSkillRunner } from '../../src/index.js';
import { valid } from '../helpers/tmp.js';
import { buildFixture, PNG, XSS_NAME, type Fixture } from './fixture.js';
import { dashboardSuite, noBrowser, watchErrors } from './browser.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFilesDir } from '../../src/runs/paths.js';
import { png } from '../media/helpers/encoders.js';

// The page's DOM, as far as the predicates below read it (the tests compile without the DOM lib).
declare const document: {
  querySelector(s: string): { textContent: string | null; getAttribute(a: string): string | null } | null;
  querySelectorAll(s: string): { length: number };
};

describe('dashboard pages in Chromium', { skip: noBrowser }, () => {
  let fx: Fixture;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  const suite = dashboardSuite('dash-pages-', async (dir) => {
    fx = await buildFixture(dir);
  });

  async function open(path: string): Promise<Page> {
    const page = await suite.browser.newPage({ viewport: { width: 1300, height: 900 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    watchErrors(page, pageErrors);
    const res = await page.goto(suite.dash.url + path);
    assert.ok(res, 'navigation response');
    assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    return page;
  }

  const names = (page: Page) => page.$$eval('#runs-table tbody .run-name', (els) => els.map((e) => e.textContent ?? ''));

  test('the runs table lists, sorts and filters runs', async () => {
    const page = await open('/local/demo');
    await page.waitForSelector('#runs-table tbody tr');
    assert.equal((await names(page)).length, 11);
    await page.click('th[data-sort="name"]');
    await page.waitForFunction(() => document.querySelector('th[data-sort="name"]')?.textContent?.includes('▲'));
    const sorted = await names(page);
    assert.deepEqual(
      sorted,
      [...sorted].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      'ascending by name',
    );
    await page.click('th[data-sort="name"]');
    await page.waitForFunction(() => document.querySelector('th[data-sort="name"]')?.textContent?.includes('▼'));
    assert.deepEqual(await names(page), [...sorted].reverse(), 'descending by name');
    await page.selectOption('#filter-tag', 'baseline');
    await page.waitForFunction((n) => document.querySelectorAll('#runs-table tbody tr').length === n, 1);
    assert.deepEqual(await names(page), ['alpha']);
    await page.selectOption('#filter-tag', '');
    await page.selectOption('#filter-state', 'running');
    await page.waitForFunction((n) => document.querySelectorAll('#runs-table tbody tr').length === n, 1);
    assert.deepEqual(await names(page), ['live']);
    await page.selectOption('#filter-state', '');
    await page.fill('#filter-text', 'sweep-');
    await page.waitForFunction((n) => document.querySelectorAll('#runs-table tbody tr').length === n, 4);
    await page.close();
  });

  test('a run page draws a chart per metric with its data', async () => {
    const page = await open(`/local/demo/runs/${fx.alpha}`);
    await page.waitForSelector('#charts .chart[data-metric="acc"] canvas');
    const metrics = await page.$$eval('#charts .chart', (els) => els.map((e) => e.getAttribute('data-metric')));
    assert.deepEqual(metrics, ['acc', 'loss']);
    // The x range covers all 60 steps, and hovering the last step shows the logged value there.
    assert.equal(await page.getAttribute('#charts .chart[data-metric="loss"] .chart-body', 'data-xmax'), '59');
    const box = await (await page.$('#charts .chart[data-metric="loss"] .u-over'))?.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
    await page.waitForSelector('#charts .chart[data-metric="loss"] .plot-tip.on');
    assert.match((await page.textContent('#charts .chart[data-metric="loss"] .plot-tip')) ?? '', /_step 59\s*alpha\s*0\.033333/);
    assert.equal(await page.textContent('#run-title'), 'alpha');
    await page.close();
  });

  test('a chart preset logged by the run (confusion matrix) is drawn from its table', async () => {
    const page = await open(`/local/demo/runs/${fx.charts}`);
    await page.waitForSelector('#logged-charts [data-logged-chart="cm"] svg');
    const cells = await page.$$eval('#logged-charts [data-logged-chart="cm"] svg g.mark-rect path', (els) => els.length);
    assert.ok(cells >= 4, `a cell per (actual, predicted) pair of two classes: ${cells} rect marks`);
    const text = await page.textContent('#logged-charts');
    assert.match(text ?? '', /cat/);
    assert.match(text ?? '', /dog/);
    await page.close();
  });

  test('the media gallery shows the logged image', async () => {
    const page = await open(`/local/demo/runs/${fx.media}`);
    await page.waitForSelector('#media img');
    const ok = await page.$eval('#media img', (img) => {
      const i = img as unknown as { complete: boolean; naturalWidth: number };
      return i.complete && i.naturalWidth === 2;
    });
    assert.ok(ok, 'the PNG loaded from the run folder');
    await page.close();
  });

  test('the overview names how the run ran, lists its files (no symlink) and shows its console output', async () => {
    writeFileSync(join(runFilesDir(fx.dir, 'demo', fx.media), 'output.log'), 'epoch 1 loss 0.5\nTraceback: boom\n');
    for (const n of [10, 2]) writeFileSync(join(runFilesDir(fx.dir, 'demo', fx.media), 'media', 'images', `step_${n}.png`), PNG);
    const page = await open(`/local/demo/runs/${fx.media}`);
    await page.waitForSelector('#run-files');
    const files = await page.$$eval('#run-files a', (as) => as.map((a) => a.textContent));
    assert.ok(files.includes('media/images/sample_3_abc.png'), files.join(','));
    assert.ok(files.indexOf('media/images/step_2.png') < files.indexOf('media/images/step_10.png'), `natural order: ${files.join(',')}`);
    assert.ok(!files.some((f) => (f ?? '').includes('link.png')), 'a symlink out of the folder is not listed');
    assert.match((await page.textContent('#console')) ?? '', /Traceback: boom/);
    assert.match((await page.textContent('#overview')) ?? '', /duration/);
    await page.close();
  });

  test('a step slider shows the images of each logged step', async () => {
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: fx.dir });
    const init = valid(await runner.execute({ action: 'init', project: 'demo', runConfig: { name: 'stepped' } }));
    const runId = init.runId as string;
    for (let i = 0; i < 3; i++)
      valid(
        await runner.execute({
          action: 'log',
          project: 'demo',
          runId,
          logData: { metrics: { sample: { _type: 'image', data: png(2 + i, 2).toString('base64'), caption: `at ${i}` } } },
        }),
      );
    valid(await runner.execute({ action: 'finish', project: 'demo', runId }));
    runner.close();
    const page = await open(`/local/demo/runs/${runId}`);
    await page.waitForSelector('input[aria-label="Step of sample"]');
    const width = () => page.$eval('.stepper[data-key="sample"] img', (img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    await page.waitForFunction(() => document.querySelector('.stepper[data-key="sample"] figcaption')?.textContent?.includes('at 2'));
    await page.fill('input[aria-label="Step of sample"]', '0');
    await page.waitForFunction(() => document.querySelector('.stepper[data-key="sample"] figcaption')?.textContent?.includes('at 0'));
    await page.waitForFunction(() => (document.querySelector('.stepper[data-key="sample"] img') as unknown as { complete: boolean } | null)?.complete === true);
    assert.equal(await width(), 2);
    await page.close();
  });

  test('a list of images and a list of audio show as their items: three captioned images, two players', async () => {
    const page = await open(`/local/demo/runs/${fx.lists}`);
    await page.waitForSelector('#media audio');
    const widths = await page.$$eval('#media img', (imgs) => imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth));
    assert.deepEqual(widths.sort(), [3, 4, 5], 'each image of the list loaded from the run folder');
    assert.match((await page.textContent('#media')) ?? '', /example 2/);
    assert.equal(await page.$$eval('#media audio', (a) => a.length), 2);
    await page.close();
  });

  test('two runs selected in the table open the comparison with overlaid lines', async () => {
    const page = await open('/local/demo');
    await page.waitForSelector('#runs-table tbody tr');
    await page.check(`tr[data-run="${fx.alpha}"] input.pick`);
    await page.check(`tr[data-run="${fx.beta}"] input.pick`);
    await Promise.all([page.waitForNavigation(), page.click('#compare')]);
    await page.waitForSelector('#charts .chart[data-metric="loss"] canvas');
    await page.waitForFunction(() => document.querySelector('#charts .chart[data-metric="loss"]')?.getAttribute('data-lines') === '2');
    const legend = await page.$$eval('#charts .chart[data-metric="loss"] .plot-legend li', (ts) => ts.map((t) => t.textContent));
    assert.ok(legend.includes('alpha') && legend.includes('beta'), `legend: ${legend.join(',')}`);
    assert.ok(await page.$('#config-diff tr.differs'), 'differing config rows are marked');
    await page.close();
  });

  test("a sweep's page draws parallel coordinates and names the best run", async () => {
    const page = await open('/local/demo/sweeps/sw1');
    await page.waitForSelector('#parallel svg');
    const lines = await page.$$eval('#parallel svg path.run-line', (ps) => ps.length);
    assert.equal(lines, 4, 'a line per sweep run');
    const axes = await page.$$eval('#parallel svg .axis-name', (ts) => ts.map((t) => t.textContent));
    for (const a of ['lr', 'layers', 'optimizer', 'val_loss']) assert.ok(axes.includes(a), `axis ${a} in ${axes.join(',')}`);
    assert.match((await page.textContent('#best-run')) ?? '', /sweep-0/);
    assert.equal(await page.$$eval('#sweep-runs tbody tr', (r) => r.length), 4);
    assert.equal(await page.$$eval('#importance tbody tr', (r) => r.length), 3, 'an importance row per parameter');
    assert.match((await page.textContent('#metric-definition')) ?? '', /summary val_loss/);
    await page.close();
  });

  test('a run named like an XSS probe shows as text and runs no script', async () => {
    const page = await open('/local/demo');
    await page.waitForSelector('#runs-table tbody tr');
    assert.ok((await names(page)).includes(XSS_NAME));
    const runPage = await open(`/local/demo/runs/${fx.xss}`);
    await runPage.waitForSelector('#charts canvas');
    assert.equal(await runPage.textContent('#run-title'), XSS_NAME);
    assert.equal(await runPage.$('img[src="x"]'), null, 'no element was made from the name');
    assert.equal(await runPage.$('main script, main b'), null);
    await runPage.waitForTimeout(200);
    assert.deepEqual(dialogs, []);
    await page.close();
    await runPage.close();
  });

  test('a running run updates live as rows are logged', async () => {
    const page = await open(`/local/demo/runs/${fx.live}`);
    await page.waitForSelector('#charts .chart[data-metric="loss"] canvas');
    assert.equal(await page.textContent('#run-rows'), '5');
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: fx.dir });
    for (let i = 0; i < 3; i++)
      valid(await runner.execute({ action: 'log', project: 'demo', runId: fx.live, logData: { metrics: { loss: 100 + i, fresh: i } } }));
    runner.close();
    await page.waitForFunction(() => document.querySelector('#run-rows')?.textContent === '8', undefined, { timeout: 8000 });
    await page.waitForSelector('#charts .chart[data-metric="fresh"] canvas', { timeout: 8000 });
    await page.close();
  });

  test('a saved panel shows on every run page of the project', async () => {
    const page = await open(`/local/demo/runs/${fx.alpha}`);
    await page.waitForSelector('#charts canvas');
    await page.click('.add-panel summary');
    await page.fill('#panel-name', 'acc points');
    await page.fill(
      '#panel-spec',
      JSON.stringify({ mark: 'point', encoding: { x: { field: '_step', type: 'quantitative' }, y: { field: 'acc', type: 'quantitative' } } }),
    );
    await page.click('#panel-save');
    await page.waitForSelector('#panels [data-panel="acc points"] svg');
    const points = await page.$$eval('#panels [data-panel="acc points"] svg g.mark-symbol path', (ps) => ps.length);
    assert.equal(points, 60, 'a point per history row');
    await page.fill('#panel-spec', '{"mark": ');
    await page.click('#panel-save');
    await page.waitForSelector('#panel-message.error');
    const other = await open(`/local/demo/runs/${fx.beta}`);
    await other.waitForSelector('#panels [data-panel="acc points"] svg');
    assert.equal(await other.$$eval('#panels [data-panel="acc points"] svg g.mark-symbol path', (ps) => ps.length), 40);
    await page.close();
    await other.close();
  });

  test('no page raised a script error or a CSP violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});
