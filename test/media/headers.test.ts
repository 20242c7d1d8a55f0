import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createBufferReader, IMAGE_HEAD_BYTES, readAudioInfo, readImageInfo, sniffVideo, withFileReader } from '../../src/media/index.js';
import { tempDir } from '../helpers/tmp.js';
import * as enc from './helpers/encoders.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/media');
const fixture = (name: string): string => resolve(FIXTURES, name);
const r = (b: Buffer) => createBufferReader(b);

/** Writes `bytes` as `name` in a fresh folder removed after the test. */
function onDisk(t: { after: (fn: () => void) => void }, name: string, bytes: Buffer | string): string {
  const { dir, cleanup } = tempDir('media-headers-');
  t.after(cleanup);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

test('image fixtures on disk: format and size from the header', async () => {
  assert.deepEqual(await readImageInfo(fixture('gradient-7x5.png')), { format: 'png', width: 7, height: 5 });
  assert.deepEqual(await readImageInfo(fixture('gray-33x17.jpg')), { format: 'jpeg', width: 33, height: 17 });
  assert.deepEqual(await readImageInfo(fixture('dots-9x4.gif')), { format: 'gif', width: 9, height: 4 });
  assert.deepEqual(await readImageInfo(fixture('block-6x3.bmp')), { format: 'bmp', width: 6, height: 3 });
});

test('image variants: JPEG with a large APP1, BMP top-down, huge PNG dims', async () => {
  assert.deepEqual(await readImageInfo(enc.jpeg(1920, 1080, 60_000)), { format: 'jpeg', width: 1920, height: 1080 });
  assert.deepEqual(await readImageInfo(enc.bmp(5, 4, { topDown: true })), { format: 'bmp', width: 5, height: 4 });
  assert.deepEqual(await readImageInfo(enc.bmp(300, 7, { core: true })), { format: 'bmp', width: 300, height: 7 }, 'OS/2 1.x header');
  const odd = enc.bmp(5, 4);
  odd.writeUInt32LE(20, 14); // a DIB header size no BMP has
  assert.equal(await readImageInfo(odd), undefined);
  const big = enc.png(1, 1);
  big.writeUInt32BE(40_000, 16);
  assert.equal((await readImageInfo(big))?.width, 40_000);
});

test('images: truncated, empty, foreign or unsupported bytes are not recognised', async (t) => {
  const cut = enc.png(3, 3).subarray(0, 20);
  assert.equal(await readImageInfo(Buffer.from(cut)), undefined);
  // The same cut inside a larger buffer: the bytes after it must not complete the header.
  const pooled = Buffer.alloc(4096);
  enc.png(3, 3).copy(pooled);
  assert.equal(await readImageInfo(pooled.subarray(0, 20)), undefined);
  assert.equal(await readImageInfo(onDisk(t, 'cut.png', cut)), undefined);
  assert.equal(await readImageInfo(onDisk(t, 'cut.gif', enc.gif(3, 3).subarray(0, 8))), undefined);
  assert.equal(await readImageInfo(onDisk(t, 'notes.png', 'hello world, not an image')), undefined);
  assert.equal(await readImageInfo(onDisk(t, 'empty.png', '')), undefined);
  assert.equal(await readImageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2])), undefined); // scan before SOF
  assert.equal(
    await readImageInfo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"></svg>')),
    undefined,
    'SVG is not a W&B image format here',
  );
  const zero = enc.png(1, 1);
  zero.writeUInt32BE(0, 16);
  assert.equal(await readImageInfo(zero), undefined, 'a zero width is not an image');
});

test('images: only the first IMAGE_HEAD_BYTES are read, so a JPEG frame header past them is not found', async (t) => {
  const seg = Buffer.concat([Buffer.from([0xff, 0xe2, 0xff, 0xff]), Buffer.alloc(0xffff - 2)]); // APP2, 64 KiB
  const segments = Math.ceil(IMAGE_HEAD_BYTES / seg.length);
  const jpeg = enc.jpeg(40, 30);
  const late = Buffer.concat([jpeg.subarray(0, 2), ...Array.from({ length: segments }, () => seg), jpeg.subarray(2)]);
  assert.equal(await readImageInfo(onDisk(t, 'late.jpg', late)), undefined);
  const early = Buffer.concat([jpeg.subarray(0, 2), ...Array.from({ length: segments - 1 }, () => seg), jpeg.subarray(2)]);
  assert.deepEqual(await readImageInfo(onDisk(t, 'early.jpg', early)), { format: 'jpeg', width: 40, height: 30 });
});

