import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  areaUnder,
  chartSpecWithTable,
  encodeMetrics,
  interpolatedPrecision,
  mergeVisualize,
  prPoints,
  rocPoints,
  wandbConfigForServer,
} from '../../src/media/index.js';
import type { ChartTable, MediaContext, VisualizeEntry } from '../../src/media/index.js';
import { renderSvg } from '../../src/report/svg.js';
import type { VegaLiteSpec } from '../../src/report/specs.js';
import { assertSkillError } from './helpers/assert-skill-error.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-chart-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

async function freshCtx(step = 4): Promise<MediaContext> {
  return { filesDir: await mkdtemp(join(dir, 'files-')), step };
}

/** Encodes one chart under `key` and reads back its table file. */
async function logChart(key: string, chart: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const ctx = await freshCtx();
  const out = await encodeMetrics({ [key]: { _type: 'chart', ...chart }, ...extra }, ctx);
  const desc = out.row[`${key}_table`] as Record<string, unknown>;
  assert.ok(desc !== undefined, `row has ${key}_table: ${JSON.stringify(out.row)}`);
  const table = JSON.parse(await readFile(join(ctx.filesDir, desc['path'] as string), 'utf8')) as ChartTable;
  return { ...out, desc, table, entry: out.visualize[key] as VisualizeEntry, ctx };
}

// The classic scikit-learn example: class 1 scores 0.1, 0.4, 0.35, 0.8 for labels 0, 0, 1, 1.
const Y = [0, 0, 1, 1];
const P = [
  [0.9, 0.1],
  [0.6, 0.4],
  [0.65, 0.35],
  [0.2, 0.8],
];

test('confusion matrix: W&B columns, counts worked by hand, the row holds only <key>_table', async () => {
  const r = await logChart(
    'cm',
    { preset: 'confusion_matrix', yTrue: [0, 0, 1, 1, 2], preds: [0, 1, 1, 1, 0], classNames: ['cat', 'dog', 'bird'] },
    { acc: 0.6 },
  );
  assert.deepEqual(Object.keys(r.row), ['cm_table', 'acc'], 'the chart key itself is not in the row');
  assert.equal(r.desc['_type'], 'table-file');
  assert.match(r.desc['path'] as string, /^media\/table\/cm_table_4_[0-9a-f]{20}\.table\.json$/);
  assert.equal(r.desc['ncols'], 3);
  assert.equal(r.desc['nrows'], 9);
  assert.deepEqual(r.table.columns, ['Actual', 'Predicted', 'nPredictions']);
  assert.deepEqual(r.table.data, [
    ['cat', 'cat', 1],
    ['cat', 'dog', 1],
    ['cat', 'bird', 0],
    ['dog', 'cat', 0],
    ['dog', 'dog', 2],
    ['dog', 'bird', 0],
    ['bird', 'cat', 1],
    ['bird', 'dog', 0],
    ['bird', 'bird', 0],
  ]);
  assert.equal(r.files.length, 1);
  assert.equal(r.files[0]?.kind, 'table');
  assert.equal(r.files[0]?.key, 'cm_table');
  // W&B's config entry, exactly (custom_chart.py's config_value), plus our spec.
  const { spec, ...wandbShape } = r.entry;
  assert.deepEqual(wandbShape, {
    panel_type: 'Vega2',
    panel_config: {
      panelDefId: 'wandb/confusion_matrix/v1',
      fieldSettings: { Actual: 'Actual', Predicted: 'Predicted', nPredictions: 'nPredictions' },
      stringSettings: { title: 'Confusion Matrix Curve' },
      transform: { name: 'tableWithLeafColNames' },
      userQuery: {
        queryFields: [
          {
            name: 'runSets',
            args: [{ name: 'runSets', value: '${runSets}' }],
            fields: [
              { name: 'id', fields: [] },
              { name: 'name', fields: [] },
              { name: '_defaultColorIndex', fields: [] },
              { name: 'summaryTable', args: [{ name: 'tableKey', value: 'cm_table' }], fields: [] },
            ],
          },
        ],
      },
    },
  });
  assert.deepEqual(spec['data'], { name: 'table' }, 'the stored spec carries no rows');
});

test("confusion matrix from probs (argmax) and, without class names, W&B's Class_<n> over the sorted classes seen", async () => {
  const fromProbs = await logChart('cm', {
    preset: 'confusion_matrix',
    yTrue: [1, 0],
    probs: [
      [0.2, 0.8],
      [0.3, 0.7],
    ],
    classNames: ['a', 'b'],
    title: 'Eval',
  });
  assert.deepEqual(fromProbs.table.data, [
    ['a', 'a', 0],
    ['a', 'b', 1],
    ['b', 'a', 0],
    ['b', 'b', 1],
  ]);
  assert.equal(fromProbs.entry.panel_config.stringSettings['title'], 'Eval');
  const unnamed = await logChart('cm', { preset: 'confusion_matrix', yTrue: [7, 3], preds: [7, 7] });
  assert.deepEqual(unnamed.table.data, [
    ['Class_1', 'Class_1', 0],
    ['Class_1', 'Class_2', 1],
    ['Class_2', 'Class_1', 0],
    ['Class_2', 'Class_2', 1],
  ]);
});

