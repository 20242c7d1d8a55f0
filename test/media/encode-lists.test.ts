import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodeMetrics, isMediaInput } from '../../src/media/index.js';
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