test('audio fixtures on disk: sample rate, duration and channels', async () => {
  assert.deepEqual(await readAudioInfo(fixture('tone-8000hz-mono-0.5s.wav')), { format: 'wav', sampleRate: 8000, duration: 0.5, channels: 1 });
  const mp3 = await readAudioInfo(fixture('silence-44100hz-40frames.mp3'));
  assert.equal(mp3?.format, 'mp3');
  assert.equal(mp3?.sampleRate, 44100);
  assert.equal(mp3?.channels, 2);
  assert.ok(Math.abs((mp3?.duration ?? 0) - (40 * 1152) / 44100) < 1e-9);
  assert.deepEqual(await readAudioInfo(fixture('header-48000hz-2ch-3s.flac')), { format: 'flac', sampleRate: 48000, duration: 3, channels: 2 });
  assert.deepEqual(await readAudioInfo(fixture('vorbis-22050hz-1.5s.ogg')), { format: 'ogg', sampleRate: 22050, duration: 1.5, channels: 1 });
});

test('audio variants from bytes: Xing count, MPEG-2, stereo WAV, Opus', async () => {
  const xing = await readAudioInfo(enc.mp3(10, { xing: true }));
  assert.ok(Math.abs((xing?.duration ?? 0) - (10 * 1152) / 44100) < 1e-9, 'the Xing frame count is used, without the Info frame');
  const m2 = await readAudioInfo(enc.mp3(100, { mpeg2: true }));
  assert.equal(m2?.sampleRate, 22050);
  assert.ok(Math.abs((m2?.duration ?? 0) - (100 * 576) / 22050) < 1e-9);
  assert.deepEqual(await readAudioInfo(enc.wav(44100, 2, 16, 44100 * 2)), { format: 'wav', sampleRate: 44100, duration: 2, channels: 2 });
  assert.deepEqual(await readAudioInfo(enc.oggOpus(44100, 2, 2.5)), { format: 'ogg', sampleRate: 44100, duration: 2.5, channels: 2 });
});

test('audio: foreign, truncated, video-only or mislabelled data is not recognised', async (t) => {
  assert.equal(await readAudioInfo(enc.png(2, 2)), undefined);
  assert.equal(await readAudioInfo(Buffer.alloc(5000)), undefined);
  assert.equal(await readAudioInfo(enc.oggTheora(320, 240)), undefined, 'an Ogg Theora video has no audio');
  assert.equal(await readAudioInfo(onDisk(t, 'notes.wav', 'hello, not audio')), undefined);
  assert.equal(await readAudioInfo(onDisk(t, 'notes.mp3', 'hello, not audio at all. '.repeat(50))), undefined);
  assert.equal(await readAudioInfo(onDisk(t, 'image.wav', enc.png(3, 3))), undefined);
  assert.equal(
    await readAudioInfo(onDisk(t, 'header-only.wav', enc.wav(16000, 1, 16, 8000).subarray(0, 56))),
    undefined,
    'a data chunk with no samples: truncated',
  );
  assert.equal(await readAudioInfo(onDisk(t, 'cut.flac', enc.flac(48000, 2, 16, 1000).subarray(0, 20))), undefined);
  assert.equal(await readAudioInfo(onDisk(t, 'tone.mp3', enc.wav(16000, 1, 16, 8000))), undefined, 'WAV content under an .mp3 name');
  // A name the library does not know leaves the choice to the content.
  assert.deepEqual(await readAudioInfo(onDisk(t, 'tone.bin', enc.wav(16000, 1, 16, 8000))), { format: 'wav', sampleRate: 16000, duration: 0.5, channels: 1 });
});

test('video fixtures and variants: frame size where the container says', () => {
  assert.deepEqual(withFileReader(fixture('boxes-64x48.mp4'), sniffVideo), { format: 'mp4', width: 64, height: 48 });
  assert.deepEqual(withFileReader(fixture('ebml-80x60.webm'), sniffVideo), { format: 'webm', width: 80, height: 60 });
  assert.deepEqual(withFileReader(fixture('dots-9x4.gif'), sniffVideo), { format: 'gif', width: 9, height: 4 });
  assert.deepEqual(sniffVideo(r(enc.mp4(1280, 720, { tkhdVersion: 1, moovLast: true }))), { format: 'mp4', width: 1280, height: 720 });
  assert.deepEqual(sniffVideo(r(enc.oggTheora(320, 240))), { format: 'ogg', width: 320, height: 240 });
  assert.deepEqual(sniffVideo(r(enc.oggVorbis(8000, 1, 8000))), { format: 'ogg' });
  assert.equal(sniffVideo(r(enc.webm(10, 10, 'matroska'))), undefined, 'MKV is not a W&B video format');
  assert.equal(sniffVideo(r(enc.png(2, 2))), undefined);
});
