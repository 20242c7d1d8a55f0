/**
 * Copying a file while hashing it, through one reused buffer: memory stays flat whatever the
 * file size (a stream pipeline allocates a fresh chunk per read, which piles up until a GC).
 */
import type { Hash } from 'node:crypto';
import { open } from 'node:fs/promises';

const CHUNK = 1024 * 1024;

/** Copies `src` to a new file `dest` (must not exist), feeding every chunk to `hashes`; returns the size. */
export async function copyWithHashes(src: string, dest: string, hashes: readonly Hash[], onBytes?: (n: number) => void, buffer?: Buffer): Promise<number> {
  const input = await open(src, 'r');
  try {
    const output = await open(dest, 'wx');
    try {
      // A caller copying many files passes its own buffer: a fresh 1 MiB per file costs page faults.
      const buf = buffer ?? Buffer.allocUnsafe(CHUNK);
      const size0 = buf.length;
      let size = 0;
      for (;;) {
        const { bytesRead } = await input.read(buf, 0, size0, null);
        if (bytesRead === 0) break;
        const chunk = buf.subarray(0, bytesRead);
        for (const h of hashes) h.update(chunk);
        for (let off = 0; off < bytesRead;) off += (await output.write(chunk, off, bytesRead - off)).bytesWritten;
        size += bytesRead;
        onBytes?.(bytesRead);
      }
      return size;
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}
