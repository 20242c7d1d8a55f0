/**
 * Audio format sniffing with sample rate and duration from headers (WAV, MP3, FLAC, Ogg Vorbis/Opus).
 * Layouts: RIFF/WAVE `fmt `/`data` chunks, FLAC STREAMINFO (RFC 9639 §8.2), Vorbis I identification
 * header (§4.2.2), Opus ID header (RFC 7845 §5.1; granules count 48 kHz samples).
 */
import { type ByteReader, startsWith } from './byte-reader.js';
import { id3v2Size, sniffMp3 } from './mp3.js';
import { oggLastGranule, oggStreamHeads } from './ogg.js';

export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg';

export interface AudioInfo {
  format: AudioFormat;
  sampleRate: number;
  /** Seconds; 0 when the container does not say. */
  duration: number;
  channels?: number;
}

function wav(r: ByteReader): AudioInfo | undefined {
  const h = r.read(0, 12);
  if (!startsWith(h, 'RIFF') || !startsWith(h, 'WAVE', 8)) return undefined;
  let pos = 12;
  let fmt: { channels: number; sampleRate: number; byteRate: number } | undefined;
  while (pos + 8 <= r.size) {
    const c = r.read(pos, 8);
    if (c.length < 8) break;
    const id = c.toString('latin1', 0, 4);
    const size = c.readUInt32LE(4);
    if (id === 'fmt ') {
      const f = r.read(pos + 8, 16);
      if (f.length < 16) return undefined;
      fmt = { channels: f.readUInt16LE(2), sampleRate: f.readUInt32LE(4), byteRate: f.readUInt32LE(8) };
    } else if (id === 'data') {
      if (fmt === undefined || fmt.sampleRate === 0) return undefined;
      // 0xFFFFFFFF (or a size past the end) is written by streaming encoders: use what is there.
      const dataBytes = Math.min(size, r.size - pos - 8);
      const duration = fmt.byteRate > 0 ? dataBytes / fmt.byteRate : 0;
      return { format: 'wav', sampleRate: fmt.sampleRate, duration, channels: fmt.channels };
    }
    pos += 8 + size + (size & 1); // chunks are padded to even sizes
  }
  return undefined;
}

function flac(r: ByteReader): AudioInfo | undefined {
  const at = id3v2Size(r);
  const h = r.read(at, 8 + 34);
  if (h.length < 42 || !startsWith(h, 'fLaC') || ((h[4] ?? 0) & 0x7f) !== 0) return undefined;
  const d = h.subarray(8);
  const sampleRate = ((d[10] ?? 0) << 12) | ((d[11] ?? 0) << 4) | ((d[12] ?? 0) >> 4);
  const channels = (((d[12] ?? 0) >> 1) & 7) + 1;
  const totalSamples = ((d[13] ?? 0) & 0x0f) * 2 ** 32 + d.readUInt32BE(14);
  if (sampleRate === 0) return undefined;
  return { format: 'flac', sampleRate, duration: totalSamples / sampleRate, channels };
}

function ogg(r: ByteReader): AudioInfo | undefined {
  const heads = oggStreamHeads(r);
  if (heads === undefined) return undefined;
  for (const { serial, packet } of heads) {
    if (packet[0] === 0x01 && startsWith(packet, 'vorbis', 1) && packet.length >= 16) {
      const sampleRate = packet.readUInt32LE(12);
      if (sampleRate === 0) return undefined;
      const granule = oggLastGranule(r, serial) ?? 0;
      return { format: 'ogg', sampleRate, duration: granule / sampleRate, channels: packet[11] ?? 0 };
    }
    if (startsWith(packet, 'OpusHead') && packet.length >= 16) {
      const preSkip = packet.readUInt16LE(10);
      const inputRate = packet.readUInt32LE(12);
      const granule = oggLastGranule(r, serial) ?? preSkip;
      return {
        format: 'ogg',
        sampleRate: inputRate > 0 ? inputRate : 48_000,
        duration: Math.max(0, granule - preSkip) / 48_000,
        channels: packet[9] ?? 0,
      };
    }
  }
  return undefined;
}

/** Detects the audio format and reads sample rate and duration; undefined if not recognised. */
export function sniffAudio(r: ByteReader): AudioInfo | undefined {
  try {
    const found = wav(r) ?? flac(r) ?? ogg(r);
    if (found !== undefined) return found;
    const mp3 = sniffMp3(r);
    return mp3 === undefined ? undefined : { format: 'mp3', ...mp3 };
  } catch {
    return undefined;
  }
}