test('ROC points as scikit-learn computes them; AUC of a perfect, a random and the worked classifier', () => {
  const pos = Y.map((y) => y === 1);
  const pts = rocPoints(
    pos,
    P.map((r) => r[1] as number),
  );
  assert.deepEqual(
    pts.map((p) => [p.x, p.y]),
    [
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ],
  );
  assert.equal(areaUnder(pts), 0.75);
  assert.equal(areaUnder(rocPoints([false, false, true, true], [0.1, 0.2, 0.8, 0.9])), 1, 'perfect ranking');
  const constant = rocPoints([false, true, false, true], [0.5, 0.5, 0.5, 0.5]);
  assert.deepEqual(
    constant.map((p) => [p.x, p.y]),
    [
      [0, 0],
      [1, 1],
    ],
    'tied scores make one threshold',
  );
  assert.equal(areaUnder(constant), 0.5, 'a classifier that cannot tell is the diagonal');
  // Collinear intermediate points are dropped (drop_intermediate), the first threshold kept, as scikit-learn does.
  assert.deepEqual(
    rocPoints([true, true, true, false], [0.9, 0.8, 0.7, 0.1]).map((p) => [p.x, p.y]),
    [
      [0, 0],
      [0, 1 / 3],
      [0, 1],
      [1, 1],
    ],
  );
  assert.ok(Number.isNaN(rocPoints([true, true], [0.2, 0.3])[1]?.x), 'no negatives: the false positive rate is undefined');
});

test('roc_curve chart: one-vs-rest per class, W&B columns and panel, labels name the classes', async () => {
  const r = await logChart('roc', { preset: 'roc_curve', yTrue: Y, yProbas: P, labels: ['neg', 'pos'] });
  assert.deepEqual(r.table.columns, ['class', 'fpr', 'tpr']);
  assert.deepEqual(r.table.data, [
    ['neg', 0, 0],
    ['neg', 0, 0.5],
    ['neg', 0.5, 0.5],
    ['neg', 0.5, 1],
    ['neg', 1, 1],
    ['pos', 0, 0],
    ['pos', 0, 0.5],
    ['pos', 0.5, 0.5],
    ['pos', 0.5, 1],
    ['pos', 1, 1],
  ]);
  assert.equal(r.entry.panel_config.panelDefId, 'wandb/area-under-curve/v0');
  assert.deepEqual(r.entry.panel_config.fieldSettings, { x: 'fpr', y: 'tpr', class: 'class' });
  assert.deepEqual(r.entry.panel_config.stringSettings, { title: 'ROC Curve', 'x-axis-title': 'False positive rate', 'y-axis-title': 'True positive rate' });
  const only = await logChart('roc', { preset: 'roc_curve', yTrue: Y, yProbas: P, classesToPlot: [1] });
  assert.deepEqual([...new Set(only.table.data.map((row) => row[0]))], [1], 'without labels the class index names the class');
});

test('PR curve: endpoints, step-smoothing and 21 recall levels as W&B tabulates them', async () => {
  const raw = prPoints(
    Y.map((y) => y === 1),
    P.map((r) => r[1] as number),
  );
  assert.deepEqual(raw.at(-1), { x: 0, y: 1 }, 'the curve ends at recall 0, precision 1');
  assert.deepEqual(raw[0], { x: 1, y: 0.5 }, 'and starts with every sample predicted positive');
  const interp = interpolatedPrecision(raw, 21);
  assert.equal(interp.length, 21);
  assert.deepEqual(interp[0], { x: 1, y: 2 / 3 }, 'at recall 1: the best precision reaching full recall');
  assert.deepEqual(interp.at(-1), { x: 0, y: 1 });
  const r = await logChart('pr', { preset: 'pr_curve', yTrue: Y, yProbas: P, labels: ['neg', 'pos'] });
  assert.deepEqual(r.table.columns, ['class', 'precision', 'recall']);
  const pos = r.table.data.filter((row) => row[0] === 'pos');
  assert.equal(pos.length, 21);
  assert.deepEqual(pos[0], ['pos', 0.667, 1]);
  assert.deepEqual(pos[10], ['pos', 1, 0.5]);
  assert.deepEqual(pos[20], ['pos', 1, 0]);
  assert.deepEqual(r.entry.panel_config.fieldSettings, { x: 'recall', y: 'precision', class: 'class' });
  assert.equal(r.entry.panel_config.stringSettings['title'], 'Precision-Recall Curve');
});

test('curve tables are held to 10,000 rows, each class keeping both ends', async () => {
  const n = 12_000;
  // Alternating labels over rising scores: every threshold bends the curve, so nothing is dropped.
  const yTrue = Array.from({ length: n }, (_, i) => i % 2);
  const yProbas = yTrue.map((_, i) => [1 - i / n, i / n]);
  const r = await logChart('roc', { preset: 'roc_curve', yTrue, yProbas });
  assert.ok(r.table.data.length <= 10_000, `${r.table.data.length} rows`);
  assert.ok(r.table.data.length > 9_000);
  assert.ok(
    r.warnings.some((w) => w.includes('10000')),
    r.warnings.join('\n'),
  );
  const cls1 = r.table.data.filter((row) => row[0] === 1);
  assert.deepEqual(cls1[0], [1, 0, 0]);
  assert.deepEqual(cls1.at(-1), [1, 1, 1]);
});

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
