/**
 * How a hashing thread writes the copies it makes: through the page cache (buffered) or straight to
 * the device (O_DIRECT). Which is cheaper depends on the machine: where new page-cache pages are
 * dear (first-touch memory in a virtual machine costs about 1.8 ms per MiB here, three times
 * md5's cost), a direct write is far cheaper; on a slow or network disk the page cache wins. So
 * each thread measures both on the files it copies and keeps using the faster, trying the other
 * again now and then. Small files are always buffered (a direct write waits for the device).
 */
import { closeSync, constants, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

/** Direct writes need the buffer, the file offset and the length aligned to the device's block. */
export const DIRECT_ALIGN = 4096;
/** Files smaller than this are written buffered. */
export const DIRECT_MIN_BYTES = 256 * 1024;
/** After this many files with one mode, the other is measured again. */
const REPROBE_EVERY = 16;

/** O_DIRECT where the platform has it (Linux), else undefined. */
const O_DIRECT: number | undefined = (constants as Record<string, number | undefined>)['O_DIRECT'];

/**
 * A buffer whose address is page aligned, as a direct write needs: WebAssembly memory is mapped
 * whole pages at a time (a Buffer's own memory carries an allocator header in front).
 */
export function alignedBuffer(bytes: number): Buffer {
  const pages = Math.ceil(bytes / 65536);
  // The global exists in every Node.js; this project's type library (no DOM) does not declare it.
  const { WebAssembly } = globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer } } };
  return Buffer.from(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, bytes);
}

export interface WriteModeOptions {
  /** 'auto' measures (the default); 'buffered' and 'direct' force one (direct falls back if refused). */
  mode?: 'auto' | 'buffered' | 'direct';
}

interface Estimate {
  /** Exponential moving average of nanoseconds per byte written. */
  nsPerByte: number;
  samples: number;
}

/** One thread's choice of write mode, learned from the writes it makes. */
export class WriteModeChooser {
  private readonly mode: 'auto' | 'buffered' | 'direct';
  private directWorks: boolean | undefined;
  private readonly est: Record<'buffered' | 'direct', Estimate> = { buffered: { nsPerByte: 0, samples: 0 }, direct: { nsPerByte: 0, samples: 0 } };
  private sinceProbe = 0;

  constructor(options: WriteModeOptions = {}) {
    this.mode = options.mode ?? 'auto';
    if (O_DIRECT === undefined) this.directWorks = false;
  }

  /**
   * Whether to write a copy of `size` bytes directly; `tmpDir` is where support is first tried, in a
   * file named `probeName` (a copy's own temporary name, so a killed writer's probe is reclaimed with it).
   */
  useDirect(size: number, tmpDir: string, buf: Buffer, probeName?: string): boolean {
    if (this.mode === 'buffered' || size < DIRECT_MIN_BYTES || this.directWorks === false) return false;
    if (this.directWorks === undefined) this.directWorks = probeDirect(join(tmpDir, probeName ?? `.direct-${randomUUID()}`), buf);
    if (!this.directWorks) return false;
    if (this.mode === 'direct') return true;
    const { buffered, direct } = this.est;
    // Two samples of each first, then the faster, with the other tried again every REPROBE_EVERY files.
    if (direct.samples < 2 || buffered.samples < 2) return direct.samples <= buffered.samples;
    const faster = direct.nsPerByte <= buffered.nsPerByte;
    this.sinceProbe += 1;
    if (this.sinceProbe >= REPROBE_EVERY) {
      this.sinceProbe = 0;
      return !faster;
    }
    return faster;
  }

  /** A direct write was refused mid-file (EINVAL: an alignment this device wants): buffered from now on. */
  refuseDirect(): void {
    this.directWorks = false;
  }

  /** Records how long writing `bytes` took in one mode. */
  record(direct: boolean, bytes: number, ns: number): void {
    if (bytes < DIRECT_MIN_BYTES) return;
    const e = this.est[direct ? 'direct' : 'buffered'];
    const x = ns / bytes;
    e.nsPerByte = e.samples === 0 ? x : e.nsPerByte * 0.7 + x * 0.3;
    e.samples += 1;
  }

  /** The flags to open a copy with. */
  static flags(direct: boolean): number {
    const base = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
    return direct && O_DIRECT !== undefined ? base | O_DIRECT : base;
  }

  /** For tests and logs: the current estimates. */
  snapshot(): { directWorks: boolean | undefined; buffered: Estimate; direct: Estimate } {
    return { directWorks: this.directWorks, buffered: { ...this.est.buffered }, direct: { ...this.est.direct } };
  }
}

/** Whether this file system takes a direct write from `buf` (some refuse O_DIRECT, e.g. older tmpfs). */
function probeDirect(path: string, buf: Buffer): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, WriteModeChooser.flags(true));
    return writeSync(fd, buf, 0, DIRECT_ALIGN, 0) === DIRECT_ALIGN;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(path, { force: true });
  }
}
