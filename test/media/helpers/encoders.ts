/**
 * Tiny encoders for test fixtures, written from the format specifications: PNG, BMP, GIF, baseline
 * JPEG, WAV, MP3 frames, FLAC STREAMINFO, Ogg (Vorbis, Opus, Theora), MP4 boxes, WebM (EBML).
 * The images and WAV decode in ordinary viewers; the others carry valid headers and framing with
 * silent/empty payloads, which is what the header parsers read.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function u16be(n: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; }
function u32be(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; }
function u16le(n: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; }
function u32le(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; }

export function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    return Buffer.concat([u32be(data.length), td, u32be(crc32(td))]);
  };
  const ihdr = Buffer.concat([u32be(width), u32be(height), Buffer.from([8, 2, 0, 0, 0])]);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 255) / Math.max(1, width - 1);
      raw[o + 1] = (y * 255) / Math.max(1, height - 1);
      raw[o + 2] = 128;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function bmp(width: number, height: number, opts: { topDown?: boolean; core?: boolean } = {}): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const pixels = Buffer.alloc(rowBytes * height, 0x80);
  const dib = opts.core
    ? Buffer.concat([u32le(12), u16le(width), u16le(height), u16le(1), u16le(24)])
    : (() => {
        const d = Buffer.alloc(40);
        d.writeUInt32LE(40, 0);
        d.writeInt32LE(width, 4);
        d.writeInt32LE(opts.topDown ? -height : height, 8);
        d.writeUInt16LE(1, 12);
        d.writeUInt16LE(24, 14);
        d.writeUInt32LE(pixels.length, 20);
        return d;
      })();
  const offset = 14 + dib.length;
  const head = Buffer.concat([Buffer.from('BM', 'latin1'), u32le(offset + pixels.length), u32le(0), u32le(offset)]);
  return Buffer.concat([head, dib, pixels]);
}

/** LZW stream that emits `clear, 0` per pixel, so the code width stays at 3 bits (valid, not small). */
function gifPixels(count: number): Buffer {
  const bits: number[] = [];
  const put = (code: number): void => { for (let i = 0; i < 3; i++) bits.push((code >> i) & 1); };
  for (let i = 0; i < count; i++) { put(4); put(0); }
  put(5);
  const bytes = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((bit, i) => { if (bit) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (i & 7)); });
  const blocks: Buffer[] = [Buffer.from([2])];
  for (let i = 0; i < bytes.length; i += 255) {
    const part = bytes.subarray(i, i + 255);
    blocks.push(Buffer.from([part.length]), part);
  }
  blocks.push(Buffer.from([0]));
  return Buffer.concat(blocks);
}

export function gif(width: number, height: number, frames = 1): Buffer {
  const parts: Buffer[] = [
    Buffer.from('GIF89a', 'latin1'), u16le(width), u16le(height), Buffer.from([0x80, 0, 0]),
    Buffer.from([0, 0, 0, 255, 255, 255]),
  ];
  for (let f = 0; f < frames; f++) {
    parts.push(Buffer.from([0x21, 0xf9, 4, 0, 10, 0, 0, 0])); // graphic control: 0.1 s delay
    parts.push(Buffer.from([0x2c]), u16le(0), u16le(0), u16le(width), u16le(height), Buffer.from([0]));
    parts.push(gifPixels(width * height));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

/**
 * A baseline grayscale JPEG of a uniform mid-gray: one DC and one AC Huffman table with a single
 * 1-bit code each, so every 8x8 block is "DC diff 0, EOB" = two zero bits. An APP1 segment of
 * `exifBytes` precedes the frame header to exercise segment skipping.
 */
export function jpeg(width: number, height: number, exifBytes = 0): Buffer {
  const seg = (marker: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([0xff, marker]), u16be(body.length + 2), body]);
  const app0 = seg(0xe0, Buffer.concat([Buffer.from('JFIF\0', 'latin1'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0])]));
  const app1 = exifBytes > 0 ? seg(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.alloc(exifBytes)])) : Buffer.alloc(0);
  const dqt = seg(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]));
  const sof = seg(0xc0, Buffer.concat([Buffer.from([8]), u16be(height), u16be(width), Buffer.from([1, 1, 0x11, 0])]));
  const huff = (cls: number): Buffer => Buffer.concat([Buffer.from([cls << 4]), Buffer.from([1, ...new Array<number>(15).fill(0)]), Buffer.from([0])]);
  const dht = Buffer.concat([seg(0xc4, huff(0)), seg(0xc4, huff(1))]);
  const sos = seg(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const dataBits = blocks * 2;
  const data = Buffer.alloc(Math.ceil(dataBits / 8));
  const pad = data.length * 8 - dataBits;
  if (pad > 0) data[data.length - 1] = (1 << pad) - 1; // pad with 1-bits, per T.81 F.1.2.3
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, app1, dqt, sof, dht, sos, data, Buffer.from([0xff, 0xd9])]);
}

