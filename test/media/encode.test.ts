import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodeMetrics, isMediaInput } from '../../src/media/index.js';
import type { MediaContext } from '../../src/media/index.js';
import { assertSkillError } from './helpers/assert-skill-error.js';
import * as enc from './helpers/encoders.js';

let dir = '';
let inputs = '';
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-encode-'));
  inputs = join(dir, 'inputs');
  await mkdir(inputs);
  await writeFile(join(inputs, 'a.png'), enc.png(4, 3));
  await writeFile(join(inputs, 'b.jpeg'), enc.jpeg(16, 8));
  await writeFile(join(inputs, 'tone.wav'), enc.wav(16000, 1, 16, 8000));
  await writeFile(join(inputs, 'clip.mp4'), enc.mp4(32, 24));
  await writeFile(join(inputs, 'page.html'), '<p>hi</p>');
  await writeFile(join(inputs, 'notes.txt'), 'not an image');
  await writeFile(join(inputs, 'notes.png'), 'not an image either');
  await writeFile(join(inputs, 'cut.png'), enc.png(4, 3).subarray(0, 20));
  await writeFile(join(inputs, 'tone-really.mp3'), enc.wav(16000, 1, 16, 8000));
  await writeFile(join(inputs, 'cut.wav'), enc.wav(16000, 1, 16, 8000).subarray(0, 40));
  await writeFile(join(inputs, 'song.mp3'), enc.mp3(20, { id3: 100 }));
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

test('tables: rows form; over 10,000 rows refused naming the key, or cut with a warning when asked; NaN written as Python does', async () => {
  const ctx = await freshCtx(5);
  const { row: r1 } = await encodeMetrics({ t: { _type: 'table', rows: [{ a: 1 }, { b: 'x', a: 2 }] } }, ctx);
  const t1 = r1['t'] as Record<string, unknown>;
  assert.deepEqual(JSON.parse(await readFile(join(ctx.filesDir, String(t1['path'])), 'utf8')), {
    columns: ['a', 'b'],
    data: [
      [1, null],
      [2, 'x'],
    ],
  });
  const data = Array.from({ length: 10_050 }, (_, i) => [i, i === 0 ? Number.NaN : i / 2]);
  await assert.rejects(encodeMetrics({ big: { _type: 'table', columns: ['i', 'half'], data } }, ctx), (err) =>
    assertSkillError(err, 'PAYLOAD_TOO_LARGE', 'logData.metrics.big'),
  );
  await assert.rejects(encodeMetrics({ big: { _type: 'table', columns: ['i', 'half'], data, truncate: 'yes' } }, ctx), (err) =>
    assertSkillError(err, 'INVALID_INPUT', 'logData.metrics.big.truncate'),
  );
  const { row, warnings } = await encodeMetrics({ big: { _type: 'table', columns: ['i', 'half'], data, truncate: true } }, ctx);
  const t = row['big'] as Record<string, unknown>;
  assert.equal(t['nrows'], 10_050, 'W&B reports the logged row count');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /logData\.metrics\.big: table cut to the first 10000 of 10050 rows/);
  const text = await readFile(join(ctx.filesDir, String(t['path'])), 'utf8');
  assert.ok(text.startsWith('{"columns":["i","half"],"data":[[0,NaN],[1,0.5]'));
  assert.equal(text.split('],[').length, 10_000);
});

test('a list of images becomes images/separated', async () => {
  const ctx = await freshCtx(4);
  const { row, files } = await encodeMetrics(
    {
      batch: [
        { _type: 'image', path: 'a.png', caption: 'one' },
        { _type: 'image', data: enc.png(4, 3).toString('base64') },
      ],
    },
    ctx,
  );
  const d = row['batch'] as Record<string, unknown>;
  assert.equal(d['_type'], 'images/separated');
  assert.equal(d['count'], 2);
  assert.equal(d['width'], 4);
  assert.equal(d['format'], 'png');
  assert.deepEqual(d['captions'], ['one', '']);
  assert.equal((d['filenames'] as string[]).length, 2);
  assert.equal(files.length, 2);
});

