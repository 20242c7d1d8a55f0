// A sweep's page in real Chromium: parallel coordinates drawn as SVG on the sweep's own scales
// (a uniform parameter spanning three decades stays linear, a log_uniform_values one spanning less
// than one is a log axis, a list categorical), and brushing that keeps the runs inside a range.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { createSkillRunner } from '../../src/index.js';
import { sweepAxes } from '../../src/sweeps/index.js';
import { valid } from '../helpers/tmp.js';
import { dashboardSuite, noBrowser, watchErrors } from './browser.js';
import { unnamedControls, untitledCharts } from './a11y.js';

declare const document: { querySelector(s: string): { textContent: string | null } | null };
const SHOTS = process.env['DASH_SHOTS'];

const RUNS = [
  { lr: 0.09, wd: 0.012, opt: 'adam', loss: 0.5 },
  { lr: 0.06, wd: 0.02, opt: 'sgd', loss: 0.4 },
  { lr: 0.03, wd: 0.03, opt: 'adam', loss: 0.3 },
  { lr: 0.005, wd: 0.04, opt: 'sgd', loss: 0.2 },
  { lr: 0.0002, wd: 0.015, opt: 'adam', loss: 0.1 },
  { lr: 0.05, wd: 0.045, opt: 'sgd', loss: 0.6 },
];

test('axes follow the sweep config: log distributions log, uniform linear, lists categorical, derived from values without one', () => {
  const config = {
    parameters: {
      lr: { distribution: 'uniform', min: 0.0001, max: 0.1 },
      wd: { distribution: 'log_uniform_values', min: 0.01, max: 0.05 },
      e: { distribution: 'log_uniform', min: 0, max: 2 },
      opt: { values: ['adam', 'sgd'] },
      layers: { min: 2, max: 8 },
      nested: { parameters: { beta: { distribution: 'inv_log_uniform_values', min: 0.9, max: 0.99 } } },
    },
  };
  const vals: Record<string, unknown[]> = { lr: [0.05], wd: [0.02], e: [2], opt: ['sgd', 'rmsprop'], layers: [3], 'nested.beta': [0.95], free: [1, 300] };
  const axes = sweepAxes(config, ['lr', 'wd', 'e', 'opt', 'layers', 'nested.beta', 'free'], (n) => vals[n] ?? []);
  assert.deepEqual(
    axes.map((a) => [a.name, a.scale, a.distribution]),
    [
      ['lr', 'linear', 'uniform'],
      ['wd', 'log', 'log_uniform_values'],
      ['e', 'log', 'log_uniform'],
      ['opt', 'categorical', 'categorical'],
      ['layers', 'linear', 'int_uniform'],
      ['nested.beta', 'log', 'inv_log_uniform_values'],
      ['free', 'linear', null],
    ],
  );
  assert.deepEqual(axes[0]?.domain, [0.0001, 0.1], 'the search range, not only the values seen');
  assert.deepEqual(axes[2]?.domain, [1, Math.exp(2)], 'log_uniform bounds are exponents of e');
  assert.deepEqual(axes[3]?.values, ['adam', 'sgd', 'rmsprop'], "the config's list, then values seen");
});

