// Media over steps in real Chromium: a histogram key as a heat strip with a step slider showing that
// step's bars, and audio a step at a time.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createSkillRunner } from '../../src/index.js';
import { valid } from '../helpers/tmp.js';
import { wav } from '../media/helpers/encoders.js';
import { dashboardSuite, noBrowser, watchErrors } from './browser.js';
import { unnamedControls, untitledCharts } from './a11y.js';

const SHOTS = process.env['DASH_SHOTS'];
const STEPS = 6;

describe('media over steps', { skip: noBrowser }, () => {
  let runId: string;
  const pageErrors: string[] = [];

  const suite = dashboardSuite('dash-media-', async (dir) => {
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
    const init = valid(await runner.execute({ action: 'init', project: 'md', runConfig: { name: 'hist' } }));
    runId = init.runId as string;
    for (let k = 0; k < STEPS; k++) {
      // Values around k: the mass moves up the value axis step by step.
      const sequence = Array.from({ length: 200 }, (_, i) => k + Math.sin(i) * 0.4);
      const metrics: Record<string, unknown> = { w: { _type: 'histogram', sequence }, loss: 1 / (k + 1) };
      if (k === 0)
        metrics['preds'] = {
          _type: 'table',
          columns: ['id', 'score', 'label'],
          data: Array.from({ length: 120 }, (_, i) => [i, (i * 37) % 120, `label-${i % 10}`]),
        };
      if (k < 2) metrics['clip'] = { _type: 'audio', data: wav(8000 * (k + 1), 1, 16, 2000).toString('base64') };
      valid(await runner.execute({ action: 'log', project: 'md', runId, logData: { metrics } }));
    }
    valid(await runner.execute({ action: 'finish', project: 'md', runId }));
    runner.close();
  });

  async function open(): Promise<Page> {
    const page = await suite.browser.newPage({ viewport: { width: 1300, height: 1000 } });
    watchErrors(page, pageErrors);
    await page.goto(`${suite.dash.url}/local/md/runs/${runId}`);
    return page;
  }

  test('a histogram key is one heat strip over its steps; the slider shows each step’s bars', async () => {
    const page = await open();
    const strip = '.hist-strip[data-key="w"] canvas.heat-strip';
    await page.waitForSelector(strip);
    assert.equal(await page.getAttribute(strip, 'data-steps'), String(STEPS));
    assert.match((await page.getAttribute(strip, 'aria-label')) ?? '', /^Histogram of w over 6 steps \(0 to 5\)/);
    // The darkest row of each column climbs with the step, as the values do.
    const peaks = await page.$eval(strip, (c) => {
      const canvas = c as unknown as {
        width: number;
        height: number;
        getContext(k: string): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      };
      const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const cols = 6;
      const colW = canvas.width / cols;
      return Array.from({ length: cols }, (_, k) => {
        let best = -1;
        let at = -1;
        for (let y = 0; y < canvas.height; y++) {
          const alpha = img[(y * canvas.width + Math.floor(k * colW + colW / 2)) * 4 + 3] as number;
          if (alpha > best) [best, at] = [alpha, y];
        }
        return at;
      });
    });
    for (let k = 1; k < STEPS; k++) assert.ok((peaks[k] as number) < (peaks[k - 1] as number), `peaks rise: ${peaks.join(',')}`);

    const slider = 'input[aria-label="Step of w"]';
    assert.equal(await page.textContent('[data-step-label="w"]'), 'step 5 (6 of 6)');
    assert.equal(await page.getAttribute('.hist-strip svg.hist-bars', 'aria-label'), 'Histogram of w at step 5');
    await page.fill(slider, '0');
    assert.equal(await page.textContent('[data-step-label="w"]'), 'step 0 (1 of 6)');
    assert.equal(await page.getAttribute('.hist-strip svg.hist-bars', 'aria-label'), 'Histogram of w at step 0');
    assert.equal(await page.$$eval('.hist-strip svg.hist-bars rect.bar', (r) => r.length), 64, "W&B's 64 bins");
    // Clicking a column picks its step.
    const box = await page.locator(strip).boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + (box.width * 3.5) / STEPS, box.y + box.height / 2);
    assert.equal(await page.textContent('[data-step-label="w"]'), 'step 3 (4 of 6)');
    assert.deepEqual(await unnamedControls(page), [], 'every control named');
    assert.deepEqual(await untitledCharts(page), [], 'every chart titled');
    if (SHOTS) await page.locator('#media').screenshot({ path: join(SHOTS, 'media-steps.png') });
    await page.close();
  });

  test('audio is shown a step at a time', async () => {
    const page = await open();
    const slider = 'input[aria-label="Step of clip"]';
    await page.waitForSelector(slider);
    const src = () => page.getAttribute('.stepper[data-key="clip"] audio', 'src');
    const last = await src();
    await page.fill(slider, '0');
    const first = await src();
    assert.ok(first && last && first !== last, `a different clip per step: ${first} ${last}`);
    assert.equal(await page.$$eval('.stepper[data-key="clip"] audio', (a) => a.length), 1);
    assert.match((await page.getAttribute('.stepper[data-key="clip"] audio', 'aria-label')) ?? '', /^Audio clip at step \d+/);
    assert.deepEqual(await unnamedControls(page), [], 'every player named');
    await page.close();
  });

  test('a logged table of 120 rows: every row reachable by page, sortable by a column, filtered by text', async () => {
    const page = await open();
    const status = '[data-table-status="preds"]';
    await page.waitForSelector(status);
    assert.equal(await page.textContent(status), 'rows 1–50 of 120');
    await page.click('button[aria-label="Next rows of preds"]');
    await page.click('button[aria-label="Next rows of preds"]');
    assert.equal(await page.textContent(status), 'rows 101–120 of 120');
    const firstCells = () => page.$$eval('[data-table="preds"] tbody tr:first-child td', (ts) => ts.map((t) => t.textContent));
    assert.deepEqual(await firstCells(), ['100', '100', 'label-0']);
    await page.click('button[aria-label="Sort preds by score"]');
    await page.click('button[aria-label="Sort preds by score"]');
    assert.equal(await page.getAttribute('[data-table="preds"] th[aria-sort="descending"] button', 'aria-label'), 'Sort preds by score');
    assert.deepEqual(await firstCells(), ['107', '119', 'label-7'], 'sorting starts again at the first page, highest score first');
    assert.equal(await page.textContent(status), 'rows 1–50 of 120');
    await page.fill('[data-table-filter="preds"]', 'label-7');
    await page.waitForFunction(
      (s) =>
        (globalThis as unknown as { document: { querySelector(q: string): { textContent: string } | null } }).document
          .querySelector(s)
          ?.textContent?.startsWith('rows 1–12 of 12'),
      status,
    );
    assert.equal(await page.textContent(status), 'rows 1–12 of 12 (filtered from 120)');
    const scores = await page.$$eval('[data-table="preds"] tbody tr td:nth-child(2)', (ts) => ts.map((t) => Number(t.textContent)));
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      'still sorted by score, descending',
    );
    await page.close();
  });

  test('no page raised a script error or a CSP violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});
