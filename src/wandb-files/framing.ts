/**
 * The framing of W&B's `.wandb` transaction log (PROTOCOL.md §15): a 7-byte header (`:W&B`, magic
 * 0xBEE1 LE, version 0), then LevelDB-log-style 32 KiB blocks of chunks, each chunk a CRC-32 (IEEE)
 * of its type byte and payload, a u16 length, a type byte (full/first/middle/last) and the payload.
 */
import { chunkCrc, crcAt } from './chunk-crc.js';

export { chunkCrc } from './chunk-crc.js';

export const BLOCK_SIZE = 32768;
export const CHUNK_HEADER = 7;
export const FILE_HEADER = Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]);

const FULL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;

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

/** Reads `n` bytes of the file at `position` into `into[at, at + n)`; answers how many it read (0 at the end). */
export type ReadAt = (into: Buffer, at: number, n: number, position: number) => number;

/** The bytes a FrameReader over a file (not a buffer) keeps in memory: whole chunks fit, and a read is a few hundred µs. */
const WINDOW = 1 << 20;

/**
 * Reads the records of a `.wandb` file one at a time. It stops at the first damage (bad header, bad
 * CRC, a chunk running past its block or the file, chunks out of sequence) and says where in
 * `stopped`: what came before is whole and usable, nothing after it is trusted. It reads a buffer
 * holding the file, or (`FrameReader.over`) the file itself through a window it refills: a large
 * file then never sits in memory whole (fresh memory costs its page faults, as much as parsing it).
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
  /** The file's bytes [base, base + held) are buf[0, held). */
  private base = 0;
  private held: number;
  /** Called before the window's bytes are overwritten (a span returned earlier then changes). */
  onRefill: (() => void) | undefined;

  /**
   * `buf` holds the file's bytes; with `read`, it is the window and `size` the file's size (the
   * window's bytes are read by the reader: its content is ignored).
   */
  constructor(
    private buf: Buffer,
    private readonly read?: ReadAt,
    private readonly size = buf.length,
  ) {
    this.held = read === undefined ? buf.length : 0;
    if (read !== undefined) this.fill(0, Math.min(size, FILE_HEADER.length));
    if (size === 0) this.stopped = { offset: 0, reason: 'empty file' };
    else if (this.held < FILE_HEADER.length || !hasWandbHeader(this.buf)) this.stopped = { offset: 0, reason: 'not a W&B transaction log (bad header)' };
  }

  /** A reader of a file of `size` bytes read through `read` (a window of a megabyte, refilled as it goes). */
  static over(read: ReadAt, size: number): FrameReader {
    return new FrameReader(Buffer.allocUnsafe(Math.min(WINDOW, Math.max(size, FILE_HEADER.length))), read, size);
  }

  /** The next whole record's payload (a view of the file's bytes when it is one chunk), or undefined at the end or the damage. */
  next(): Buffer | undefined {
    const b = this.nextSpan();
    return b === this.buf ? b.subarray(this.from, this.to) : b;
  }

  /** Makes the file's bytes [from, to) (to <= size, to - from <= a block and a header) readable at buf[from - base, to - base). */
  private fill(from: number, to: number): void {
    const read = this.read as ReadAt;
    if (to - this.base <= this.held) return;
    this.onRefill?.();
    const buf = this.buf;
    buf.copy(buf, 0, from - this.base, this.held);
    this.held -= from - this.base;
    this.base = from;
    while (this.base + this.held < to) {
      const n = read(buf, this.held, Math.min(buf.length - this.held, this.size - this.base - this.held), this.base + this.held);
      if (n <= 0) throw new RangeError(`the file ended at ${this.base + this.held} bytes while it was read (it was ${this.size})`);
      this.held += n;
    }
  }

  /**
   * The next whole record without a view made for it: the buffer holding its payload at [from, to)
   * (the file's bytes when it is one chunk, else its chunks joined), or undefined at the end or the damage.
   */
  nextSpan(): Buffer | undefined {
    if (this.stopped !== undefined) return undefined;
    const size = this.size;
    const windowed = this.read !== undefined;
    let off = this.off;
    let parts: Buffer[] | undefined;
    let recordStart = off;
    while (off < size) {
      const room = BLOCK_SIZE - (off % BLOCK_SIZE);
      if (room < CHUNK_HEADER) {
        off += room;
        continue;
      }
      if (windowed) this.fill(off, Math.min(size, off + room));
      const buf = this.buf;
      const base = this.base;
      if (off + CHUNK_HEADER > size) {
        // A few zero bytes at the end are padding; anything else is a cut-off chunk header.
        if (parts === undefined && buf.subarray(off - base, size - base).every((b) => b === 0)) break;
        return this.stop(parts === undefined ? off : recordStart, 'truncated chunk header');
      }
      // The header read byte by byte (Buffer's readers check their arguments on every call).
      const h = off - base;
      const crc = ((buf[h] as number) | ((buf[h + 1] as number) << 8) | ((buf[h + 2] as number) << 16)) + (buf[h + 3] as number) * 0x1000000;
      const len = (buf[h + 4] as number) | ((buf[h + 5] as number) << 8);
      const type = buf[h + 6] as number;
      if (type === 0 && len === 0 && crc === 0) {
        // Zero padding to the end of the block (a writer's unused tail).
        if (parts !== undefined) return this.stop(recordStart, 'record interrupted by padding');
        off += room;
        continue;
      }
      if (CHUNK_HEADER + len > room) return this.stop(parts === undefined ? off : recordStart, `chunk length ${len} passes the block end`);
      if (off + CHUNK_HEADER + len > size) return this.stop(parts === undefined ? off : recordStart, 'truncated chunk (file ends inside it)');
      if (type < FULL || type > LAST) return this.stop(parts === undefined ? off : recordStart, `unknown chunk type ${type}`);
      if (crcAt(type, buf, h + CHUNK_HEADER, h + CHUNK_HEADER + len) !== crc) return this.stop(parts === undefined ? off : recordStart, 'checksum mismatch');
      const at = off;
      off += CHUNK_HEADER + len;
      if (type === FULL || type === FIRST) {
        if (parts !== undefined) return this.stop(recordStart, 'record interrupted by a new record');
        recordStart = at;
        if (type === FIRST) {
          parts = [chunkOf(buf, h + CHUNK_HEADER, off - base, windowed)];
          continue;
        }
        return this.found(recordStart, off, buf, h + CHUNK_HEADER, off - base);
      }
      if (parts === undefined) return this.stop(at, 'continuation chunk without a first chunk');
      parts.push(chunkOf(buf, h + CHUNK_HEADER, off - base, windowed));
      if (type === LAST) {
        const joined = Buffer.concat(parts);
        return this.found(recordStart, off, joined, 0, joined.length);
      }
    }
    if (parts !== undefined) return this.stop(recordStart, 'truncated record (file ends before its last chunk)');
    this.off = size;
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

/** A record's chunk b[s, e), kept until its last: copied when the window may move under it. */
function chunkOf(b: Buffer, s: number, e: number, copy: boolean): Buffer {
  return copy ? Buffer.from(b.subarray(s, e)) : b.subarray(s, e);
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
