/**
 * Image format and dimensions (PNG, JPEG, GIF, BMP) through `image-size`, from the first bytes of
 * a file or buffer; nothing is decoded. The library loads on the first image, not with this module
 * (the CLI's log path must not pay for it on a plain metrics row).
 */
import { createRequire } from 'node:module';
import { open } from 'node:fs/promises';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

type ImageSize = (input: Uint8Array) => { width?: number; height?: number; type?: string };

/**
 * What `image-size` reads at most (its own file API uses the same bound): PNG, GIF and BMP keep
 * their size in the first 30 bytes; a JPEG's frame header follows its APPn segments (EXIF,
 * ICC profiles), each at most 64 KiB.
 */
export const IMAGE_HEAD_BYTES = 512 * 1024;

/** The library's names for the formats W&B's Image accepts. */
const FORMATS: Record<string, ImageFormat> = { png: 'png', jpg: 'jpeg', gif: 'gif', bmp: 'bmp' };

async function readHead(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, IMAGE_HEAD_BYTES));
    let got = 0;
    while (got < head.length) {
      const { bytesRead } = await fh.read(head, got, head.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return head.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/**
 * Format and size of the image in `input` (a file path or the bytes); undefined when the data is
 * not a PNG, JPEG, GIF or BMP with a complete header and a non-empty size.
 * @example
 * await readImageInfo('sample.png'); // { format: 'png', width: 28, height: 28 }
 */
export async function readImageInfo(input: string | Uint8Array): Promise<ImageInfo | undefined> {
  const head = typeof input === 'string' ? await readHead(input) : input.subarray(0, IMAGE_HEAD_BYTES);
  // image-size reads through a view of the whole underlying ArrayBuffer, so a truncated header in
  // a slice of a larger (pooled) buffer would be completed with foreign bytes: give it an exact copy.
  const exact = head.byteOffset === 0 && head.buffer.byteLength === head.length ? head : new Uint8Array(head);
  const { imageSize } = createRequire(import.meta.url)('image-size') as { imageSize: ImageSize };
  let found: ReturnType<ImageSize>;
  try {
    found = imageSize(exact);
  } catch {
    return undefined; // unsupported type, or a header cut short
  }
  const format = found.type === undefined ? undefined : FORMATS[found.type];
  let { width, height } = found;
  if (format === 'bmp') {
    // image-size reads every BMP's size as two int32 at offset 18; an OS/2 1.x BMP (a 12-byte
    // BITMAPCOREHEADER) keeps two uint16 there instead, and no other header size is a BMP at all.
    const dib = exact.length >= 22 ? new DataView(exact.buffer, exact.byteOffset).getUint32(14, true) : 0;
    if (dib === 12) {
      const view = new DataView(exact.buffer, exact.byteOffset);
      width = view.getUint16(18, true);
      height = view.getUint16(20, true);
    } else if (![40, 52, 56, 64, 108, 124].includes(dib)) return undefined;
  }
  if (format === undefined || width === undefined || height === undefined) return undefined;
  if (!(Number.isSafeInteger(width) && width > 0 && Number.isSafeInteger(height) && height > 0)) return undefined;
  return { format, width, height };
}
