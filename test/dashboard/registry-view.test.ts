// The registry view in real Chromium: a registry project lists its collections with versions and
// aliases; a version's page says where it was linked from, and every link on the way opens a page.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createSkillRunner } from '../../src/index.js';
import { valid } from '../helpers/tmp.js';
import { dashboardSuite, noBrowser, watchErrors } from './browser.js';
import { unnamedControls, untitledCharts } from './a11y.js';

describe('registry view', { skip: noBrowser }, () => {
  const pageErrors: string[] = [];

  const suite = dashboardSuite('dash-registry-', async (dir) => {
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
    const init = valid(await runner.execute({ action: 'init', project: 'src', runConfig: { name: 'trainer' } }));
    const runId = init.runId as string;
    const file = join(dir, 'model.json');
    for (const w of [1, 2]) {
      writeFileSync(file, JSON.stringify({ w }));
      valid(await runner.execute({ action: 'artifact', project: 'src', runId, artifactConfig: { name: 'net', type: 'model', path: file } }));
    }
    valid(
      await runner.execute({
        action: 'artifact',
        operation: 'link',
        project: 'src',
        artifactConfig: { name: 'net:v1', registry: 'model-registry/classifier', aliases: ['production'] },
      }),
    );
    valid(await runner.execute({ action: 'finish', project: 'src', runId }));
    runner.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await suite.browser.newPage({ viewport: { width: 1300, height: 900 } });
    watchErrors(page, pageErrors);
    await page.goto(suite.dash.url + path);
    return page;
  }

  test('the projects page lists the registry (it has no runs) and its link opens the collections', async () => {
    const page = await open('/');
    await page.waitForSelector('#registries tr[data-registry="model-registry"]');
    const row = (await page.textContent('#registries tr[data-registry="model-registry"]')) ?? '';
    assert.match(row, /^model-registry1 *1/, `one collection, one link: ${row}`);
    assert.deepEqual(await unnamedControls(page), []);
    await Promise.all([page.waitForURL(/\/local\/model-registry\/artifacts$/), page.click('#registries a')]);
    await page.waitForSelector('main table.grid tbody tr');
    assert.match((await page.textContent('main section h2')) ?? '', /^classifier \(model, registry\)$/);
    await page.close();
  });

  test('collections with versions and aliases; the links open the linked version and its source', async () => {
    const page = await open('/local/model-registry/artifacts');
    await page.waitForSelector('main table.grid tbody tr');
    assert.match((await page.textContent('main section h2')) ?? '', /^classifier \(model, registry\)$/);
    const row = (await page.textContent('main table.grid tbody tr')) ?? '';
    assert.match(row, /^v0/);
    assert.match(row, /production/);
    assert.deepEqual(await unnamedControls(page), []);
    await Promise.all([page.waitForURL(/\/local\/model-registry\/artifacts\/model\/classifier\/v0$/), page.click('main table.grid tbody tr a')]);
    await page.waitForSelector('main h1');
    assert.equal(await page.textContent('main h1'), 'classifier:v0');
    const from = page.locator('main p', { hasText: 'Linked from' }).locator('a');
    assert.equal(await from.textContent(), 'src/net:v1');
    await Promise.all([page.waitForURL(/\/local\/src\/artifacts\/model\/net\/v1$/), from.click()]);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('main h1')?.textContent ===
        'net:v1',
    );
    // The source version says where it is linked, and that link leads back to the registry's page.
    const to = page.locator('#linked-to a');
    assert.equal(await to.textContent(), 'model-registry/classifier:v0');
    assert.match((await page.textContent('#linked-to')) ?? '', /\(latest, production\)$/);
    assert.equal(await page.getAttribute('#lineage', 'aria-label'), 'Lineage of net:v1: 1 run and 2 artifact versions');
    assert.deepEqual(await untitledCharts(page), [], 'the lineage graph is titled');
    await Promise.all([page.waitForURL(/\/local\/model-registry\/artifacts\/model\/classifier\/v0$/), to.click()]);
    const v0 = await open('/local/src/artifacts/model/net/v0');
    await v0.waitForSelector('main h1');
    assert.equal(await v0.$('#linked-to'), null, 'an unlinked version names no registry');
    await v0.close();
    await page.close();
  });

  test('no page raised a script error or a CSP violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});
