/**
 * The framing of W&B's `.wandb` transaction log (PROTOCOL.md §15): a 7-byte header (`:W&B`, magic
 * 0xBEE1 LE, version 0), then LevelDB-log-style 32 KiB blocks of chunks, each chunk a CRC-32 (IEEE)
 * of its type byte and payload, a u16 length, a type byte (full/first/middle/last) and the payload.
 */
import { crc32 } from 'node:zlib';

export const BLOCK_SIZE = 32768;
export const CHUNK_HEADER = 7;
export const FILE_HEADER = Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]);

const FULL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;

/** The CRC of a chunk: CRC-32 over its type byte, then its payload. */
export function chunkCrc(type: number, payload: Uint8Array): number {
  return crcAt(type, payload, 0, payload.length);
}

/** chunkCrc of the payload b[s, e). */
function crcAt(type: number, b: Uint8Array, s: number, e: number): number {
  const seed = TYPE_SEEDS[type] ?? crc32(Buffer.from([type]));
  return e - s < NATIVE_FROM ? crcSmall(b, s, e, seed) : crc32(b.subarray(s, e), seed);
}
// The CRC of each type byte alone, continued over the payload (one native call per chunk).
const TYPE_SEEDS = [0, 1, 2, 3, 4].map((t) => crc32(Buffer.from([t])));

