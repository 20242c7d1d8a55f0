import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createBufferReader, sniffAudio, sniffImage, sniffVideo, withFileReader } from '../../src/media/index.js';
import * as enc from './helpers/encoders.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/media');
const fixture = (name: string): string => resolve(FIXTURES, name);
const r = (b: Buffer) => createBufferReader(b);

test('image fixtures on disk: format and size from the header', () => {
  assert.deepEqual(withFileReader(fixture('gradient-7x5.png'), sniffImage), { format: 'png', width: 7, height: 5 });
  assert.deepEqual(withFileReader(fixture('gray-33x17.jpg'), sniffImage), { format: 'jpeg', width: 33, height: 17 });
  assert.deepEqual(withFileReader(fixture('dots-9x4.gif'), sniffImage), { format: 'gif', width: 9, height: 4 });
  assert.deepEqual(withFileReader(fixture('block-6x3.bmp'), sniffImage), { format: 'bmp', width: 6, height: 3 });
});

test('image variants: JPEG with a large APP1, BMP top-down and core header, huge PNG dims', () => {
  assert.deepEqual(sniffImage(r(enc.jpeg(1920, 1080, 60_000))), { format: 'jpeg', width: 1920, height: 1080 });
  assert.deepEqual(sniffImage(r(enc.bmp(5, 4, { topDown: true }))), { format: 'bmp', width: 5, height: 4 });
  assert.deepEqual(sniffImage(r(enc.bmp(5, 4, { core: true }))), { format: 'bmp', width: 5, height: 4 });
  const big = enc.png(1, 1);
  big.writeUInt32BE(40_000, 16);
  assert.equal(sniffImage(r(big))?.width, 40_000);
});

test('images: truncated or foreign bytes are not recognised', () => {
  assert.equal(sniffImage(r(enc.png(3, 3).subarray(0, 20))), undefined);
  assert.equal(sniffImage(r(Buffer.from('hello world, not an image'))), undefined);
  assert.equal(sniffImage(r(Buffer.alloc(0))), undefined);
  assert.equal(sniffImage(r(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2]))), undefined); // scan before SOF
});

test('audio fixtures on disk: sample rate and duration', () => {
  assert.deepEqual(withFileReader(fixture('tone-8000hz-mono-0.5s.wav'), sniffAudio), { format: 'wav', sampleRate: 8000, duration: 0.5, channels: 1 });
  const mp3 = withFileReader(fixture('silence-44100hz-40frames.mp3'), sniffAudio);
  assert.equal(mp3?.format, 'mp3');
  assert.equal(mp3?.sampleRate, 44100);
  assert.ok(Math.abs((mp3?.duration ?? 0) - (40 * 1152) / 44100) < 1e-9);
  assert.deepEqual(withFileReader(fixture('header-48000hz-2ch-3s.flac'), sniffAudio), { format: 'flac', sampleRate: 48000, duration: 3, channels: 2 });
  assert.deepEqual(withFileReader(fixture('vorbis-22050hz-1.5s.ogg'), sniffAudio), { format: 'ogg', sampleRate: 22050, duration: 1.5, channels: 1 });
});

test('audio variants: Xing count, MPEG-2, stereo WAV, Opus', () => {
  const xing = sniffAudio(r(enc.mp3(10, { xing: true })));
  assert.ok(Math.abs((xing?.duration ?? 0) - (10 * 1152) / 44100) < 1e-9, 'Xing frame count is used, not the scan');
  const m2 = sniffAudio(r(enc.mp3(100, { mpeg2: true })));
  assert.equal(m2?.sampleRate, 22050);
  assert.ok(Math.abs((m2?.duration ?? 0) - (100 * 576) / 22050) < 1e-9);
  assert.deepEqual(sniffAudio(r(enc.wav(44100, 2, 16, 44100 * 2))), { format: 'wav', sampleRate: 44100, duration: 2, channels: 2 });
  const opus = sniffAudio(r(enc.oggOpus(44100, 2, 2.5)));
  assert.deepEqual(opus, { format: 'ogg', sampleRate: 44100, duration: 2.5, channels: 2 });
  assert.equal(sniffAudio(r(enc.png(2, 2))), undefined);
  assert.equal(sniffAudio(r(Buffer.alloc(5000))), undefined);
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
