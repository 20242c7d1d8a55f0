/**
 * Image encoders for test fixtures, written from the format specifications: PNG, BMP, GIF and baseline
 * JPEG. Each decodes in ordinary viewers.
 */
import { deflateSync } from 'node:zlib';
import { u16be, u16le, u32be, u32le } from './bytes.js';

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
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
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
  const put = (code: number): void => {
    for (let i = 0; i < 3; i++) bits.push((code >> i) & 1);
  };
  for (let i = 0; i < count; i++) {
    put(4);
    put(0);
  }
  put(5);
  const bytes = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((bit, i) => {
    if (bit) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (i & 7));
  });
  const blocks: Buffer[] = [Buffer.from([2])];
  for (let i = 0; i < bytes.length; i += 255) {
    const part = bytes.subarray(i, i + 255);
    blocks.push(Buffer.from([part.length]), part);
  }
  blocks.push(Buffer.from([0]));
  return Buffer.concat(blocks);
}

export function gif(width: number, height: number, frames = 1): Buffer {
  const parts: Buffer[] = [Buffer.from('GIF89a', 'latin1'), u16le(width), u16le(height), Buffer.from([0x80, 0, 0]), Buffer.from([0, 0, 0, 255, 255, 255])];
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
