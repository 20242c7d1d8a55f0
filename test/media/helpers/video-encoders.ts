/**
 * Video containers for test fixtures: MP4 boxes and WebM (EBML), with valid headers and framing and
 * empty payloads, which is what the header parsers read.
 */
import { u16be, u32be } from './bytes.js';

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
      for (let i = len - 1; i >= 0; i--) {
        b[i] = v % 256;
        v = Math.floor(v / 256);
      }
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
  const header = el(
    0x1a45dfa3,
    Buffer.concat([
      uintEl(0x4286, 1),
      uintEl(0x42f7, 1),
      uintEl(0x42f2, 4),
      uintEl(0x42f3, 8),
      el(0x4282, Buffer.from(docType, 'latin1')),
      uintEl(0x4287, 4),
      uintEl(0x4285, 2),
    ]),
  );
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
