import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import { png } from '../media/helpers/encoders.js';
import { runFilesDir } from '../../src/runs/paths.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

test('log writes media the way W&B does and puts its descriptors in the row and the summary', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'sample.png'), png(7, 5));
  const o = isolated(dir);
  const runId = valid(await executeSkill({ action: 'init', project: 'm' }, o)).runId as string;
  const out = valid(
    await executeSkill(
      {
        action: 'log',
        project: 'm',
        runId,
        logData: {
          metrics: {
            loss: 0.3,
            samples: { image: { _type: 'image', path: 'sample.png', caption: 'a gradient' } },
            weights: { _type: 'histogram', sequence: [1, 2, 2, 3, 3, 3], numBins: 3 },
            preds: {
              _type: 'table',
              columns: ['x', 'y'],
              data: [
                [1, 'a'],
                [2, 'b'],
              ],
            },
          },
        },
      },
      o,
    ),
  );
  assert.equal(out.status, 'success', JSON.stringify(out));
  assert.equal(out.media?.length, 2, 'an image file and a table file (histograms are inline)');
  const fin = valid(await executeSkill({ action: 'finish', project: 'm', runId }, o));
  const img = (fin.summary?.['samples'] as Record<string, Record<string, unknown>>)['image'] as Record<string, unknown>;
  assert.equal(img['_type'], 'image-file');
  assert.equal(img['width'], 7);
  assert.equal(img['height'], 5);
  assert.equal(img['caption'], 'a gradient');
  assert.match(img['path'] as string, /^media\/images\/image_0_[0-9a-f]{20}\.png$/);
  const file = join(runFilesDir(dir, 'm', runId), img['path'] as string);
  assert.ok(existsSync(file));
  assert.deepEqual(readFileSync(file), png(7, 5));
  const hist = fin.summary?.['weights'] as { _type: string; values: number[]; bins: number[] };
  assert.equal(hist._type, 'histogram');
  assert.deepEqual(hist.values, [1, 2, 3]);
  assert.equal(hist.bins.length, 4);
  const table = fin.summary?.['preds'] as Record<string, unknown>;
  assert.equal(table['_type'], 'table-file');
  assert.equal(table['nrows'], 2);
});

test('a bad media value is refused naming the metric, and nothing is stored', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'not-an-image.png'), 'hello');
  const o = isolated(dir);
  const runId = valid(await executeSkill({ action: 'init', project: 'm' }, o)).runId as string;
  for (const metrics of [
    { img: { _type: 'image', path: 'not-an-image.png' } },
    { img: { _type: 'image', path: 'missing.png' } },
    { h: { _type: 'histogram', sequence: [1, 2], numBins: 1000 } },
    { x: { _type: 'hologram' } },
  ]) {
    const out = valid(await executeSkill({ action: 'log', project: 'm', runId, logData: { metrics } }, o));
    assert.equal(out.error?.code, 'INVALID_INPUT', JSON.stringify(out));
    assert.ok(
      out.error?.details?.issues?.some((i) => i.path.startsWith(`logData.metrics.${Object.keys(metrics)[0]}`)),
      JSON.stringify(out.error),
    );
  }
  // A table longer than a run keeps: refused naming the key (truncate: true would cut it as W&B does).
  const long = valid(
    await executeSkill(
      {
        action: 'log',
        project: 'm',
        runId,
        logData: { metrics: { preds: { _type: 'table', columns: ['i'], data: Array.from({ length: 10_001 }, (_, i) => [i]) } } },
      },
      o,
    ),
  );
  assert.equal(long.error?.code, 'PAYLOAD_TOO_LARGE', JSON.stringify(long.error));
  assert.equal(long.error?.details?.issues?.[0]?.path, 'logData.metrics.preds');
  const fin = valid(await executeSkill({ action: 'finish', project: 'm', runId }, o));
  assert.equal(fin.historyLength, 0);
  assert.ok(!existsSync(join(runFilesDir(dir, 'm', runId), 'media')), 'no media file written');
});

test('online, logged media files are uploaded and reported to the server', async (t) => {
  const s = await startWandbServer({ entity: 'e' });
  t.after(() => s.close());
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'sample.png'), png(4, 4));
  const o = isolated(dir, { WANDB_API_KEY: s.apiKey, WANDB_BASE_URL: s.url });
  const runId = valid(await executeSkill({ action: 'init', project: 'm' }, o)).runId as string;
  const out = valid(await executeSkill({ action: 'log', project: 'm', runId, logData: { metrics: { pic: { _type: 'image', path: 'sample.png' } } } }, o));
  assert.equal(out.synced, true);
  const name = out.media?.[0]?.['path'] as string;
  const run = s.run('e', 'm', runId);
  assert.ok(run?.uploaded.includes(name), `${name} in file_stream uploaded`);
  assert.deepEqual(run?.files.get(name), png(4, 4));
  assert.deepEqual(s.invalidDocuments, []);
  assert.deepEqual(s.signedUrlAuthViolations, []);
});