test("lists of audio, videos and html become W&B's audio, videos and html list descriptors", async () => {
  const ctx = await freshCtx(5);
  const wav = enc.wav(16000, 1, 16, 8000);
  const { row, files, warnings } = await encodeMetrics(
    {
      clips: [
        { _type: 'audio', path: 'tone.wav', caption: 'tone' },
        { _type: 'audio', path: 'song.mp3' },
      ],
      movies: [
        { _type: 'video', path: 'clip.mp4' },
        { _type: 'video', path: 'clip.mp4' },
      ],
      pages: [
        { _type: 'html', html: '<b>1</b>' },
        { _type: 'html', path: 'page.html' },
      ],
    },
    ctx,
  );
  assert.deepEqual(warnings, []);
  const audio = row['clips'] as Record<string, unknown>;
  assert.deepEqual(Object.keys(audio), ['_type', 'count', 'audio', 'sampleRates', 'durations', 'captions']);
  assert.equal(audio['_type'], 'audio');
  assert.equal(audio['count'], 2);
  const first = (audio['audio'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
  assert.deepEqual(first, {
    _type: 'audio-file',
    sha256: sha(wav),
    size: wav.length,
    path: `media/audio/clips_5_${sha(wav).slice(0, 20)}.wav`,
    caption: 'tone',
  });
  assert.equal((audio['sampleRates'] as number[])[0], 16000);
  assert.equal((audio['durations'] as number[])[0], 0.5);
  assert.ok(((audio['durations'] as number[])[1] ?? 0) > 0, 'the mp3 duration is read from its header');
  assert.deepEqual(audio['captions'], ['tone', '']);
  const videos = row['movies'] as Record<string, unknown>;
  assert.equal(videos['_type'], 'videos');
  assert.equal(videos['count'], 2);
  assert.equal(videos['captions'], false, 'W&B writes captions: false when none is given');
  assert.deepEqual(
    (videos['videos'] as Array<Record<string, unknown>>).map((v) => [v['_type'], v['width'], v['height']]),
    [
      ['video-file', 32, 24],
      ['video-file', 32, 24],
    ],
  );
  const html = row['pages'] as Record<string, unknown>;
  assert.deepEqual(Object.keys(html), ['_type', 'count', 'html']);
  assert.deepEqual(
    (html['html'] as Array<Record<string, unknown>>).map((h) => h['_type']),
    ['html-file', 'html-file'],
  );
  for (const f of files) assert.ok((await readFile(f.absPath)).length > 0);
  assert.equal(files.length, 6);
  assert.equal(new Set(files.map((f) => f.path)).size, 5, 'the same video twice is one file');
});

test('a list mixing media kinds, or holding tables or histograms, is refused naming the key; nothing is written', async () => {
  for (const list of [
    [
      { _type: 'image', path: 'a.png' },
      { _type: 'audio', path: 'tone.wav' },
    ],
    [{ _type: 'table', columns: ['a'], data: [[1]] }],
    [{ _type: 'histogram', values: [1, 2] }],
    [{ _type: 'audio', path: 'tone.wav' }, 3],
  ]) {
    const ctx = await freshCtx(2);
    await assert.rejects(encodeMetrics({ mixed: list }, ctx), (err) => assertSkillError(err, 'INVALID_INPUT', 'logData.metrics.mixed'));
    assert.deepEqual(await readdir(ctx.filesDir), []);
  }
  // One bad item in a list of audio names its index.
  const ctx = await freshCtx(2);
  await assert.rejects(
    encodeMetrics(
      {
        clips: [
          { _type: 'audio', path: 'tone.wav' },
          { _type: 'audio', path: 'notes.txt' },
        ],
      },
      ctx,
    ),
    (err) => assertSkillError(err, 'INVALID_INPUT', 'logData.metrics.clips[1]'),
  );
  assert.deepEqual(await readdir(ctx.filesDir), []);
});

test('identical content, same key and step -> the same single file, from a path or from data', async () => {
  const ctx = await freshCtx(9);
  const a = await encodeMetrics({ k: { _type: 'image', path: 'a.png' } }, ctx);
  const b = await encodeMetrics({ k: { _type: 'image', data: enc.png(4, 3).toString('base64') } }, ctx);
  assert.deepEqual(a.row, b.row);
  assert.deepEqual(await readdir(join(ctx.filesDir, 'media/images')), [(a.row['k'] as { path: string }).path.split('/').pop()]);
});

test('isMediaInput and pass-through of existing W&B descriptors', async () => {
  assert.equal(isMediaInput({ _type: 'image', path: 'x' }), true);
  assert.equal(isMediaInput({ _type: 'image-file' }), false);
  assert.equal(isMediaInput({ a: 1 }), false);
  assert.equal(isMediaInput([{ _type: 'image' }]), false);
  assert.equal(isMediaInput(null), false);
  const ctx = await freshCtx(1);
  const desc = { _type: 'image-file', path: 'media/images/x.png', sha256: 'ab', size: 1 };
  const { row } = await encodeMetrics({ d: desc }, ctx);
  assert.deepEqual(row['d'], desc);
});

test('a metric named __proto__ stays an own key and does not touch the prototype', async () => {
  const ctx = await freshCtx(1);
  const metrics = JSON.parse('{"__proto__": {"x": 1}, "t": {"_type": "table", "rows": [{"constructor": 1}, {"a": 2}]}}') as Record<string, unknown>;
  const { row } = await encodeMetrics(metrics, ctx);
  assert.equal(Object.getPrototypeOf(row), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, { x: 1 });
  const t = row['t'] as { path: string };
  assert.deepEqual(JSON.parse(await readFile(join(ctx.filesDir, t.path), 'utf8')).data, [
    [1, null],
    [null, 2],
  ]);
});
