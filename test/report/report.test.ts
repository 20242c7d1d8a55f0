import assert from 'node:assert/strict';
import { describe as group, it } from 'node:test';
import { renderReport } from '../../src/report/index.js';
import { buildReportModel } from '../../src/report/model.js';
import type { ReportData } from '../../src/report/types.js';
import { makeFilesDir, makeReportData, makeRun } from './fixtures.js';

const EVIL_NAME = '<img src=x onerror=alert(1)>';

function richData(): ReportData {
  const data = makeReportData({ groupBy: 'optimizer' });
  const [r0, r1, r2] = data.runs;
  assert.ok(r0 && r1 && r2);
  r1.name = EVIL_NAME;
  r1.config.note = '</script>';
  r0.filesDir = makeFilesDir();
  const row = r0.history[10] as Record<string, unknown>;
  row.samples = { _type: 'image-file', path: 'media/images/samples_10_abc.png', format: 'png', width: 48, height: 32 };
  row.preds = { _type: 'table-file', path: 'media/table/preds_10_def.table.json', ncols: 3, nrows: 3 };
  row.escape = { _type: 'image-file', path: '../../etc/passwd.png', format: 'png' };
  (r0.history[20] as Record<string, unknown>).weights = { _type: 'histogram', values: [1, 4, 2], bins: [0, 1, 2, 3] };
  (r1.history[5] as Record<string, unknown>).clip = { _type: 'audio-file', path: 'media/audio/clip.wav' };
  r0.artifacts = {
    logged: [{ name: 'model', type: 'model', version: 'v0', aliases: ['latest'], digest: 'abc123', size: 2048 }],
    used: [{ name: 'mnist', type: 'dataset', version: 'v3' }],
  };
  r2.alerts = [{ title: 'Loss spiked', text: 'loss > 5 <b>bold</b>', level: 'WARN' }];
  return data;
}

