/**
 * Putting one file into the content store, synchronously, through a thread's reused buffer: the
 * unit of work of artifact logging, run by the hashing workers (store-pool.ts) or, for small
 * artifacts, on the calling thread. Imports only node built-ins, so a worker starts quickly.
 *
 * - Without `hashFirst`, the file is copied into `tmp/` while its MD5 is computed (one read, one
 *   write), then renamed to its object path, or dropped if that content is already stored.
 * - With `hashFirst` (the previous version held a file of this size, so it is probably unchanged),
 *   the file is only hashed; it is copied (and hashed again) only if its content is not stored yet.
 * Copies are written buffered or directly as the thread's `WriteModeChooser` finds cheaper.
 * The file's size and modification time are compared before and after: a file written meanwhile
 * fails with `FileChangedError` rather than being stored under a digest that is not its content.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { objectPath } from './object-path.js';
import { DIRECT_ALIGN, WriteModeChooser, type WriteModeOptions, alignedBuffer } from './write-mode.js';
import { tempName } from './temp-name.js';

export interface StoreFileJob {
  /** The file to store. */
  src: string;
  /** The content store's root (holding `objects/` and `tmp/`, which must exist). */
  root: string;
  hashFirst: boolean;
  /** The owner prefix of temporary copies (temp-name.ts), so a later log can reclaim a dead writer's. */
  tempPrefix?: string;
}

export interface StoreFileResult {
  /** Base64 MD5, the manifest entry digest. */
  md5: string;
  size: number;
  /** False when the content was already stored. */
  created: boolean;
}

/** The file changed (size or modification time) while it was being stored. */
export class FileChangedError extends Error {
  constructor(readonly src: string) {
    super(`${src} changed while it was being stored`);
    this.name = 'FileChangedError';
  }
}

/** The file to store could not be opened or read (`code` is the file system's: ENOENT, EACCES, ...). */
export class SourceReadError extends Error {
  readonly code: string;
  constructor(
    readonly src: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'EIO';
    super(`cannot read ${src} (${code})`, { cause });
    this.name = 'SourceReadError';
    this.code = code;
  }
}

/** Errors that say the file cannot be read; others (EMFILE, ENOMEM, ...) are this process's trouble. */
const UNREADABLE = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ELOOP', 'EIO', 'ENXIO', 'ENAMETOOLONG']);

function readSource<T>(src: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (UNREADABLE.has((err as NodeJS.ErrnoException).code ?? '')) throw new SourceReadError(src, err);
    throw err;
  }
}

const CHUNK = 1024 * 1024;

/** What a thread keeps between files: its buffer (page aligned for direct writes) and write mode. */
export interface StoreThread {
  buf: Buffer;
  chooser: WriteModeChooser;
}

/** A thread's state: a 1 MiB aligned buffer (a plain one if that cannot be had, writing buffered). */
export function createStoreThread(options: WriteModeOptions = {}): StoreThread {
  try {
    return { buf: alignedBuffer(CHUNK), chooser: new WriteModeChooser(options) };
  } catch {
    return { buf: Buffer.allocUnsafe(CHUNK), chooser: new WriteModeChooser({ mode: 'buffered' }) };
  }
}

/** A direct write the file system refused part-way (the copy is redone buffered). */
class DirectWriteRefused extends Error {}

/** Fills `buf` from `fd` at `pos` until it is full or the file ends; returns the bytes read. */
function fill(src: string, fd: number, buf: Buffer, pos: number): number {
  let filled = 0;
  while (filled < buf.length) {
    const n = readSource(src, () => readSync(fd, buf, filled, buf.length - filled, pos + filled));
    if (n === 0) break;
    filled += n;
  }
  return filled;
}

/** Reads `fd` from offset 0 to its end, feeding the hash; returns the size. */
function hashOnly(src: string, fd: number, buf: Buffer, hash: Hash, onBytes: ((n: number) => void) | undefined): number {
  let size = 0;
  for (;;) {
    const n = fill(src, fd, buf, size);
    if (n === 0) return size;
    hash.update(n === buf.length ? buf : buf.subarray(0, n));
    size += n;
    onBytes?.(n);
    if (n < buf.length) return size;
  }
}

