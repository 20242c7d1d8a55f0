import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { renderReport } from '../../src/report/index.js';
import type { ReportData } from '../../src/report/types.js';
import { launch, noBrowser } from '../dashboard/browser.js';
import { tempDir } from '../helpers/tmp.js';
import { manyRuns } from './fixtures.js';

it('a report of 200 runs in Chromium: every chart named, every legend entry inside its chart, nothing overflows', { skip: noBrowser }, async (t) => {
  const data: ReportData = {
    title: '200 runs',
    project: 'p',
    generatedAt: '2025-01-01T00:00:00Z',
    runs: manyRuns(200, (i) => (i % 7 === 0 ? 20 : 80)),
    metrics: ['loss', 'acc'],
    groupBy: 'arch',
  };
  const { content } = await renderReport(data, { format: 'html' });
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const file = join(dir, 'report.html');
  writeFileSync(file, content);
  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`file://${file}`);
  const figures = await page.$$eval('figure', (els) =>
    els.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      const texts = [...(svg?.querySelectorAll('g > text') ?? [])].map((x) => x.getBoundingClientRect());
      const outside = texts.filter((r) => box && (r.right > box.right + 1 || r.bottom > box.bottom + 1)).length;
      return {
        id: f.id,
        name: f.getAttribute('aria-label') ?? '',
        role: f.getAttribute('role'),
        title: svg?.querySelector('title')?.textContent ?? '',
        overflow: f.scrollWidth > f.clientWidth + 1,
        outside,
        width: box?.width ?? 0,
      };
    }),
  );
  assert.deepEqual(
    figures.map((f) => f.id),
    ['metric-1', 'metric-2', 'group-band-1', 'group-means-1', 'group-band-2', 'group-means-2'],
  );
  for (const f of figures) {
    assert.ok(f.role === 'img' && f.name !== '' && f.title !== '', `${f.id} has an accessible name and title`);
    assert.equal(f.overflow, false, `${f.id} fits its frame`);
    assert.equal(f.outside, 0, `${f.id}: no text outside the chart`);
    assert.ok(f.width > 300 && f.width < 700, `${f.id} is ${f.width}px wide`);
  }
  const shot = await page.locator('#metric-1').screenshot();
  assert.ok(shot.length > 10_000, 'the chart drew something');
  if (process.env['REPORT_SCREENSHOTS']) {
    writeFileSync(join(process.env['REPORT_SCREENSHOTS'], 'metric-1.png'), shot);
    writeFileSync(join(process.env['REPORT_SCREENSHOTS'], 'group-band-1.png'), await page.locator('#group-band-1').screenshot());
    writeFileSync(join(process.env['REPORT_SCREENSHOTS'], 'page.png'), await page.screenshot({ fullPage: false }));
  }
});
