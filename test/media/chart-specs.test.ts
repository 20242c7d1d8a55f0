import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chartSpecWithTable, encodeMetrics, mergeVisualize, wandbConfigForServer } from '../../src/media/index.js';
import type { MediaContext, VisualizeEntry } from '../../src/media/index.js';
import { renderSvg } from '../../src/report/svg.js';
import type { VegaLiteSpec } from '../../src/report/specs.js';
import { assertSkillError } from './helpers/assert-skill-error.js';
import { logChartIn, Y, P } from './helpers/chart-fixture.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-chart-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

async function freshCtx(step = 4): Promise<MediaContext> {
  return { filesDir: await mkdtemp(join(dir, 'files-')), step };
}

/** Encodes one chart under `key` into a fresh folder and reads back its table file. */
const logChart = async (key: string, chart: Record<string, unknown>, extra: Record<string, unknown> = {}) => logChartIn(await freshCtx(), key, chart, extra);

test("line, scatter, bar and histogram take W&B's table forms and field names", async () => {
  const line = await logChart('loss_curve', {
    preset: 'line',
    table: {
      columns: ['step', 'loss', 'split'],
      data: [
        [1, 0.9, 'train'],
        [2, 0.5, 'train'],
        [1, 1, 'val'],
      ],
    },
    x: 'step',
    y: 'loss',
    stroke: 'split',
    title: 'Loss',
  });
  assert.deepEqual(line.table.columns, ['step', 'loss', 'split']);
  assert.equal(line.entry.panel_config.panelDefId, 'wandb/line/v0');
  assert.deepEqual(line.entry.panel_config.fieldSettings, { x: 'step', y: 'loss', stroke: 'split' });
  const scatter = await logChart('s', {
    preset: 'scatter',
    data: [
      { a: 1, b: 2 },
      { a: 2, b: 3 },
    ],
    x: 'a',
    y: 'b',
  });
  assert.deepEqual(
    scatter.table,
    {
      columns: ['a', 'b'],
      data: [
        [1, 2],
        [2, 3],
      ],
    },
    'data as objects is read as rows',
  );
  assert.deepEqual(scatter.entry.panel_config.stringSettings, { title: null }, 'W&B stores title None when not given');
  const bar = await logChart('b', {
    preset: 'bar',
    columns: ['class', 'acc'],
    data: [
      ['car', 0.9],
      ['bus', 0.7],
    ],
    label: 'class',
    value: 'acc',
  });
  assert.equal(bar.entry.panel_config.panelDefId, 'wandb/bar/v0');
  assert.deepEqual(bar.entry.panel_config.fieldSettings, { label: 'class', value: 'acc' });
  const hist = await logChart('h', { preset: 'histogram', values: [1, 2, 2, 3], numBins: 8 });
  assert.deepEqual(hist.table, { columns: ['value'], data: [[1], [2], [2], [3]] });
  assert.deepEqual(hist.entry.panel_config.fieldSettings, { value: 'value' });
  assert.equal(hist.entry.panel_config.panelDefId, 'wandb/histogram/v0');
  assert.match(JSON.stringify(hist.entry.spec), /"maxbins":8/);
});

/** Paths drawn inside the SVG groups of one mark type (Vega names them `mark-<type> role-mark <layer>`). */
function markPaths(svg: string, mark: string, layer = ''): number {
  let n = 0;
  const tag = `class="mark-${mark} role-mark${layer === '' ? '' : ` ${layer}`}`;
  for (let start = svg.indexOf(tag); start >= 0; start = svg.indexOf(tag, start + 1)) {
    const open = svg.indexOf('>', start);
    if (svg[open - 1] === '/') continue; // an empty, self-closed group
    n += (svg.slice(open, svg.indexOf('</g>', open)).match(/<path /g) ?? []).length;
  }
  return n;
}

