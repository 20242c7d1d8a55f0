/**
 * Image format sniffing and dimensions from file headers (PNG, JPEG, GIF, BMP), no decoding.
 * Layouts: PNG IHDR (RFC 2083 §4.1.1), JPEG SOFn markers (ITU T.81 §B.2.2), GIF logical screen
 * descriptor (GIF89a §18), BMP BITMAPINFOHEADER / BITMAPCOREHEADER.
 */
import { type ByteReader, startsWith } from './byte-reader.js';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function png(r: ByteReader): ImageInfo | undefined {
  const h = r.read(0, 24);
  if (h.length < 24 || !h.subarray(0, 8).equals(PNG_SIGNATURE) || !startsWith(h, 'IHDR', 12)) return undefined;
  return { format: 'png', width: h.readUInt32BE(16), height: h.readUInt32BE(20) };
}

/** GIF's logical screen size; shared with the video parser (an animated GIF is a W&B video too). */
export function gif(r: ByteReader): ImageInfo | undefined {
  const h = r.read(0, 10);
  if (h.length < 10 || !(startsWith(h, 'GIF87a') || startsWith(h, 'GIF89a'))) return undefined;
  return { format: 'gif', width: h.readUInt16LE(6), height: h.readUInt16LE(8) };
}

function bmp(r: ByteReader): ImageInfo | undefined {
  const h = r.read(0, 26);
  if (h.length < 26 || !startsWith(h, 'BM')) return undefined;
  const dibSize = h.readUInt32LE(14);
  if (dibSize === 12) return { format: 'bmp', width: h.readUInt16LE(18), height: h.readUInt16LE(20) };
  if (dibSize < 40) return undefined;
  // A negative height marks a top-down bitmap; the size is its absolute value.
  return { format: 'bmp', width: Math.abs(h.readInt32LE(18)), height: Math.abs(h.readInt32LE(22)) };
}

function isStartOfFrame(marker: number): boolean {
  // C0..CF are SOF markers except C4 (DHT), C8 (JPG extension) and CC (DAC).
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpeg(r: ByteReader): ImageInfo | undefined {
  const soi = r.read(0, 2);
  if (soi.length < 2 || soi[0] !== 0xff || soi[1] !== 0xd8) return undefined;
  let pos = 2;
  while (pos + 4 <= r.size) {
    const b = r.read(pos, 2);
    if (b[0] !== 0xff) return undefined;
    const marker = b[1] ?? 0;
    if (marker === 0xff) { pos += 1; continue; } // fill byte
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { pos += 2; continue; } // no length
    if (marker === 0xd9 || marker === 0xda) return undefined; // EOI or scan data before any SOF
    const seg = r.read(pos + 2, 7);
    if (seg.length < 2) return undefined;
    const len = seg.readUInt16BE(0);
    if (len < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (seg.length < 7) return undefined;
      const height = seg.readUInt16BE(3);
      const width = seg.readUInt16BE(5);
      // Height 0 means "defined later by a DNL marker"; rare enough to refuse.
      if (width === 0 || height === 0) return undefined;
      return { format: 'jpeg', width, height };
    }
    pos += 2 + len;
  }
  return undefined;
}

/** Detects the image format from its bytes and reads its dimensions; undefined if not recognised. */
export function sniffImage(r: ByteReader): ImageInfo | undefined {
  try {
    return png(r) ?? jpeg(r) ?? gif(r) ?? bmp(r);
  } catch {
    return undefined; // truncated header: a Buffer read out of range
  }
}