// zlib's crc32 costs about 200 ns a call before its first byte: the small chunks a `.wandb` file is
// mostly made of (a summary record of two keys is 60 bytes) are summed here, eight bytes a step.
const NATIVE_FROM = 384;
const CRC_TABLES = ((): Int32Array => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n] as number;
    for (let k = 1; k < 8; k++) {
      c = (t[c & 0xff] as number) ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();

/** zlib's crc32(b.subarray(s, e), seed), slicing by 8 (table k: a byte followed by k zero bytes). */
function crcSmall(b: Uint8Array, s: number, e: number, seed: number): number {
  const t = CRC_TABLES;
  let c = ~seed;
  let i = s;
  for (; i + 8 <= e; i += 8) {
    const a = c ^ ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24));
    c =
      (t[1792 + (a & 0xff)] as number) ^
      (t[1536 + ((a >>> 8) & 0xff)] as number) ^
      (t[1280 + ((a >>> 16) & 0xff)] as number) ^
      (t[1024 + (a >>> 24)] as number) ^
      (t[768 + (b[i + 4] as number)] as number) ^
      (t[512 + (b[i + 5] as number)] as number) ^
      (t[256 + (b[i + 6] as number)] as number) ^
      (t[b[i + 7] as number] as number);
  }
  for (; i < e; i++) c = (t[(c ^ (b[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * Builds a `.wandb` file in memory, one record payload at a time. Output goes out in pieces of
 * whole blocks (`drain`), so a large export never holds the file twice.
 */
export class FrameWriter {
  private buf: Buffer;
  private pos: number;
  /** File offset of buf[0]: always a multiple of BLOCK_SIZE. */
  private base = 0;

  constructor(blocksPerPiece = 32) {
    this.buf = Buffer.alloc(BLOCK_SIZE * blocksPerPiece);
    FILE_HEADER.copy(this.buf, 0);
    this.pos = FILE_HEADER.length;
  }

  /** Appends one record, split over blocks as the format says. */
  append(payload: Uint8Array): void {
    let left = payload.length;
    let from = 0;
    let first = true;
    for (;;) {
      let room = BLOCK_SIZE - (this.pos % BLOCK_SIZE);
      if (room < CHUNK_HEADER) {
        // A tail too short for a chunk header stays zero.
        this.ensure(room);
        this.buf.fill(0, this.pos, this.pos + room);
        this.pos += room;
        room = BLOCK_SIZE;
      }
      const take = Math.min(left, room - CHUNK_HEADER);
      const end = take === left;
      const type = first ? (end ? FULL : FIRST) : end ? LAST : MIDDLE;
      const part = payload.subarray(from, from + take);
      this.ensure(CHUNK_HEADER + take);
      this.buf.writeUInt32LE(chunkCrc(type, part), this.pos);
      this.buf.writeUInt16LE(take, this.pos + 4);
      this.buf[this.pos + 6] = type;
      this.buf.set(part, this.pos + CHUNK_HEADER);
      this.pos += CHUNK_HEADER + take;
      from += take;
      left -= take;
      first = false;
      if (end) return;
    }
  }

  /** Bytes held in memory, not yet drained. */
  get buffered(): number {
    return this.pos;
  }

  /** Whole bytes written so far that can leave memory (whole blocks), removed from the buffer. */
  drain(): Buffer | undefined {
    const whole = this.pos - (this.pos % BLOCK_SIZE);
    if (whole === 0) return undefined;
    const out = Buffer.from(this.buf.subarray(0, whole));
    this.buf.copy(this.buf, 0, whole, this.pos);
    this.pos -= whole;
    this.base += whole;
    return out;
  }

  /** The rest of the file (the last block is not padded, as W&B's writer leaves it). */
  finish(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.base += this.pos;
    this.pos = 0;
    return out;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/** Where and why reading stopped before the end of the file. */
export interface FrameStop {
  offset: number;
  reason: string;
}

export interface FrameRead {
  /** The payloads of the whole records, in order. */
  records: Buffer[];
  /** File offset just past each record's last chunk (where a reader stopping after it would be). */
  ends: number[];
  stopped?: FrameStop;
}

/** True when `buf` starts like a `.wandb` file (for telling it from other files). */
export function hasWandbHeader(buf: Uint8Array): boolean {
  return buf.length >= FILE_HEADER.length && FILE_HEADER.equals(buf.subarray(0, FILE_HEADER.length));
}

/**
 * Reads the records of a `.wandb` file one at a time. It stops at the first damage (bad header, bad
 * CRC, a chunk running past its block or the file, chunks out of sequence) and says where in
 * `stopped`: what came before is whole and usable, nothing after it is trusted.
 */
export class FrameReader {
  /** File offset of the last record's first chunk, and just past its last chunk. */
  start = FILE_HEADER.length;
  end = FILE_HEADER.length;
  stopped: FrameStop | undefined;
  /** Where the last record's payload lies in the buffer `nextSpan` returned. */
  from = 0;
  to = 0;
  private off = FILE_HEADER.length;

  constructor(private readonly buf: Buffer) {
    if (buf.length === 0) this.stopped = { offset: 0, reason: 'empty file' };
    else if (!hasWandbHeader(buf)) this.stopped = { offset: 0, reason: 'not a W&B transaction log (bad header)' };
  }

  /** The next whole record's payload (a view of the file's bytes when it is one chunk), or undefined at the end or the damage. */
  next(): Buffer | undefined {
    const b = this.nextSpan();
    return b === this.buf ? b.subarray(this.from, this.to) : b;
  }

  /**
   * The next whole record without a view made for it: the buffer holding its payload at [from, to)
   * (the file's bytes when it is one chunk, else its chunks joined), or undefined at the end or the damage.
   */
  nextSpan(): Buffer | undefined {
    if (this.stopped !== undefined) return undefined;
    const buf = this.buf;
    let off = this.off;
    let parts: Buffer[] | undefined;
    let recordStart = off;
    while (off < buf.length) {
      const room = BLOCK_SIZE - (off % BLOCK_SIZE);
      if (room < CHUNK_HEADER) {
        off += room;
        continue;
      }
      if (off + CHUNK_HEADER > buf.length) {
        // A few zero bytes at the end are padding; anything else is a cut-off chunk header.
        if (parts === undefined && buf.subarray(off).every((b) => b === 0)) break;
        return this.stop(parts === undefined ? off : recordStart, 'truncated chunk header');
      }
      // The header read byte by byte (Buffer's readers check their arguments on every call).
      const crc = ((buf[off] as number) | ((buf[off + 1] as number) << 8) | ((buf[off + 2] as number) << 16)) + (buf[off + 3] as number) * 0x1000000;
      const len = (buf[off + 4] as number) | ((buf[off + 5] as number) << 8);
      const type = buf[off + 6] as number;
      if (type === 0 && len === 0 && crc === 0) {
        // Zero padding to the end of the block (a writer's unused tail).
        if (parts !== undefined) return this.stop(recordStart, 'record interrupted by padding');
        off += room;
        continue;
      }
      if (CHUNK_HEADER + len > room) return this.stop(parts === undefined ? off : recordStart, `chunk length ${len} passes the block end`);
      if (off + CHUNK_HEADER + len > buf.length) return this.stop(parts === undefined ? off : recordStart, 'truncated chunk (file ends inside it)');
      if (type < FULL || type > LAST) return this.stop(parts === undefined ? off : recordStart, `unknown chunk type ${type}`);
      if (crcAt(type, buf, off + CHUNK_HEADER, off + CHUNK_HEADER + len) !== crc)
        return this.stop(parts === undefined ? off : recordStart, 'checksum mismatch');
      const at = off;
      off += CHUNK_HEADER + len;
      if (type === FULL || type === FIRST) {
        if (parts !== undefined) return this.stop(recordStart, 'record interrupted by a new record');
        recordStart = at;
        if (type === FIRST) {
          parts = [buf.subarray(at + CHUNK_HEADER, off)];
          continue;
        }
        return this.found(recordStart, off, buf, at + CHUNK_HEADER, off);
      }
      if (parts === undefined) return this.stop(at, 'continuation chunk without a first chunk');
      parts.push(buf.subarray(at + CHUNK_HEADER, off));
      if (type === LAST) {
        const joined = Buffer.concat(parts);
        return this.found(recordStart, off, joined, 0, joined.length);
      }
    }
    if (parts !== undefined) return this.stop(recordStart, 'truncated record (file ends before its last chunk)');
    this.off = buf.length;
    return undefined;
  }

  private stop(offset: number, reason: string): undefined {
    this.stopped = { offset, reason };
    return undefined;
  }

  private found(start: number, end: number, holder: Buffer, from: number, to: number): Buffer {
    this.start = start;
    this.end = end;
    this.off = end;
    this.from = from;
    this.to = to;
    return holder;
  }
}

/** Every whole record of a `.wandb` file, with where reading stopped (see FrameReader). */
export function readFrames(buf: Buffer): FrameRead {
  const reader = new FrameReader(buf);
  const records: Buffer[] = [];
  const ends: number[] = [];
  for (let r = reader.next(); r !== undefined; r = reader.next()) {
    records.push(r);
    ends.push(reader.end);
  }
  return reader.stopped ? { records, ends, stopped: reader.stopped } : { records, ends };
}