test('the specs draw their tables: SVG with a cell per class pair, lines per class, bars', async () => {
  const cm = await logChart('cm', { preset: 'confusion_matrix', yTrue: [0, 0, 1, 1, 2], preds: [0, 1, 1, 1, 0], classNames: ['cat', 'dog', 'bird'] });
  const empty = await renderSvg(cm.entry.spec as unknown as VegaLiteSpec);
  assert.equal(markPaths(empty, 'rect'), 0, 'the stored spec alone has no data');
  const svg = await renderSvg(chartSpecWithTable(cm.entry, cm.table) as unknown as VegaLiteSpec);
  assert.equal(markPaths(svg, 'rect'), 9, 'a 3x3 heat map');
  for (const label of ['cat', 'dog', 'bird', 'Confusion Matrix Curve']) assert.ok(svg.includes(`>${label}<`), `${label} drawn`);
  const roc = await logChart('roc', { preset: 'roc_curve', yTrue: Y, yProbas: P, labels: ['neg', 'pos'] });
  const rocSvg = await renderSvg(chartSpecWithTable(roc.entry, roc.table) as unknown as VegaLiteSpec);
  assert.equal(markPaths(rocSvg, 'line', 'layer_0_marks'), 2, 'a line per class');
  assert.equal(markPaths(rocSvg, 'line', 'layer_1_marks'), 1, 'and the chance diagonal');
  assert.ok(rocSvg.includes('>False positive rate<'));
  const bar = await logChart('b', {
    preset: 'bar',
    columns: ['class', 'acc'],
    data: [
      ['car', 0.9],
      ['bus', 0.7],
      ['van', 0.2],
    ],
    label: 'class',
    value: 'acc',
  });
  assert.equal(markPaths(await renderSvg(chartSpecWithTable(bar.entry, bar.table) as unknown as VegaLiteSpec), 'rect'), 3);
  const line = await logChart('l', {
    preset: 'line',
    columns: ['x.y', 'v[0]'],
    data: [
      [0, 1],
      [1, 3],
      [2, 2],
    ],
    x: 'x.y',
    y: 'v[0]',
  });
  const lineSvg = await renderSvg(chartSpecWithTable(line.entry, line.table) as unknown as VegaLiteSpec);
  assert.equal(markPaths(lineSvg, 'line'), 1, 'column names with dots and brackets still draw');
  assert.ok(lineSvg.includes('>x.y<'), 'and title the axis');
});

test('mergeVisualize puts entries under _wandb.visualize, keeping the rest of the config', async () => {
  const r = await logChart('cm', { preset: 'confusion_matrix', yTrue: [0], preds: [0], classNames: ['a'] });
  const config = mergeVisualize({ lr: 0.1, _wandb: { m: [1], visualize: { old: { panel_type: 'Vega2' } } } }, r.visualize);
  assert.deepEqual(Object.keys(config), ['lr', '_wandb']);
  const wandb = config['_wandb'] as Record<string, Record<string, unknown>>;
  assert.deepEqual(wandb['m'], [1]);
  assert.deepEqual(Object.keys(wandb['visualize'] ?? {}), ['old', 'cm']);
  assert.equal((wandb['visualize']?.['cm'] as VisualizeEntry).panel_config.panelDefId, 'wandb/confusion_matrix/v1');
  // What goes to W&B: the same entries without our Vega-Lite spec.
  const server = wandbConfigForServer(config) as { m: unknown; visualize: Record<string, Record<string, unknown>> };
  assert.deepEqual(server.m, [1]);
  assert.deepEqual(Object.keys(server.visualize['cm'] ?? {}), ['panel_type', 'panel_config']);
  assert.ok(Object.hasOwn(wandb['visualize']?.['cm'] as object, 'spec'), 'the stored config keeps it');
  assert.equal(wandbConfigForServer({ lr: 1 }), undefined);
});

