import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodeMetrics } from '../../src/media/index.js';
import type { MediaContext } from '../../src/media/index.js';
import { assertSkillError } from './helpers/assert-skill-error.js';
import * as enc from './helpers/encoders.js';
import { sha, writeEncodeInputs } from './helpers/encode-inputs.js';

let dir = '';
let inputs = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-encode-'));
  inputs = join(dir, 'inputs');
  await writeEncodeInputs(inputs);
});
after(async () => rm(dir, { recursive: true, force: true }));

async function freshCtx(step = 7, extra: Partial<MediaContext> = {}): Promise<MediaContext> {
  return { filesDir: await mkdtemp(join(dir, 'files-')), step, baseDir: inputs, ...extra };
}

test('image from a path: W&B descriptor, file at media/images/<key>_<step>_<sha20>.png', async () => {
  const ctx = await freshCtx();
  const bytes = enc.png(4, 3);
  const { row, files, warnings } = await encodeMetrics({ sample: { _type: 'image', path: 'a.png', caption: 'first' } }, ctx);
  const h = sha(bytes);
  const path = `media/images/sample_7_${h.slice(0, 20)}.png`;
  assert.deepEqual(row['sample'], { _type: 'image-file', sha256: h, size: bytes.length, path, caption: 'first', format: 'png', width: 4, height: 3 });
  assert.deepEqual(Object.keys(row['sample'] as object), ['_type', 'sha256', 'size', 'path', 'caption', 'format', 'width', 'height']);
  assert.deepEqual(await readFile(join(ctx.filesDir, path)), bytes);
  assert.equal(files.length, 1);
  assert.equal(files[0]?.path, path);
  assert.equal(files[0]?.absPath, join(ctx.filesDir, path));
  assert.deepEqual(warnings, []);
});

test('image from base64 data and a data: URL; JPEG keeps its extension spelling', async () => {
  const ctx = await freshCtx(0);
  const jpg = enc.jpeg(16, 8);
  const { row } = await encodeMetrics(
    {
      x: { _type: 'image', data: jpg.toString('base64') },
      y: { _type: 'image', data: `data:image/png;base64,${enc.png(2, 2).toString('base64')}` },
      z: { _type: 'image', path: 'b.jpeg', format: 'jpeg' },
    },
    ctx,
  );
  assert.match((row['x'] as { path: string }).path, /^media\/images\/x_0_[0-9a-f]{20}\.jpg$/);
  assert.equal((row['x'] as { format: string }).format, 'jpg');
  assert.equal((row['y'] as { width: number }).width, 2);
  assert.equal((row['z'] as { format: string }).format, 'jpeg');
});

test('audio, video, html, table and histogram descriptors', async () => {
  const ctx = await freshCtx(3);
  const { row, files } = await encodeMetrics(
    {
      speech: { _type: 'audio', path: 'tone.wav', caption: 'tone' },
      clip: { _type: 'video', path: 'clip.mp4' },
      page: { _type: 'html', html: '<b>x</b>' },
      page2: { _type: 'html', path: 'page.html' },
      preds: {
        _type: 'table',
        columns: ['a', 'b'],
        data: [
          [1, 'x'],
          [2, null],
        ],
      },
      w: { _type: 'histogram', sequence: [1, 2, 3], numBins: 2 },
    },
    ctx,
  );
  const audio = row['speech'] as Record<string, unknown>;
  assert.equal(audio['_type'], 'audio-file');
  assert.equal(audio['caption'], 'tone');
  assert.match(String(audio['path']), /^media\/audio\/speech_3_[0-9a-f]{20}\.wav$/);
  assert.deepEqual(files.find((f) => f.key === 'speech')?.meta, { format: 'wav', sampleRate: 16000, duration: 0.5, channels: 1 });
  const video = row['clip'] as Record<string, unknown>;
  assert.equal(video['_type'], 'video-file');
  assert.equal(video['width'], 32);
  assert.equal(video['height'], 24);
  assert.match(String(video['path']), /^media\/videos\/clip_3_[0-9a-f]{20}\.mp4$/);
  const html = row['page'] as Record<string, unknown>;
  assert.equal(html['_type'], 'html-file');
  assert.equal(html['sha256'], sha('<b>x</b>'));
  assert.match(String(html['path']), /^media\/html\/page_3_[0-9a-f]{20}\.html$/);
  assert.equal((row['page2'] as Record<string, unknown>)['sha256'], sha('<p>hi</p>'));
  const table = row['preds'] as Record<string, unknown>;
  assert.equal(table['_type'], 'table-file');
  assert.equal(table['ncols'], 2);
  assert.equal(table['nrows'], 2);
  assert.equal(table['log_mode'], 'IMMUTABLE');
  assert.match(String(table['path']), /^media\/table\/preds_3_[0-9a-f]{20}\.table\.json$/);
  const body = await readFile(join(ctx.filesDir, String(table['path'])), 'utf8');
  assert.deepEqual(JSON.parse(body), {
    columns: ['a', 'b'],
    data: [
      [1, 'x'],
      [2, null],
    ],
  });
  assert.deepEqual(row['w'], { _type: 'histogram', values: [1, 2], bins: [1, 2, 3] });
  assert.equal(files.length, 5, 'histograms are inline, no file');
});