describe("a sweep's parallel coordinates in Chromium", { skip: noBrowser }, () => {
  let sweepId: string;
  const pageErrors: string[] = [];

  const suite = dashboardSuite('dash-sweep-', async (dir) => {
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
    const project = 'sw';
    const created = valid(
      await runner.execute({
        action: 'sweep',
        project,
        sweepConfig: {
          name: 'scales',
          method: 'random',
          metric: { name: 'val_loss', goal: 'minimize' },
          parameters: {
            lr: { distribution: 'uniform', min: 0.0001, max: 0.1 },
            wd: { distribution: 'log_uniform_values', min: 0.01, max: 0.05 },
            opt: { values: ['adam', 'sgd'] },
          },
        },
      }),
    );
    sweepId = created.sweepId as string;
    const ids: string[] = [];
    for (const [k, r] of RUNS.entries()) {
      const init = valid(await runner.execute({ action: 'init', project, runConfig: { name: `trial-${k}`, config: { lr: r.lr, wd: r.wd, opt: r.opt } } }));
      const runId = init.runId as string;
      valid(await runner.execute({ action: 'log', project, runId, logData: { metrics: { val_loss: r.loss } } }));
      valid(await runner.execute({ action: 'finish', project, runId }));
      ids.push(runId);
    }
    runner.close();
    const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'));
    const mark = db.prepare('UPDATE runs SET sweep_id = ? WHERE project = ? AND id = ?');
    for (const id of ids) mark.run(sweepId, project, id);
    db.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await suite.browser.newPage({ viewport: { width: 1300, height: 1000 } });
    watchErrors(page, pageErrors);
    await page.goto(suite.dash.url + path);
    return page;
  }
  const ticks = (page: Page, axis: string) =>
    page.$$eval(`#parallel g.axis[data-axis="${axis}"] g.tick`, (ts) => ts.map((t) => Number(t.getAttribute('data-value'))));

  test('one SVG line per run, each axis on its own scale, the chart titled', async () => {
    const page = await open(`/local/sw/sweeps/${sweepId}`);
    await page.waitForSelector('#parallel svg path.run-line');
    assert.equal(await page.$$eval('#parallel svg path.run-line', (ps) => ps.length), 6);
    assert.equal(await page.$$eval('#parallel svg path.run-line.best', (ps) => ps.length), 1, 'the best run is marked');
    const scales = await page.$$eval('#parallel g.axis', (gs) => gs.map((g) => `${g.getAttribute('data-axis')}:${g.getAttribute('data-scale')}`));
    assert.deepEqual(scales, ['lr:linear', 'wd:log', 'opt:categorical', 'val_loss:linear']);
    assert.deepEqual(await ticks(page, 'lr'), [0.02, 0.04, 0.06, 0.08, 0.1], 'a uniform parameter on even linear ticks over its search range');
    assert.deepEqual(await ticks(page, 'wd'), [0.01, 0.02, 0.05], 'a log parameter on 1-2-5 ticks');
    // On the log axis 0.02 sits where log10 puts it: (log 0.02 - log 0.01) / (log 0.05 - log 0.01) of the way up.
    const ys = await page.$$eval('#parallel g.axis[data-axis="wd"] g.tick line', (ls) => ls.map((l) => Number(l.getAttribute('y1'))));
    const frac = ((ys[0] as number) - (ys[1] as number)) / ((ys[0] as number) - (ys[2] as number));
    assert.ok(Math.abs(frac - Math.log10(2) / Math.log10(5)) < 0.01, `log position ${frac}`);
    const label = await page.getAttribute('#parallel svg', 'aria-label');
    assert.match(label ?? '', /^Parallel coordinates: lr, wd, opt against val_loss$/);
    assert.deepEqual(await unnamedControls(page), [], 'every control named');
    assert.deepEqual(await untitledCharts(page), [], 'every chart titled');
    assert.equal(await page.$$eval('#parallel .brush-area', (as) => as.length), 4, 'one brush per axis (lr, wd, opt and val_loss)');
    const unnamed = await page.$$eval('#parallel .brush-area', (as) => as.filter((a) => !a.getAttribute('aria-label')).length);
    assert.equal(unnamed, 0, 'every brush has an accessible name');
    await page.close();
  });

  test('brushing an axis keeps the runs inside the range, dims the rest in chart and table; Escape and Clear undo it', async () => {
    const page = await open(`/local/sw/sweeps/${sweepId}`);
    await page.waitForSelector('#parallel svg path.run-line');
    const tickY = async (v: number) => {
      const box = await page.locator(`#parallel g.axis[data-axis="lr"] g.tick[data-value="${v}"] line`).boundingBox();
      assert.ok(box);
      return box.y + box.height / 2;
    };
    const area = await page.locator('#parallel g.axis[data-axis="lr"] .brush-area').boundingBox();
    assert.ok(area);
    const x = area.x + area.width / 2;
    const brush = async () => {
      await page.mouse.move(x, area.y + 1);
      await page.mouse.down();
      await page.mouse.move(x, (await tickY(0.06)) + 4, { steps: 4 });
      await page.mouse.move(x, await tickY(0.04), { steps: 4 });
      await page.mouse.up();
    };
    await brush();
    // lr 0.09, 0.06 and 0.05 lie in [0.04, 0.1].
    assert.match((await page.textContent('#parallel-status')) ?? '', /^3 of 6 runs in lr 0\.0[34]\d*–0\.1/);
    assert.equal(await page.$$eval('#parallel path.run-line.dimmed', (ps) => ps.length), 3);
    assert.deepEqual(await page.$$eval('#sweep-runs tbody tr:not(.dimmed) td:first-child', (ts) => ts.map((t) => t.textContent).sort()), [
      'trial-0',
      'trial-1',
      'trial-5',
    ]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'sweep-brushed.png'), fullPage: true });
    await page.focus('#parallel g.axis[data-axis="lr"] .brush-area');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => /^6 runs/.test(document.querySelector('#parallel-status')?.textContent ?? ''));
    assert.equal(await page.$$eval('#parallel path.run-line.dimmed', (ps) => ps.length), 0);
    await brush();
    assert.equal(await page.$$eval('#sweep-runs tbody tr.dimmed', (ps) => ps.length), 3);
    await page.click('#parallel-clear');
    assert.equal(await page.$$eval('#sweep-runs tbody tr.dimmed', (ps) => ps.length), 0);
    await page.close();
  });

  test('no page raised a script error or a CSP violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});