/**
 * Copies `fd` from offset 0 into a new file `dest` while hashing it; returns the size. Written in
 * whole buffers at aligned offsets, so a direct write only pads the last block (then truncated).
 */
function copyHashing(
  src: string,
  fd: number,
  dest: string,
  expected: number,
  thread: StoreThread,
  hash: Hash,
  onBytes: ((n: number) => void) | undefined,
): number {
  const { buf, chooser } = thread;
  const direct = chooser.useDirect(expected, dirname(dest), buf, `${basename(dest)}.direct`);
  const out = openSync(dest, WriteModeChooser.flags(direct), 0o644);
  let size = 0;
  let writeNs = 0n;
  try {
    for (;;) {
      const n = fill(src, fd, buf, size);
      if (n === 0) break;
      hash.update(n === buf.length ? buf : buf.subarray(0, n));
      let len = n;
      if (direct && len % DIRECT_ALIGN !== 0) {
        len = Math.ceil(len / DIRECT_ALIGN) * DIRECT_ALIGN;
        buf.fill(0, n, len);
      }
      const t0 = process.hrtime.bigint();
      try {
        for (let off = 0; off < len;) off += writeSync(out, buf, off, len - off, size + off);
      } catch (err) {
        if (direct && (err as NodeJS.ErrnoException).code === 'EINVAL') throw new DirectWriteRefused((err as Error).message);
        throw err;
      }
      writeNs += process.hrtime.bigint() - t0;
      size += n;
      onBytes?.(n);
      if (n < buf.length) break;
    }
    if (direct && size % DIRECT_ALIGN !== 0) ftruncateSync(out, size);
  } finally {
    closeSync(out);
  }
  chooser.record(direct, size, Number(writeNs));
  return size;
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Stores `job.src`; see the module comment. Failing to read it throws `SourceReadError`; store-side errors are thrown as they are. */
export function storeFileSync(job: StoreFileJob, thread: StoreThread, onBytes?: (n: number) => void): StoreFileResult {
  const fd = readSource(job.src, () => openSync(job.src, 'r'));
  let tmp: string | undefined;
  try {
    const before = fstatSync(fd);
    let firstMd5: string | undefined;
    if (job.hashFirst) {
      const hash = createHash('md5');
      const size = hashOnly(job.src, fd, thread.buf, hash, onBytes);
      firstMd5 = hash.digest('base64');
      if (existsSync(objectPath(job.root, firstMd5) as string)) {
        if (!sameFile(before, fstatSync(fd)) || size !== before.size) throw new FileChangedError(job.src);
        return { md5: firstMd5, size, created: false };
      }
    }
    tmp = join(job.root, 'tmp', tempName(job.tempPrefix));
    // Bytes already counted by the hashing pass are not reported twice.
    let reported = 0;
    const report =
      firstMd5 === undefined && onBytes !== undefined
        ? (n: number): void => {
            reported += n;
            onBytes(n);
          }
        : undefined;
    let hash = createHash('md5');
    let size: number;
    try {
      size = copyHashing(job.src, fd, tmp, before.size, thread, hash, report);
    } catch (err) {
      if (!(err instanceof DirectWriteRefused)) throw err;
      // The device wants another alignment: this thread writes buffered from now on, starting this copy over.
      thread.chooser.refuseDirect();
      rmSync(tmp, { force: true });
      hash = createHash('md5');
      let seen = 0;
      size = copyHashing(
        job.src,
        fd,
        tmp,
        before.size,
        thread,
        hash,
        report === undefined
          ? undefined
          : (n) => {
              const fresh = seen + n - Math.max(seen, reported);
              seen += n;
              if (fresh > 0) report(fresh);
            },
      );
    }
    const md5 = hash.digest('base64');
    if (!sameFile(before, fstatSync(fd)) || size !== before.size || (firstMd5 !== undefined && firstMd5 !== md5)) throw new FileChangedError(job.src);
    const target = objectPath(job.root, md5) as string;
    if (existsSync(target)) return { md5, size, created: false };
    mkdirSync(dirname(target), { recursive: true });
    renameSync(tmp, target); // atomic; a racing writer of the same content renames identical bytes
    tmp = undefined;
    return { md5, size, created: true };
  } finally {
    closeSync(fd);
    if (tmp !== undefined) rmSync(tmp, { force: true });
  }
}