test('bad chart inputs are refused naming the field, and nothing is written', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ roc: { _type: 'chart', preset: 'pie' } }, 'logData.metrics.roc.preset'],
    [{ cm: { _type: 'chart', preset: 'confusion_matrix', yTrue: [0, 1], preds: [0] } }, 'logData.metrics.cm.preds'],
    [{ cm: { _type: 'chart', preset: 'confusion_matrix', yTrue: [0, 2], preds: [0, 1], classNames: ['a', 'b'] } }, 'logData.metrics.cm.yTrue[1]'],
    [{ cm: { _type: 'chart', preset: 'confusion_matrix', yTrue: [0], preds: [0], probs: [[1]] } }, 'logData.metrics.cm.probs'],
    [{ cm: { _type: 'chart', preset: 'confusion_matrix', yTrue: [0, 1] } }, 'logData.metrics.cm.preds'],
    [{ cm: { _type: 'chart', preset: 'confusion_matrix', yTrue: [0, -1], preds: [0, 0] } }, 'logData.metrics.cm.yTrue[1]'],
    [
      {
        roc: {
          _type: 'chart',
          preset: 'roc_curve',
          yTrue: [0, 1],
          yProbas: [
            [0.5, 0.5],
            [Number.NaN, 1],
          ],
        },
      },
      'logData.metrics.roc.yProbas[1][0]',
    ],
    [{ roc: { _type: 'chart', preset: 'roc_curve', yTrue: [0, 1], yProbas: [[0.5, 0.5], [1]] } }, 'logData.metrics.roc.yProbas[1]'],
    [
      {
        roc: {
          _type: 'chart',
          preset: 'roc_curve',
          yTrue: [0, 2],
          yProbas: [
            [0.5, 0.5],
            [0, 1],
          ],
        },
      },
      'logData.metrics.roc.yTrue[1]',
    ],
    [{ pr: { _type: 'chart', preset: 'pr_curve', yTrue: [0, 1], yProbas: [[0.5, 0.5]] } }, 'logData.metrics.pr.yProbas'],
    [
      {
        pr: {
          _type: 'chart',
          preset: 'pr_curve',
          yTrue: [0, 1],
          yProbas: [
            [1, 0],
            [0, 1],
          ],
          labels: ['only'],
        },
      },
      'logData.metrics.pr.labels',
    ],
    [{ l: { _type: 'chart', preset: 'line', columns: ['a', 'b'], data: [[1, 2]], x: 'a', y: 'c' } }, 'logData.metrics.l.y'],
    [
      {
        l: {
          _type: 'chart',
          preset: 'line',
          table: {
            columns: ['a', 'b'],
            data: [
              [1, 2],
              ['x', 3],
            ],
          },
          x: 'a',
          y: 'b',
        },
      },
      'logData.metrics.l.table.data[1][0]',
    ],
    [{ l: { _type: 'chart', preset: 'line', table: { columns: ['a', 'b'], data: [[1, 2, 3]] }, x: 'a', y: 'b' } }, 'logData.metrics.l.table.data[0]'],
    [{ h: { _type: 'chart', preset: 'histogram', values: [1, 2], numBins: 1000 } }, 'logData.metrics.h.numBins'],
    [{ h: { _type: 'chart', preset: 'histogram', values: [1, Number.POSITIVE_INFINITY] } }, 'logData.metrics.h.values[1]'],
    [{ eval: { cm: { _type: 'chart', preset: 'confusion_matrix', yTrue: [0], preds: [0] } } }, 'logData.metrics.eval.cm'],
    [{ cm: { _type: 'chart', preset: 'confusion_matrix', yTrue: [0], preds: [0] }, cm_table: 1 }, 'logData.metrics.cm'],
    [
      { ok: { _type: 'table', columns: ['a'], data: [[1]] }, s: { _type: 'chart', preset: 'scatter', x: 'a', y: 'b', columns: ['a'], data: [[1]] } },
      'logData.metrics.s.y',
    ],
  ];
  for (const [metrics, path] of cases) {
    const ctx = await freshCtx();
    await assert.rejects(encodeMetrics(metrics, ctx), (err) => assertSkillError(err, 'INVALID_INPUT', path), `${JSON.stringify(metrics)} → ${path}`);
    assert.deepEqual(await readdir(ctx.filesDir), [], 'no file written');
  }
});