export function wav(sampleRate: number, channels: number, bitsPerSample: number, frames: number): Buffer {
  const blockAlign = (channels * bitsPerSample) / 8;
  const fmt = Buffer.concat([u16le(1), u16le(channels), u32le(sampleRate), u32le(sampleRate * blockAlign), u16le(blockAlign), u16le(bitsPerSample)]);
  const data = Buffer.alloc(frames * blockAlign);
  for (let i = 0; i < frames; i++) {
    if (bitsPerSample === 16) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), i * blockAlign);
  }
  const junk = Buffer.from('abc', 'latin1'); // odd-sized chunk: tests the pad byte
  const chunks = Buffer.concat([
    Buffer.from('fmt ', 'latin1'), u32le(fmt.length), fmt,
    Buffer.from('JUNK', 'latin1'), u32le(junk.length), junk, Buffer.from([0]),
    Buffer.from('data', 'latin1'), u32le(data.length), data,
  ]);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), u32le(4 + chunks.length), Buffer.from('WAVE', 'latin1'), chunks]);
}

function id3(size: number): Buffer {
  const s = Buffer.from([(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
  return Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([4, 0, 0]), s, Buffer.alloc(size)]);
}

/**
 * Silent MP3 frames. `mpeg2` picks MPEG-2 Layer III 64 kbit/s 22.05 kHz (208-byte frames, 576
 * samples); otherwise MPEG-1 Layer III 128 kbit/s 44.1 kHz joint stereo (417 bytes, 1152 samples).
 * `xing` prepends an Info frame announcing `frames` and the stream's byte count, as LAME writes it.
 */
export function mp3(frames: number, opts: { id3?: number; xing?: boolean; mpeg2?: boolean } = {}): Buffer {
  const header = opts.mpeg2 ? Buffer.from([0xff, 0xf3, 0x80, 0x44]) : Buffer.from([0xff, 0xfb, 0x90, 0x44]);
  const len = opts.mpeg2 ? 208 : 417;
  const frame = (): Buffer => { const f = Buffer.alloc(len); header.copy(f); return f; };
  const parts: Buffer[] = [];
  if (opts.id3 !== undefined) parts.push(id3(opts.id3));
  if (opts.xing) {
    const f = frame();
    const at = 4 + (opts.mpeg2 ? 17 : 32);
    f.write('Xing', at, 'latin1');
    f.writeUInt32BE(3, at + 4); // frames and bytes fields present
    f.writeUInt32BE(frames, at + 8);
    f.writeUInt32BE((frames + 1) * len, at + 12);
    parts.push(f);
  }
  for (let i = 0; i < frames; i++) parts.push(frame());
  return Buffer.concat(parts);
}

export function flac(sampleRate: number, channels: number, bitsPerSample: number, totalSamples: number): Buffer {
  const si = Buffer.alloc(34);
  si.writeUInt16BE(4096, 0);
  si.writeUInt16BE(4096, 2);
  si[10] = (sampleRate >> 12) & 0xff;
  si[11] = (sampleRate >> 4) & 0xff;
  si[12] = ((sampleRate & 0x0f) << 4) | ((channels - 1) << 1) | (((bitsPerSample - 1) >> 4) & 1);
  si[13] = (((bitsPerSample - 1) & 0x0f) << 4) | Math.floor(totalSamples / 2 ** 32) & 0x0f;
  si.writeUInt32BE(totalSamples % 2 ** 32, 14);
  return Buffer.concat([Buffer.from('fLaC', 'latin1'), Buffer.from([0x80, 0, 0, 34]), si]);
}

// Ogg's CRC: polynomial 0x04c11db7, not reflected, initial 0 (RFC 3533 §6).
const OGG_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  return c >>> 0;
});

function oggPage(serial: number, seq: number, granule: bigint, flags: number, packet: Buffer): Buffer {
  const lacing: number[] = [];
  let left = packet.length;
  while (left >= 255) { lacing.push(255); left -= 255; }
  lacing.push(left);
  const h = Buffer.alloc(27);
  h.write('OggS', 0, 'latin1');
  h[5] = flags;
  h.writeBigInt64LE(granule, 6);
  h.writeUInt32LE(serial, 14);
  h.writeUInt32LE(seq, 18);
  h[26] = lacing.length;
  const page = Buffer.concat([h, Buffer.from(lacing), packet]);
  let crc = 0;
  for (const b of page) crc = ((crc << 8) ^ (OGG_TABLE[((crc >>> 24) ^ b) & 0xff] ?? 0)) >>> 0;
  page.writeUInt32LE(crc, 22);
  return page;
}

function oggStream(serial: number, idPacket: Buffer, lastGranule: bigint): Buffer {
  return Buffer.concat([
    oggPage(serial, 0, 0n, 0x02, idPacket),
    oggPage(serial, 1, lastGranule / 2n, 0x00, Buffer.alloc(300)),
    oggPage(serial, 2, lastGranule, 0x04, Buffer.alloc(100)),
  ]);
}

