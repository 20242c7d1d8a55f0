// Custom panels edited, renamed and deleted in real Chromium, each change undone; the delete API's errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createSkillRunner } from '../../src/index.js';
import { valid } from '../helpers/tmp.js';
import { dashboardSuite, noBrowser, watchErrors } from './browser.js';
import { unnamedControls, untitledCharts } from './a11y.js';

const SHOTS = process.env['DASH_SHOTS'];
const spec = (mark: string, y = 'loss') => ({ mark, encoding: { x: { field: '_step', type: 'quantitative' }, y: { field: y, type: 'quantitative' } } });

describe('custom panels: edit, rename, delete and undo', { skip: noBrowser }, () => {
  let runId: string;
  const pageErrors: string[] = [];

  const suite = dashboardSuite('dash-panels-', async (dir) => {
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
    const init = valid(await runner.execute({ action: 'init', project: 'pp', runConfig: { name: 'r' } }));
    runId = init.runId as string;
    for (let i = 0; i < 10; i++) valid(await runner.execute({ action: 'log', project: 'pp', runId, logData: { metrics: { loss: 1 / (i + 1), acc: i / 10 } } }));
    valid(await runner.execute({ action: 'finish', project: 'pp', runId }));
    runner.close();
  });

  async function open(): Promise<Page> {
    const page = await suite.browser.newPage({ viewport: { width: 1300, height: 1000 } });
    watchErrors(page, pageErrors, /404/);
    await page.goto(`${suite.dash.url}/local/pp/runs/${runId}`);
    await page.waitForSelector('#panels', { state: 'attached' });
    return page;
  }
  const stored = async () => {
    const body = (await (await fetch(`${suite.dash.url}/api/p/local/pp/panels`)).json()) as { panels: Array<{ name: string; spec: { mark: string } }> };
    return body.panels.map((p) => `${p.name}:${p.spec.mark}`);
  };
  const cards = (page: Page) => page.$$eval('#panels [data-panel]', (cs) => cs.map((c) => c.getAttribute('data-panel')));
  const add = async (page: Page, name: string, s: object) => {
    await page.fill('#panel-name', name);
    await page.fill('#panel-spec', JSON.stringify(s));
    await page.click('#panel-save');
    await page.waitForSelector(`#panels [data-panel="${name}"] svg`);
  };

  test('a panel is edited in place, renamed, deleted, and each change undone', async () => {
    const page = await open();
    await page.click('.add-panel summary');
    await add(page, 'first', spec('point'));
    await add(page, 'second', spec('point', 'acc'));
    assert.deepEqual(await stored(), ['first:point', 'second:point']);

    // Edit: the form fills with the panel; saving redraws it in its place.
    await page.click('button[aria-label="Edit panel first"]');
    assert.equal(await page.inputValue('#panel-name'), 'first');
    assert.match(await page.inputValue('#panel-spec'), /"mark": "point"/);
    await page.fill('#panel-spec', JSON.stringify(spec('line')));
    await page.click('#panel-save');
    await page.waitForSelector('#panels [data-panel="first"] svg g.mark-line path');
    assert.deepEqual(await cards(page), ['first', 'second']);
    assert.deepEqual(await stored(), ['first:line', 'second:point']);
    assert.deepEqual(await unnamedControls(page), [], 'every control named');
    assert.deepEqual(await untitledCharts(page), [], 'every chart titled');
    assert.deepEqual(await page.$$eval('#panels [data-panel]', (cs) => cs.map((c) => `${c.getAttribute('role')}:${c.getAttribute('aria-label')}`)), [
      'figure:first',
      'figure:second',
    ]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'panels-edited.png'), fullPage: true });
    await page.click('#panel-undo');
    await page.waitForSelector('#panels [data-panel="first"] svg g.mark-symbol path');
    assert.deepEqual(await stored(), ['first:point', 'second:point']);
    assert.equal(await page.$$eval('#panels [data-panel="first"] svg g.mark-symbol path', (ps) => ps.length), 10);

    // Rename through the form: the old name is gone, the card keeps its place.
    await page.click('button[aria-label="Edit panel second"]');
    await page.fill('#panel-name', 'second renamed');
    await page.click('#panel-save');
    await page.waitForSelector('#panels [data-panel="second renamed"] svg');
    assert.deepEqual(await cards(page), ['first', 'second renamed']);
    assert.deepEqual(await stored(), ['first:point', 'second renamed:point']);

    // Delete, and undo the delete.
    await page.click('button[aria-label="Delete panel first"]');
    await page.waitForFunction(
      () => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('#panels [data-panel="first"]'),
    );
    assert.deepEqual(await stored(), ['second renamed:point']);
    assert.match((await page.textContent('#panel-message')) ?? '', /Deleted “first”/);
    const other = await open();
    await other.waitForSelector('#panels [data-panel="second renamed"] svg');
    assert.deepEqual(await cards(other), ['second renamed'], 'a deleted panel shows on no run page');
    await other.close();
    assert.equal(await page.getAttribute('#panel-undo', 'aria-label'), 'Undo: delete first');
    await page.click('#panel-undo');
    await page.waitForSelector('#panels [data-panel="first"] svg');
    assert.deepEqual(await cards(page), ['first', 'second renamed'], 'restored where it was');
    assert.deepEqual((await stored()).sort(), ['first:point', 'second renamed:point']);
    assert.equal(await page.isHidden('#panel-undo'), true, 'one undo per change');
    await page.close();
  });

  test('deleting needs a JSON body naming a panel of this project, from this origin', async () => {
    const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      fetch(`${suite.dash.url}/api/p/local/pp/panels/delete`, { method: 'POST', headers, body });
    assert.equal((await post(JSON.stringify({ name: 'nope' }))).status, 404);
    assert.equal((await post('{"nam": 1}')).status, 400);
    assert.equal((await post(JSON.stringify({ name: 'first' }), { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await post(JSON.stringify({ name: 'first' }), { 'content-type': 'application/json', origin: 'http://evil.example' })).status, 403);
    assert.equal(
      (await fetch(`${suite.dash.url}/api/p/local/pp/panels/other`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
      404,
    );
    assert.deepEqual((await stored()).sort(), ['first:point', 'second renamed:point'], 'a refused call changes nothing');
  });

  test('no page raised a script error or a CSP violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});
