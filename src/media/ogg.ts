/**
 * Ogg page walking (RFC 3533): the first packets of each logical stream (codec identification)
 * and the last granule position of a stream, which gives the duration.
 */
import { type ByteReader, startsWith } from './byte-reader.js';

export interface OggStreamHead {
  serial: number;
  /** First bytes of the stream's first packet (the codec identification header). */
  packet: Buffer;
}

const PAGE_HEADER = 27;
const MAX_PAGE = 65_307;

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
    for (const lace of table) { firstPacket += lace; if (lace < 255) break; }
    let bodyLen = 0;
    for (const lace of table) bodyLen += lace;
    const body = pos + PAGE_HEADER + nsegs;
    heads.push({ serial: h.readUInt32LE(14), packet: Buffer.from(r.read(body, Math.min(firstPacket, 64))) });
    pos = body + bodyLen;
  }
  return heads.length > 0 ? heads : undefined;
}

/** The largest non-negative granule position of `serial` among the pages in the file's tail. */
export function oggLastGranule(r: ByteReader, serial: number): number | undefined {
  const start = Math.max(0, r.size - MAX_PAGE * 2);
  const tail = Buffer.from(r.read(start, r.size - start));
  let best: number | undefined;
  for (let i = tail.indexOf('OggS'); i >= 0 && i + PAGE_HEADER <= tail.length; i = tail.indexOf('OggS', i + 4)) {
    if (tail.readUInt32LE(i + 14) !== serial) continue;
    const granule = tail.readBigInt64LE(i + 6);
    if (granule >= 0n) best = Number(granule);
  }
  return best;
}