test('audio from an MP3 path and from base64 data: meta from the header library', async () => {
  const ctx = await freshCtx(2);
  const { row, files } = await encodeMetrics(
    {
      song: { _type: 'audio', path: 'song.mp3' },
      clip: { _type: 'audio', data: enc.oggOpus(48000, 1, 1.25).toString('base64') },
    },
    ctx,
  );
  assert.deepEqual(Object.keys(row['song'] as object), ['_type', 'sha256', 'size', 'path']);
  assert.match(String((row['song'] as { path: string }).path), /^media\/audio\/song_2_[0-9a-f]{20}\.mp3$/);
  assert.match(String((row['clip'] as { path: string }).path), /^media\/audio\/clip_2_[0-9a-f]{20}\.ogg$/);
  const song = files.find((f) => f.key === 'song')?.meta;
  assert.equal(song?.['format'], 'mp3');
  assert.equal(song?.['sampleRate'], 44100);
  assert.ok(Math.abs(Number(song?.['duration']) - (20 * 1152) / 44100) < 1e-9);
  assert.deepEqual(files.find((f) => f.key === 'clip')?.meta, { format: 'ogg', sampleRate: 48000, duration: 1.25, channels: 1 });
});

test('nested metrics: descriptors replace inputs in place; plain and non-finite values unchanged', async () => {
  const ctx = await freshCtx(12);
  const metrics = { loss: Number.NaN, big: Infinity, tags: ['a', 1], val: { acc: 0.5, examples: { img: { _type: 'image', path: 'a.png' } } } };
  const { row } = await encodeMetrics(metrics, ctx);
  assert.ok(Number.isNaN(row['loss']));
  assert.equal(row['big'], Infinity);
  assert.deepEqual(row['tags'], ['a', 1]);
  const val = row['val'] as { acc: number; examples: { img: Record<string, unknown> } };
  assert.equal(val.acc, 0.5);
  assert.equal(val.examples.img['_type'], 'image-file');
  // W&B names the file after the leaf key
  assert.match(String(val.examples.img['path']), /^media\/images\/img_12_/);
  assert.equal((metrics.val.examples.img as Record<string, unknown>)['_type'], 'image', 'input not mutated');
});

test('a "/" in the key makes subdirectories; ".." in a key is refused', async () => {
  const ctx = await freshCtx(1);
  const { row } = await encodeMetrics({ 'eval/samples/best': { _type: 'image', path: 'a.png' } }, ctx);
  assert.match(String((row['eval/samples/best'] as Record<string, unknown>)['path']), /^media\/images\/eval\/samples\/best_1_[0-9a-f]{20}\.png$/);
  for (const key of ['../../escape', 'a/../../b', '/abs', 'a//b', 'a\\b']) {
    await assert.rejects(encodeMetrics({ [key]: { _type: 'image', path: 'a.png' } }, ctx), (e) =>
      assertSkillError(e, 'INVALID_INPUT', `logData.metrics.${key}`),
    );
  }
});