group('html', () => {
  it('is self-contained, escaped, and shows every section', async () => {
    const { content: html, files, summary } = await renderReport(richData(), { format: 'html' });
    assert.deepEqual(files, []);
    assert.ok(!/<script/i.test(html), 'no script element at all');
    assert.ok(!/https?:\/\//i.test(html), 'no URL anywhere');
    assert.ok(!/\ssrc="(?!data:)/.test(html), 'only data: sources');
    assert.ok(!html.includes(EVIL_NAME));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('&lt;/script&gt;'));
    assert.ok(html.includes('loss &gt; 5 &lt;b&gt;bold&lt;/b&gt;'));
    // charts: one per metric with a line per run, the sweep's parallel coordinates, group charts, histogram
    assert.equal((html.match(/<figure id="metric-\d+"/g) ?? []).length, 2);
    const lossChart = html.split('<figure id="metric-1"')[1]?.split('</figure>')[0] ?? '';
    assert.equal((lossChart.match(/aria-roledescription="line mark"/g) ?? []).length, 3);
    for (const id of ['sweep-parallel', 'group-band-1', 'group-means-1', 'histogram-1']) assert.ok(html.includes(`<figure id="${id}"`), id);
    assert.match(html, /<img alt="[^"]*samples[^"]*" src="data:image\/png;base64,iVBORw0KGgo/);
    assert.ok(html.includes('>dog<') && html.includes('preds'), 'table preview');
    assert.ok(html.includes('audio-file') && html.includes('media/audio/clip.wav'), 'other media listed');
    assert.ok(html.includes('no readable path'), 'path outside the files dir is not read');
    assert.ok(html.includes('model:v0') && html.includes('mnist:v3'), 'artifacts');
    assert.ok(html.includes('Loss spiked'), 'alerts');
    assert.ok(html.includes('Hypothesis tests') && html.includes('Welch'));
    assert.equal(summary.best?.runId, 'cccc3333');
    assert.equal(summary.runs.length, 3);
    assert.equal(summary.stats?.groupBy, 'optimizer');
  });

  it('right-aligns columns of numbers (header too) and leaves text columns left', async () => {
    const { content: html } = await renderReport(richData(), { format: 'html' });
    const runs = html.split('<h2>Runs</h2>')[1]?.split('</table>')[0] ?? '';
    const heads = [...runs.matchAll(/<th( class="n")?>([^<]*)<\/th>/g)].map((m) => `${m[2]}${m[1] ? ':n' : ''}`);
    assert.ok(heads.includes('run') && heads.includes('state'), heads.join(','));
    assert.ok(
      heads.some((h) => h.endsWith(':n')),
      `a numeric column: ${heads.join(',')}`,
    );
    assert.ok(!heads.includes('run:n') && !heads.includes('state:n'), 'text stays left');
    assert.match(html, /th\.n,td\.n\{text-align:right/);
  });

  it('a list of images (images/separated) embeds each image, with its caption', async () => {
    const data = makeReportData();
    const r0 = data.runs[0];
    assert.ok(r0);
    r0.filesDir = makeFilesDir();
    (r0.history[12] as Record<string, unknown>).batch = {
      _type: 'images/separated',
      width: 48,
      height: 32,
      format: 'png',
      count: 2,
      filenames: ['media/images/samples_10_abc.png', 'media/images/samples_10_abc.png'],
      captions: ['left', 'right'],
    };
    const { content: html } = await renderReport(data, { format: 'html' });
    assert.equal((html.match(/<img alt="[^"]*batch[^"]*" src="data:image\/png;base64,/g) ?? []).length, 2, 'both images of the list embedded');
    assert.ok(html.includes('left') && html.includes('right'), 'captions shown');
  });

  it('user URLs appear only as text', async () => {
    const data = makeReportData({ description: 'see https://example.com/x', url: 'https://wandb.ai/t/p/reports/r--1' });
    const { content } = await renderReport(data, { format: 'html' });
    const refs = content.match(/https?:\/\/[^\s<"]*/g) ?? [];
    assert.deepEqual(refs, ['https://wandb.ai/t/p/reports/r--1', 'https://example.com/x']);
    assert.ok(!/(href|src)="https?:/.test(content));
  });
});

group('markdown', () => {
  it('links chart and image files that it returns', async () => {
    const { content, files } = await renderReport(richData(), { format: 'markdown', assetDir: 'assets' });
    const names = files.map((f) => f.name);
    assert.ok(names.includes('assets/metric-1-loss.svg') && names.includes('assets/metric-2-acc.svg'));
    assert.ok(names.includes('assets/sweep-parallel-sweep-parameters.svg'));
    assert.ok(names.some((n) => /^assets\/media-1-samples\.png$/.test(n)));
    assert.equal(new Set(names).size, names.length, 'unique names');
    for (const f of files) {
      assert.ok(content.includes(`](${f.name})`), `linked: ${f.name}`);
      if (f.name.endsWith('.svg')) assert.match(String(f.content), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    const png = files.find((f) => f.name.endsWith('.png'));
    assert.ok(png && png.content instanceof Uint8Array && png.mediaType === 'image/png');
    assert.ok(!content.includes(EVIL_NAME));
    assert.ok(content.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.match(content, /^# Learning-rate sweep\n/);
    assert.match(content, /\| run \| id \| state \|/);
    assert.ok(content.includes('## Hypothesis tests') && content.includes('## Artifacts') && content.includes('## Alerts'));
  });
});

group('json', () => {
  it('carries data and statistics, not the history', async () => {
    const { content, summary } = await renderReport(richData(), { format: 'json' });
    interface StatsDoc {
      runs: Array<{ historyLength: number; history?: unknown; series: Record<string, { points: number }> }>;
      best: { runId: string };
      stats: { metrics: Array<{ metric: string; groups: Array<{ group: string; n: number }>; comparisons: unknown[] }> };
    }
    const doc = JSON.parse(content) as StatsDoc;
    assert.equal(doc.runs.length, 3);
    assert.equal(doc.runs[0]?.historyLength, 200);
    assert.equal(doc.runs[0]?.history, undefined);
    assert.equal(doc.runs[0]?.series['loss']?.points, 200);
    assert.equal(doc.best.runId, 'cccc3333');
    assert.deepEqual(
      doc.stats.metrics.map((m) => m.metric),
      ['loss', 'acc'],
    );
    const loss = doc.stats.metrics[0];
    assert.ok(loss);
    assert.deepEqual(
      loss.groups.map((g) => [g.group, g.n]),
      [
        ['adam', 2],
        ['sgd', 1],
      ],
    );
    assert.equal(loss.comparisons.length, 1);
    assert.deepEqual(summary.metrics, ['loss', 'acc']);
  });
});

group('large', () => {
  it('renders 3 runs x 100,000 steps with the spike and last point kept', async () => {
    const runs = [1, 2, 3].map((i) =>
      makeRun({ runId: `big${i}`, name: `big-${i}`, steps: 100_000, lr: 0.005 * i, optimizer: 'adam', seed: i, spikeAt: 31_337 * i }),
    );
    const data = makeReportData({ runs, metrics: ['loss'] });
    const { content } = await renderReport(data, { format: 'html', maxPoints: 500 });
    const chart = content.split('<figure id="metric-1"')[1]?.split('</figure>')[0] ?? '';
    const lines = [...chart.matchAll(/aria-roledescription="line mark"[^>]* d="([^"]+)"/g)].map((m) => m[1] as string);
    assert.equal(lines.length, 3);
    for (const d of lines) {
      const pts = d
        .split(/[ML]/)
        .filter(Boolean)
        .map((p) => p.split(',').map(Number) as [number, number]);
      assert.ok(pts.length <= 500 && pts.length > 100, `${pts.length} points`);
      // The spike (loss 9.5 where the rest stays under 2.7) survives downsampling: one point sits
      // near the top of the 240-pixel plot while the others are in its lower third.
      const ys = pts.map(([, y]) => y).sort((a, b) => a - b);
      assert.ok((ys[0] as number) < 40 && (ys[1] as number) > 150, `spike kept: ${ys.slice(0, 3).join(', ')}`);
      const xs = pts.map(([x]) => x);
      assert.equal(Math.max(...xs), xs[xs.length - 1], 'last point is the rightmost');
    }
  });
});

group('group bands', () => {
  it('on _step, a short run gets a point per step (no stairs of carried values), a long one 200 bins', () => {
    const short = buildReportModel(makeReportData({ groupBy: 'optimizer' }, 20), { maxPoints: 1000, maxImageBytes: 0, maxTableRows: 0 }).groupCharts[0]?.band
      .line;
    assert.deepEqual(
      Array.from(short?.lines[0]?.xs ?? []),
      Array.from({ length: 20 }, (_, i) => i),
    );
    const long = buildReportModel(makeReportData({ groupBy: 'optimizer' }, 2000), { maxPoints: 1000, maxImageBytes: 0, maxTableRows: 0 }).groupCharts[0]?.band
      .line;
    assert.equal(long?.lines[0]?.xs.length, 200);
  });
});
