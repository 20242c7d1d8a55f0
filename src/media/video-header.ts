/**
 * Video container sniffing with width/height when the container says (GIF, MP4, WebM, Ogg Theora).
 * Layouts: ISO/IEC 14496-12 boxes (`moov/trak/tkhd` width/height in 16.16 fixed point), Matroska
 * EBML elements (RFC 9559: Segment/Tracks/TrackEntry/Video/PixelWidth), Theora identification
 * header (Theora spec §6.2: PICW/PICH), GIF logical screen descriptor (GIF89a §18).
 */
import { type ByteReader, startsWith } from './byte-reader.js';
import { oggStreamHeads } from './ogg.js';

export type VideoFormat = 'gif' | 'mp4' | 'webm' | 'ogg';

export interface VideoInfo {
  format: VideoFormat;
  width?: number;
  height?: number;
}

interface Box {
  type: string;
  start: number;
  end: number;
  body: number;
}

/** An animated GIF is a W&B video too; its size is the logical screen's. */
function gif(r: ByteReader): VideoInfo | undefined {
  const h = r.read(0, 10);
  if (h.length < 10 || !(startsWith(h, 'GIF87a') || startsWith(h, 'GIF89a'))) return undefined;
  return { format: 'gif', width: h.readUInt16LE(6), height: h.readUInt16LE(8) };
}

function boxes(r: ByteReader, from: number, to: number): Box[] {
  const out: Box[] = [];
  let pos = from;
  while (pos + 8 <= to) {
    const h = r.read(pos, 16);
    if (h.length < 8) break;
    let size = h.readUInt32BE(0);
    let body = pos + 8;
    if (size === 1) {
      if (h.length < 16) break;
      size = Number(h.readBigUInt64BE(8));
      body = pos + 16;
    } else if (size === 0) {
      size = to - pos; // extends to the end of the enclosing box or file
    }
    if (size < body - pos || pos + size > to) break;
    out.push({ type: h.toString('latin1', 4, 8), start: pos, end: pos + size, body });
    pos += size;
  }
  return out;
}

function mp4(r: ByteReader): VideoInfo | undefined {
  const top = boxes(r, 0, r.size);
  if (top[0]?.type !== 'ftyp') return undefined;
  const moov = top.find((b) => b.type === 'moov');
  if (moov === undefined) return { format: 'mp4' };
  for (const trak of boxes(r, moov.body, moov.end).filter((b) => b.type === 'trak')) {
    const tkhd = boxes(r, trak.body, trak.end).find((b) => b.type === 'tkhd');
    if (tkhd === undefined) continue;
    const version = r.read(tkhd.body, 1)[0];
    const at = tkhd.body + (version === 1 ? 88 : 76);
    const wh = r.read(at, 8);
    if (wh.length < 8) continue;
    const width = Math.round(wh.readUInt32BE(0) / 65536);
    const height = Math.round(wh.readUInt32BE(4) / 65536);
    if (width > 0 && height > 0) return { format: 'mp4', width, height };
  }
  return { format: 'mp4' };
}

interface Vint {
  value: number;
  length: number;
  unknown: boolean;
}

/** An EBML variable-length integer; IDs keep their marker bit, sizes drop it. */
function vint(r: ByteReader, at: number, keepMarker: boolean): Vint | undefined {
  const b = r.read(at, 8);
  const first = b[0];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (length > 8 || b.length < length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = b[i] ?? 0;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const VIDEO = 0xe0;
const PIXEL_WIDTH = 0xb0;
const PIXEL_HEIGHT = 0xba;
const DOC_TYPE = 0x4282;
const CONTAINERS = new Set([SEGMENT, TRACKS, TRACK_ENTRY, VIDEO]);
const EBML_SCAN_LIMIT = 16 * 1024 * 1024; // Tracks sit before the clusters; stop early otherwise.

function uintAt(r: ByteReader, at: number, size: number): number {
  const b = r.read(at, Math.min(size, 6));
  let v = 0;
  for (const byte of b) v = v * 256 + byte;
  return v;
}

function webm(r: ByteReader): VideoInfo | undefined {
  const id = vint(r, 0, true);
  if (id?.value !== EBML) return undefined;
  const headSize = vint(r, id.length, false);
  if (headSize === undefined) return undefined;
  const headEnd = id.length + headSize.length + headSize.value;
  let docType = '';
  for (let pos = id.length + headSize.length; pos < headEnd;) {
    const cid = vint(r, pos, true);
    const csz = cid && vint(r, pos + cid.length, false);
    if (cid === undefined || csz === undefined) return undefined;
    const body = pos + cid.length + csz.length;
    if (cid.value === DOC_TYPE) docType = r.read(body, csz.value).toString('latin1').replace(/\0+$/, '');
    pos = body + csz.value;
  }
  if (docType !== 'webm') return undefined;
  const info: VideoInfo = { format: 'webm' };
  const limit = Math.min(r.size, EBML_SCAN_LIMIT);
  let pos = headEnd;
  while (pos < limit) {
    const eid = vint(r, pos, true);
    const esz = eid && vint(r, pos + eid.length, false);
    if (eid === undefined || esz === undefined) break;
    const body = pos + eid.length + esz.length;
    if (CONTAINERS.has(eid.value)) {
      pos = body;
      continue;
    } // descend
    if (eid.value === PIXEL_WIDTH) info.width = uintAt(r, body, esz.value);
    if (eid.value === PIXEL_HEIGHT) info.height = uintAt(r, body, esz.value);
    if (info.width !== undefined && info.height !== undefined) break;
    if (esz.unknown) break; // an unknown-sized element we do not descend into (a live cluster)
    pos = body + esz.value;
  }
  return info;
}

function oggTheora(r: ByteReader): VideoInfo | undefined {
  const heads = oggStreamHeads(r);
  if (heads === undefined) return undefined;
  for (const { packet } of heads) {
    if (packet[0] === 0x80 && startsWith(packet, 'theora', 1) && packet.length >= 20) {
      const width = packet.readUIntBE(14, 3);
      const height = packet.readUIntBE(17, 3);
      return { format: 'ogg', width, height };
    }
  }
  return { format: 'ogg' }; // an Ogg file without Theora: W&B accepts it as video, size unknown
}

/** Detects the video container and its frame size when stated; undefined if not recognised. */
export function sniffVideo(r: ByteReader): VideoInfo | undefined {
  try {
    return gif(r) ?? mp4(r) ?? webm(r) ?? oggTheora(r);
  } catch {
    return undefined;
  }
}