export function oggVorbis(sampleRate: number, channels: number, totalSamples: number): Buffer {
  const id = Buffer.alloc(30);
  id[0] = 1;
  id.write('vorbis', 1, 'latin1');
  id.writeUInt32LE(0, 7);
  id[11] = channels;
  id.writeUInt32LE(sampleRate, 12);
  id.writeInt32LE(128000, 20);
  id[28] = 0xb8;
  id[29] = 1;
  return oggStream(0x1234, id, BigInt(totalSamples));
}

export function oggOpus(inputRate: number, channels: number, seconds: number, preSkip = 312): Buffer {
  const id = Buffer.alloc(19);
  id.write('OpusHead', 0, 'latin1');
  id[8] = 1;
  id[9] = channels;
  id.writeUInt16LE(preSkip, 10);
  id.writeUInt32LE(inputRate, 12);
  return oggStream(0x4321, id, BigInt(Math.round(seconds * 48000) + preSkip));
}

export function oggTheora(width: number, height: number): Buffer {
  const id = Buffer.alloc(42);
  id[0] = 0x80;
  id.write('theora', 1, 'latin1');
  id[7] = 3; id[8] = 2; id[9] = 1;
  id.writeUInt16BE(Math.ceil(width / 16), 10);
  id.writeUInt16BE(Math.ceil(height / 16), 12);
  id.writeUIntBE(width, 14, 3);
  id.writeUIntBE(height, 17, 3);
  return oggStream(0x777, id, 100n);
}

function box(type: string, ...body: Buffer[]): Buffer {
  const b = Buffer.concat(body);
  return Buffer.concat([u32be(8 + b.length), Buffer.from(type, 'latin1'), b]);
}

function tkhd(width: number, height: number, version: 0 | 1): Buffer {
  const times = version === 1 ? 32 : 20;
  const b = Buffer.alloc(4 + times + 8 + 8 + 36 + 8);
  b[0] = version;
  const at = 4 + times + 8 + 8 + 36;
  b.writeUInt32BE(width * 65536, at);
  b.writeUInt32BE(height * 65536, at + 4);
  return box('tkhd', b);
}

/** ftyp + moov (an audio track with no size first, then the video track) + mdat. */
export function mp4(width: number, height: number, opts: { tkhdVersion?: 0 | 1; moovLast?: boolean } = {}): Buffer {
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12);
  mvhd.writeUInt32BE(2500, 16);
  const moov = box('moov', box('mvhd', mvhd), box('trak', tkhd(0, 0, 0)), box('trak', tkhd(width, height, opts.tkhdVersion ?? 0)));
  const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1'));
  const mdat = box('mdat', Buffer.alloc(512));
  return opts.moovLast ? Buffer.concat([ftyp, mdat, moov]) : Buffer.concat([ftyp, moov, mdat]);
}

function ebmlSize(n: number): Buffer {
  for (let len = 1; len <= 8; len++) {
    if (n < 2 ** (7 * len) - 1) {
      const b = Buffer.alloc(len);
      let v = n;
      for (let i = len - 1; i >= 0; i--) { b[i] = v % 256; v = Math.floor(v / 256); }
      b[0] = (b[0] ?? 0) | (0x80 >> (len - 1));
      return b;
    }
  }
  throw new Error('too large');
}

function el(id: number, body: Buffer): Buffer {
  const idBytes = Buffer.from(id.toString(16).padStart(id > 0xffffff ? 8 : id > 0xffff ? 6 : id > 0xff ? 4 : 2, '0'), 'hex');
  return Buffer.concat([idBytes, ebmlSize(body.length), body]);
}

function uintEl(id: number, v: number): Buffer {
  return el(id, v < 256 ? Buffer.from([v]) : v < 65536 ? u16be(v) : u32be(v));
}

export function webm(width: number, height: number, docType = 'webm'): Buffer {
  const header = el(0x1a45dfa3, Buffer.concat([
    uintEl(0x4286, 1), uintEl(0x42f7, 1), uintEl(0x42f2, 4), uintEl(0x42f3, 8),
    el(0x4282, Buffer.from(docType, 'latin1')), uintEl(0x4287, 4), uintEl(0x4285, 2),
  ]));
  const dur = Buffer.alloc(8);
  dur.writeDoubleBE(2000);
  const info = el(0x1549a966, Buffer.concat([uintEl(0x2ad7b1, 1_000_000), el(0x4489, dur)]));
  const video = el(0xe0, Buffer.concat([uintEl(0xb0, width), uintEl(0xba, height)]));
  const track = el(0xae, Buffer.concat([uintEl(0xd7, 1), uintEl(0x83, 1), el(0x86, Buffer.from('V_VP8', 'latin1')), video]));
  const tracks = el(0x1654ae6b, track);
  const cluster = Buffer.concat([Buffer.from([0x1f, 0x43, 0xb6, 0x75, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), uintEl(0xe7, 0)]);
  const segment = Buffer.concat([Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), info, tracks, cluster]);
  return Buffer.concat([header, segment]);
}
