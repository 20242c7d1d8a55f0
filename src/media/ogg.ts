/**
 * Ogg page walking (RFC 3533): the first packet of each logical stream (codec identification),
 * which tells an Ogg Theora video from Ogg audio.
 */
import { type ByteReader, startsWith } from './byte-reader.js';

export interface OggStreamHead {
  serial: number;
  /** First bytes of the stream's first packet (the codec identification header). */
  packet: Buffer;
}

const PAGE_HEADER = 27;

/** The beginning-of-stream pages at the start of the file, one per logical stream. */
export function oggStreamHeads(r: ByteReader): OggStreamHead[] | undefined {
  const heads: OggStreamHead[] = [];
  let pos = 0;
  for (;;) {
    const h = r.read(pos, PAGE_HEADER);
    if (h.length < PAGE_HEADER || !startsWith(h, 'OggS')) break;
    const isBos = ((h[5] ?? 0) & 0x02) !== 0;
    if (!isBos) break;
    const nsegs = h[26] ?? 0;
    const table = r.read(pos + PAGE_HEADER, nsegs);
    let firstPacket = 0;
    for (const lace of table) {
      firstPacket += lace;
      if (lace < 255) break;
    }
    let bodyLen = 0;
    for (const lace of table) bodyLen += lace;
    const body = pos + PAGE_HEADER + nsegs;
    heads.push({ serial: h.readUInt32LE(14), packet: Buffer.from(r.read(body, Math.min(firstPacket, 64))) });
    pos = body + bodyLen;
  }
  return heads.length > 0 ? heads : undefined;
}
