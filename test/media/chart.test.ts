import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { areaUnder, interpolatedPrecision, prPoints, rocPoints } from '../../src/media/index.js';
import type { MediaContext } from '../../src/media/index.js';
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
