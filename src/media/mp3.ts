/**
 * MPEG audio (MP3) duration: frame headers per ISO/IEC 11172-3 §2.4.2.3, the Xing/Info and VBRI
 * frame counts written by encoders, else a scan of every frame header (never the audio data).
 */
import { type ByteReader, startsWith } from './byte-reader.js';

interface FrameHeader {
  sampleRate: number;
  samplesPerFrame: number;
  frameLength: number;
  mpeg1: boolean;
  mono: boolean;
}

// kbit/s by [row][index]; rows: V1 L1, V1 L2, V1 L3, V2 L1, V2 L2+L3.
const BITRATES: readonly (readonly number[])[] = [
  [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];
const SAMPLE_RATES: Readonly<Record<number, readonly number[]>> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

function parseHeader(b: Buffer): FrameHeader | undefined {
  if (b.length < 4 || b[0] !== 0xff || ((b[1] ?? 0) & 0xe0) !== 0xe0) return undefined;
  const b1 = b[1] ?? 0;
  const b2 = b[2] ?? 0;
  const version = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const rates = SAMPLE_RATES[version];
  if (rates === undefined || layerBits === 0) return undefined;
  const layer = 4 - layerBits; // 1, 2 or 3
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  const sampleRate = rates[rateIndex];
  if (bitrateIndex === 0 || bitrateIndex === 15 || sampleRate === undefined) return undefined; // free format unsupported
  const mpeg1 = version === 3;
  const row = mpeg1 ? layer - 1 : layer === 1 ? 3 : 4;
  const kbps = BITRATES[row]?.[bitrateIndex] ?? 0;
  const padding = (b2 >> 1) & 1;
  const bitrate = kbps * 1000;
  let samplesPerFrame: number;
  let frameLength: number;
  if (layer === 1) {
    samplesPerFrame = 384;
    frameLength = (Math.floor((12 * bitrate) / sampleRate) + padding) * 4;
  } else if (layer === 2 || mpeg1) {
    samplesPerFrame = 1152;
    frameLength = Math.floor((144 * bitrate) / sampleRate) + padding;
  } else {
    samplesPerFrame = 576;
    frameLength = Math.floor((72 * bitrate) / sampleRate) + padding;
  }
  const mono = ((b[3] ?? 0) >> 6) === 3;
  return { sampleRate, samplesPerFrame, frameLength, mpeg1, mono };
}

/** Size of an ID3v2 tag at `at` (0 if none); its size field is a 28-bit synchsafe integer. */
export function id3v2Size(r: ByteReader, at = 0): number {
  const h = r.read(at, 10);
  if (h.length < 10 || !startsWith(h, 'ID3')) return 0;
  const size = (((h[6] ?? 0) & 0x7f) << 21) | (((h[7] ?? 0) & 0x7f) << 14) | (((h[8] ?? 0) & 0x7f) << 7) | ((h[9] ?? 0) & 0x7f);
  const footer = ((h[5] ?? 0) & 0x10) !== 0 ? 10 : 0;
  return 10 + size + footer;
}

/** Frame count from a Xing/Info or VBRI header inside the first frame, if the encoder wrote one. */
function encoderFrameCount(r: ByteReader, at: number, h: FrameHeader): number | undefined {
  const sideInfo = h.mpeg1 ? (h.mono ? 17 : 32) : h.mono ? 9 : 17;
  const x = r.read(at + 4 + sideInfo, 12);
  if (startsWith(x, 'Xing') || startsWith(x, 'Info')) {
    const flags = x.length >= 8 ? x.readUInt32BE(4) : 0;
    if ((flags & 1) !== 0 && x.length >= 12) return x.readUInt32BE(8);
  }
  const v = r.read(at + 4 + 32, 18);
  if (startsWith(v, 'VBRI') && v.length >= 18) return v.readUInt32BE(14);
  return undefined;
}

export interface Mp3Info {
  sampleRate: number;
  duration: number;
}

/** MP3 sample rate and duration in seconds; undefined if no two consecutive frame headers are found. */
export function sniffMp3(r: ByteReader): Mp3Info | undefined {
  const start = id3v2Size(r);
  // Find the first frame: a header whose successor is also a header (guards against false syncs).
  const searchEnd = Math.min(r.size, start + 64 * 1024);
  let first = -1;
  let header: FrameHeader | undefined;
  for (let pos = start; pos + 4 <= searchEnd; pos++) {
    const h = parseHeader(r.read(pos, 4));
    if (h === undefined) continue;
    const next = pos + h.frameLength;
    if (next + 4 <= r.size && parseHeader(r.read(next, 4)) === undefined) continue;
    if (next > r.size) continue;
    first = pos;
    header = h;
    break;
  }
  if (header === undefined) return undefined;
  const counted = encoderFrameCount(r, first, header);
  let frames = 0;
  if (counted !== undefined) {
    frames = counted;
  } else {
    for (let pos = first; pos + 4 <= r.size; ) {
      const h = parseHeader(r.read(pos, 4));
      if (h === undefined || pos + h.frameLength > r.size) break;
      frames += 1;
      pos += h.frameLength;
    }
  }
  return { sampleRate: header.sampleRate, duration: (frames * header.samplesPerFrame) / header.sampleRate };
}
