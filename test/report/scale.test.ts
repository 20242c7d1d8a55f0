import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe as group, it } from 'node:test';
import { planChart, visualizeEntry } from '../../src/media/chart.js';
import { renderReport } from '../../src/report/index.js';
import type { ReportData, ReportRun } from '../../src/report/types.js';
import { makeFilesDir, makeReportData, manyRuns } from './fixtures.js';

function figure(html: string, id: string): string {
  return html.split(`<figure id="${id}"`)[1]?.split('</figure>')[0] ?? '';
}

const lastLoss = (r: ReportRun): number => r.history[r.history.length - 1]?.['loss'] as number;

group('200 runs in a chart', () => {
  it('the ten runs with the lowest last loss are lines, the other 190 one band with its median; the legend lists every entry', async () => {
    const runs = manyRuns(200);
    const data: ReportData = { title: 'many', project: 'p', generatedAt: '2025-01-01T00:00:00Z', runs, metrics: ['loss', 'acc'] };
    const { content: html } = await renderReport(data, { format: 'html' });
    const chart = figure(html, 'metric-1');
    const lines = [...chart.matchAll(/aria-roledescription="line mark" aria-label="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(lines.length, 11, 'ten runs and the median of the rest');
    const best = [...runs]
      .sort((a, b) => lastLoss(a) - lastLoss(b))
      .slice(0, 10)
      .map((r) => r.name);
    assert.deepEqual(lines.slice(0, 10), best, 'the ten lowest last values, best first');
    assert.equal(lines[10], 'other 190 runs: median');
    assert.equal((chart.match(/aria-roledescription="band"/g) ?? []).length, 1);
    assert.ok(chart.includes('other 190 runs: min–max band'), 'the band is in the legend');
    assert.equal((chart.match(/<text x="24" y="0">/g) ?? []).length, 12, 'legend: ten runs, the band, the median, each once');
    assert.ok(!/entries/.test(chart), 'no legend cut short');
    assert.match(chart, /<figcaption>The 10 runs with the lowest last loss of 200 drawn as lines; the other 190 as a grey min–max band/);
    // Accuracy rises: its chart draws the ten highest.
    const acc = figure(html, 'metric-2');
    const accBest = [...runs].sort((a, b) => (b.history.at(-1)?.['acc'] as number) - (a.history.at(-1)?.['acc'] as number))[0]?.name;
    assert.ok(acc.includes(`aria-label="${accBest}"`) && acc.includes('highest last acc'));
  });

  it('ten runs or fewer are all lines, with no band', async () => {
    const data: ReportData = { title: 'few', project: 'p', generatedAt: '2025-01-01T00:00:00Z', runs: manyRuns(4), metrics: ['loss'] };
    const { content: html } = await renderReport(data, { format: 'html' });
    const chart = figure(html, 'metric-1');
    assert.equal((chart.match(/aria-roledescription="line mark"/g) ?? []).length, 4);
    assert.ok(!chart.includes('aria-roledescription="band"') && !chart.includes('<figcaption>'));
    assert.match(chart, /^ role="img" aria-label="loss"><svg [^>]*role="img" aria-label="loss"><title>loss<\/title>/);
  });

  it('a short run among long ones ends in a visible dot, and the caption says so', async () => {
    const runs = manyRuns(3, (i) => (i === 0 ? 10 : 2000));
    const { content: html } = await renderReport(
      { title: 's', project: 'p', generatedAt: '2025-01-01T00:00:00Z', runs, metrics: ['loss'] },
      { format: 'html' },
    );
    const chart = figure(html, 'metric-1');
    assert.match(chart, /1 of the lines end before _step [\d.]+ \(5% of the axis\)/);
    assert.ok((chart.match(/<circle /g) ?? []).length >= 10 + 2, 'each point of the 10-step run, and every line end');
  });
});

group('group bands', () => {
  it('say where a band rests on fewer runs than the group holds, and draw the mean dashed there', async () => {
    // resnet: 10 runs, 8 of which stop at step 49 and 2 reach step 99; convnext: 10 runs of 100 steps. A bin per step: thinner from step 50 exactly.
    const runs = manyRuns(20, (i) => (i % 2 === 0 && i >= 4 ? 50 : 100));
    const data: ReportData = { title: 'g', project: 'p', generatedAt: '2025-01-01T00:00:00Z', runs, metrics: ['loss'], groupBy: 'arch' };
    const { content: html, summary } = await renderReport(data, { format: 'html' });
    assert.deepEqual(
      summary.stats?.metrics[0]?.groups.map((g) => [g.group, g.n]),
      [
        ['resnet', 10],
        ['convnext', 10],
      ],
    );
    const band = figure(html, 'group-band-1');
    assert.match(band, /resnet: from _step 50 on, the band rests on fewer than its 10 runs \(2 reached the end; dashed\)/);
    assert.ok(!band.includes('convnext: from'), 'convnext has all its runs to the end');
    assert.ok(band.includes('resnet · 10 runs; 2 at the end') && band.includes('convnext · 10 runs'), 'the legend says it too');
    assert.match(band, /aria-roledescription="dashed line" aria-label="resnet: mean \(fewer runs\)"/);
    assert.equal((band.match(/aria-roledescription="band"/g) ?? []).length, 2);
  });
});

/** A run that logged a confusion matrix, a ROC and a PR curve as W&B's presets do (config entry + table file). */
function presetRun(): ReportRun {
  const run = makeReportData().runs[0]!;
  const dir = makeFilesDir();
  const yTrue = [0, 1, 2, 1, 0, 2, 1, 1, 0, 2];
  const probs = yTrue.map((c, i) => [0, 1, 2].map((k) => (k === c ? 0.5 + (i % 3) * 0.1 : 0.25 - (i % 3) * 0.05)));
  const inputs: Record<string, Record<string, unknown>> = {
    cm: { _type: 'chart', preset: 'confusion_matrix', yTrue, preds: yTrue.map((c, i) => (i % 4 === 0 ? (c + 1) % 3 : c)), classNames: ['cat', 'dog', 'bird'] },
    roc: { _type: 'chart', preset: 'roc_curve', yTrue, yProbas: probs, labels: ['cat', 'dog', 'bird'] },
    pr: { _type: 'chart', preset: 'pr_curve', yTrue, yProbas: probs, labels: ['cat', 'dog', 'bird'] },
  };
  const visualize: Record<string, unknown> = {};
  mkdirSync(join(dir, 'media', 'table'), { recursive: true });
  const row = run.history[50] as Record<string, unknown>;
  for (const [key, input] of Object.entries(inputs)) {
    const plan = planChart(input, key, key);
    const path = `media/table/${key}_table_50_x.table.json`;
    writeFileSync(join(dir, path), JSON.stringify(plan.table));
    row[`${key}_table`] = { _type: 'table-file', path, ncols: plan.table.columns.length, nrows: plan.table.data.length };
    visualize[key] = visualizeEntry(key, plan);
  }
  run.filesDir = dir;
  run.config['_wandb'] = { visualize };
  return run;
}

group('preset charts', () => {
  it('confusion matrix, ROC and PR are drawn as charts with accessible titles, not printed as tables', async () => {
    const data = makeReportData({ runs: [presetRun()] });
    delete data.sweep;
    const { content: html } = await renderReport(data, { format: 'html' });
    assert.ok(html.includes('<h2>Logged charts</h2>'));
    const titles = ['Confusion Matrix Curve', 'ROC Curve', 'Precision-Recall Curve'];
    titles.forEach((title, i) => {
      const fig = figure(html, `preset-${i + 1}`);
      assert.ok(fig.startsWith(` role="img" aria-label="brisk-river-1: ${title}">`), `figure ${i + 1} named ${title}`);
      assert.match(fig, new RegExp(`<svg[^>]*><title>brisk-river-1: ${title}</title>`), 'the SVG carries its title');
      assert.match(fig, /role-mark/, 'Vega drew marks');
    });
    // The matrix: 9 cells as rects with their counts; the curves: one line per class.
    const cm = figure(html, 'preset-1');
    assert.equal((cm.match(/aria-roledescription="rect mark"/g) ?? []).length, 9, 'a cell per class pair');
    assert.equal((cm.match(/aria-roledescription="text mark"/g) ?? []).length, 9, 'each with its count');
    assert.ok(cm.includes('cat') && cm.includes('bird'));
    for (const [id, lines] of [
      ['preset-2', 4],
      ['preset-3', 3],
    ] as const) {
      const curves = figure(html, id).match(/aria-roledescription="line mark"/g) ?? [];
      assert.equal(curves.length, lines, `${id}: a curve per class (and ROC's chance line)`);
    }
    assert.ok(!/<h3>[^<]*cm_table/.test(html), 'the table is not printed');
    assert.ok(html.includes('cm, drawn from the table cm_table (9 rows)'));
  });

  it('markdown links the preset charts as SVG files', async () => {
    const data = makeReportData({ runs: [presetRun()] });
    delete data.sweep;
    const { content, files } = await renderReport(data, { format: 'markdown', assetDir: 'a' });
    assert.ok(content.includes('## Logged charts'));
    for (const n of ['a/preset-1-', 'a/preset-2-', 'a/preset-3-'])
      assert.ok(
        files.some((f) => f.name.startsWith(n) && String(f.content).includes('<title>')),
        n,
      );
  });
});
