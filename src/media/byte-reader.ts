/**
 * Random access to the first bytes of a media file or buffer, for the header parsers.
 * Parsers read a few small ranges; the file reader keeps one 64 KiB window so a parser walking
 * boxes or frames does not issue one syscall per field.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** A sized, synchronous random-access view; `read` returns fewer bytes at the end of the data. */
export interface ByteReader {
  readonly size: number;
  read(offset: number, length: number): Buffer;
}

/** A reader over bytes already in memory. */
export function createBufferReader(bytes: Buffer): ByteReader {
  return {
    size: bytes.length,
    read(offset, length) {
      if (offset >= bytes.length || length <= 0) return Buffer.alloc(0);
      return bytes.subarray(offset, Math.min(bytes.length, offset + length));
    },
  };
}

const WINDOW = 64 * 1024;

/** Opens `path` and runs `fn` with a windowed reader; the descriptor is always closed. */
export function withFileReader<T>(path: string, fn: (reader: ByteReader) => T): T {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let winStart = 0;
    let win = Buffer.alloc(0);
    const reader: ByteReader = {
      size,
      read(offset, length) {
        if (offset >= size || length <= 0) return Buffer.alloc(0);
        const end = Math.min(size, offset + length);
        if (offset >= winStart && end <= winStart + win.length) {
          return win.subarray(offset - winStart, end - winStart);
        }
        const want = Math.max(WINDOW, end - offset);
        const buf = Buffer.alloc(Math.min(want, size - offset));
        let got = 0;
        while (got < buf.length) {
          const n = readSync(fd, buf, got, buf.length - got, offset + got);
          if (n === 0) break;
          got += n;
        }
        winStart = offset;
        win = buf.subarray(0, got);
        return win.subarray(0, Math.min(got, end - offset));
      },
    };
    return fn(reader);
  } finally {
    closeSync(fd);
  }
}

/** True when `bytes` starts with the ASCII/latin1 `magic` at `at`. */
export function startsWith(bytes: Buffer, magic: string, at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return bytes.toString('latin1', at, at + magic.length) === magic;
}
