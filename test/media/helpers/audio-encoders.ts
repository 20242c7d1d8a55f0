/**
 * Audio encoders for test fixtures: WAV (decodes in ordinary players), MP3 frames and FLAC STREAMINFO
 * (valid headers and framing with silent payloads, which is what the header parsers read).
 */
import { u16le, u32le } from './bytes.js';

export function wav(sampleRate: number, channels: number, bitsPerSample: number, frames: number): Buffer {
  const blockAlign = (channels * bitsPerSample) / 8;
  const fmt = Buffer.concat([u16le(1), u16le(channels), u32le(sampleRate), u32le(sampleRate * blockAlign), u16le(blockAlign), u16le(bitsPerSample)]);
  const data = Buffer.alloc(frames * blockAlign);
  for (let i = 0; i < frames; i++) {
    if (bitsPerSample === 16) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), i * blockAlign);
  }
  const junk = Buffer.from('abc', 'latin1'); // odd-sized chunk: tests the pad byte
  const chunks = Buffer.concat([
    Buffer.from('fmt ', 'latin1'),
    u32le(fmt.length),
    fmt,
    Buffer.from('JUNK', 'latin1'),
    u32le(junk.length),
    junk,
    Buffer.from([0]),
    Buffer.from('data', 'latin1'),
    u32le(data.length),
    data,
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
  const frame = (): Buffer => {
    const f = Buffer.alloc(len);
    header.copy(f);
    return f;
  };
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
  si[13] = (((bitsPerSample - 1) & 0x0f) << 4) | (Math.floor(totalSamples / 2 ** 32) & 0x0f);
  si.writeUInt32BE(totalSamples % 2 ** 32, 14);
  return Buffer.concat([Buffer.from('fLaC', 'latin1'), Buffer.from([0x80, 0, 0, 34]), si]);
}