test('bad inputs: INVALID_INPUT with the metric path, and nothing written', async () => {
  const ctx = await freshCtx(2);
  const cases: [Record<string, unknown>, string][] = [
    [{ m: { _type: 'pointcloud', path: 'a.png' } }, 'logData.metrics.m._type'],
    [{ m: { _type: 'image', path: 'missing.png' } }, 'logData.metrics.m.path'],
    [{ m: { _type: 'image', path: 'notes.txt' } }, 'logData.metrics.m'],
    [{ m: { _type: 'image', path: 'notes.png' } }, 'logData.metrics.m'],
    [{ m: { _type: 'image', path: 'cut.png' } }, 'logData.metrics.m'],
    [{ m: { _type: 'image', data: enc.png(4, 3).subarray(0, 20).toString('base64') } }, 'logData.metrics.m'],
    [{ m: { _type: 'image', path: 'a.png', format: 'gif' } }, 'logData.metrics.m.format'],
    [{ m: { _type: 'image', path: 'a.png', data: 'AAAA' } }, 'logData.metrics.m'],
    [{ m: { _type: 'image', data: '!!!' } }, 'logData.metrics.m.data'],
    [{ m: { _type: 'audio', path: 'a.png' } }, 'logData.metrics.m'],
    [{ m: { _type: 'audio', path: 'tone-really.mp3' } }, 'logData.metrics.m'],
    [{ m: { _type: 'audio', path: 'cut.wav' } }, 'logData.metrics.m'],
    [{ m: { _type: 'audio', data: Buffer.from('not audio').toString('base64') } }, 'logData.metrics.m'],
    [
      {
        ok: { _type: 'image', path: 'a.png' },
        list: [
          { _type: 'image', path: 'a.png' },
          { _type: 'image', path: 'cut.png' },
        ],
      },
      'logData.metrics.list[1]',
    ],
    [{ m: { _type: 'video', path: 'tone.wav' } }, 'logData.metrics.m'],
    [{ m: { _type: 'table', columns: ['a', 'b'], data: [[1]] } }, 'logData.metrics.m.data[0]'],
    [{ m: { _type: 'table', columns: ['a', 'a'], data: [] } }, 'logData.metrics.m.columns[1]'],
    [{ m: { _type: 'histogram', sequence: [1], numBins: 513 } }, 'logData.metrics.m.numBins'],
    [
      {
        m: [
          { _type: 'image', path: 'a.png' },
          { _type: 'audio', path: 'tone.wav' },
        ],
      },
      'logData.metrics.m',
    ],
    // the first input is fine: validation of all inputs happens before any write
    [{ ok: { _type: 'image', path: 'a.png' }, deep: { m: { _type: 'table', rows: 'x' } } }, 'logData.metrics.deep.m.rows'],
  ];
  for (const [metrics, path] of cases) {
    await assert.rejects(encodeMetrics(metrics, ctx), (e) => assertSkillError(e, 'INVALID_INPUT', path));
  }
  assert.deepEqual(await readdir(ctx.filesDir), [], 'no media written for rejected rows');
});

test('allowedRoots jails input paths, also through symbolic links; maxFileBytes -> PAYLOAD_TOO_LARGE', async () => {
  const outside = await mkdtemp(join(dir, 'outside-'));
  await writeFile(join(outside, 'secret.png'), enc.png(1, 1));
  await symlink(join(outside, 'secret.png'), join(inputs, 'link.png'));
  const ctx = await freshCtx(0, { allowedRoots: [inputs] });
  await encodeMetrics({ ok: { _type: 'image', path: 'a.png' } }, ctx);
  await assert.rejects(encodeMetrics({ m: { _type: 'image', path: join(outside, 'secret.png') } }, ctx), (e) =>
    assertSkillError(e, 'INVALID_INPUT', 'logData.metrics.m.path'),
  );
  await assert.rejects(encodeMetrics({ m: { _type: 'image', path: `../${basename(outside)}/secret.png` } }, ctx), (e) =>
    assertSkillError(e, 'INVALID_INPUT', 'logData.metrics.m.path'),
  );
  await assert.rejects(encodeMetrics({ m: { _type: 'image', path: 'link.png' } }, ctx), (e) => assertSkillError(e, 'INVALID_INPUT', 'logData.metrics.m.path'));
  const small = await freshCtx(0, { maxFileBytes: 10 });
  await assert.rejects(encodeMetrics({ m: { _type: 'image', path: 'a.png' } }, small), (e) =>
    assertSkillError(e, 'PAYLOAD_TOO_LARGE', 'logData.metrics.m.path'),
  );
  await assert.rejects(encodeMetrics({ m: { _type: 'html', html: 'x'.repeat(11) } }, small), (e) =>
    assertSkillError(e, 'PAYLOAD_TOO_LARGE', 'logData.metrics.m.html'),
  );
});
