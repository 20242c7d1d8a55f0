/**
 * The CRC-32 (IEEE) of a `.wandb` chunk: over its type byte, then its payload (PROTOCOL.md §15).
 */
import { crc32 } from 'node:zlib';

/** The CRC of a chunk: CRC-32 over its type byte, then its payload. */
export function chunkCrc(type: number, payload: Uint8Array): number {
  return crcAt(type, payload, 0, payload.length);
}

/** chunkCrc of the payload b[s, e). */
export function crcAt(type: number, b: Uint8Array, s: number, e: number): number {
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
