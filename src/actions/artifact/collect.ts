/**
 * Turning `artifactConfig.path` and `artifactConfig.references` into manifest entries, with every
 * refusal (escapes, unreadable files, duplicate entry paths) raised before a byte is stored, then
 * streaming the files into the content store (each distinct content stored once).
 */
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { SkillError, invalidInput } from '../../errors.js';
import {
  type ContentStore,
  type ManifestEntry,
  type WalkEntry,
  createReferenceEntries,
  walkFiles,
} from '../../artifacts/index.js';
import { copyWithHashes } from '../../artifacts/copy-hash.js';
import { feedHashes } from '../../artifacts/digest.js';

/** Progress of a log: bytes read (hashed, and copied when new) over the bytes of all files. */
export interface LogProgress {
  phase: 'hash';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface PlannedFiles {
  files: WalkEntry[];
  references: Record<string, ManifestEntry>;
}

/** Walks the path (relative paths inside `dir`) and resolves references; stores nothing. */
export async function planEntries(dir: string, path: string | undefined, references: readonly string[] | undefined): Promise<PlannedFiles> {
  const files: WalkEntry[] = [];
  if (path !== undefined) {
    if (isAbsolute(path)) {
      // An absolute path is the caller's explicit choice, but a `..` in it hides where it points.
      if (path.split(/[\\/]/).includes('..')) throw invalidInput('artifactConfig.path', 'an absolute path must not hold ".." segments');
      for await (const e of walkFiles(path)) files.push(e);
    } else {
      for await (const e of walkFiles(path, { root: dir })) files.push(e);
    }
  }
  const refs: Record<string, ManifestEntry> = {};
  const seen = new Set(files.map((f) => f.path));
  for (const [i, uri] of (references ?? []).entries()) {
    const issue = `artifactConfig.references[${i}]`;
    for (const [entryPath, entry] of Object.entries(await createReferenceEntries(uri, { issuePath: issue }))) {
      if (seen.has(entryPath)) throw invalidInput(issue, `entry path "${entryPath}" is already in the artifact`);
      seen.add(entryPath);
      refs[entryPath] = entry;
    }
  }
  return { files, references: refs };
}

/** Files stored at once (each with its own 1 MiB buffer). */
const CONCURRENCY = 8;

/** MD5 (base64) of a file through one reused buffer; W&B's entry digest needs nothing else. */
async function md5OfFile(path: string, buf: Buffer, onBytes: (n: number) => void): Promise<{ md5: string; size: number }> {
  const md5 = createHash('md5');
  const size = await feedHashes(path, [md5], buf, onBytes);
  return { md5: md5.digest('base64'), size };
}

function changed(path: string): SkillError {
  return new SkillError('CONFLICT', `${path} changed while it was being logged; log again once it is written`, {
    details: { issues: [{ path: 'artifactConfig.path', message: `${path} changed during the log` }] },
  });
}

function unreadable(path: string, err: unknown): SkillError {
  if (err instanceof SkillError) return err;
  return invalidInput('artifactConfig.path', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
}

/** Moves a finished temporary copy into the store under its digest (dropping it if already there). */
async function settle(cas: ContentStore, tmp: string, md5: string): Promise<void> {
  const target = cas.pathOf(md5);
  if (await cas.has(md5)) {
    await rm(tmp, { force: true });
    return;
  }
  await mkdir(dirname(target), { recursive: true });
  await rename(tmp, target); // atomic; a racing writer of the same content renames identical bytes
}

/**
 * Puts every file into the content store and returns its manifest entries. A file the previous
 * version held with the same size is probably unchanged: it is hashed first and copied only if its
 * content is new, so a re-log costs one read. Any other file is copied while it is hashed (one
 * read, one write), then kept or dropped by its digest.
 */
export async function storeFiles(
  cas: ContentStore,
  files: readonly WalkEntry[],
  previous: ReadonlyMap<string, number>,
  onProgress?: (p: LogProgress) => void,
): Promise<Record<string, ManifestEntry>> {
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  const p: LogProgress = { phase: 'hash', filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal };
  const onBytes = (n: number): void => {
    p.bytesDone += n;
    onProgress?.({ ...p });
  };
  const tmpDir = join(cas.root, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const entries: Array<ManifestEntry | undefined> = new Array<ManifestEntry | undefined>(files.length);
  const one = async (file: WalkEntry, buf: Buffer): Promise<ManifestEntry> => {
    const before = await stat(file.absPath).catch((err: unknown) => { throw unreadable(file.path, err); });
    const tmp = join(tmpDir, randomUUID());
    try {
      if (previous.get(file.path) === before.size) {
        const { md5, size } = await md5OfFile(file.absPath, buf, onBytes).catch((err: unknown) => { throw unreadable(file.path, err); });
        if (!(await cas.has(md5))) {
          await copyFile(file.absPath, tmp);
          const after = await stat(file.absPath);
          if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw changed(file.path);
          await settle(cas, tmp, md5);
        }
        return { digest: md5, size };
      }
      const hash = createHash('md5');
      const size = await copyWithHashes(file.absPath, tmp, [hash], onBytes, buf).catch((err: unknown) => { throw unreadable(file.path, err); });
      const md5 = hash.digest('base64');
      await settle(cas, tmp, md5);
      return { digest: md5, size };
    } finally {
      await rm(tmp, { force: true });
    }
  };
  // A few files at once, so hashing on the main thread overlaps the disk's reads and writes.
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (let i = next++; i < files.length && !failed; i = next++) {
      entries[i] = await one(files[i] as WalkEntry, buf);
      p.filesDone += 1;
      onProgress?.({ ...p });
    }
  };
  // On a failure the other workers stop after their current file, and the call answers only then.
  const settled = await Promise.allSettled(Array.from({ length: Math.min(CONCURRENCY, files.length) }, () => worker().catch((err: unknown) => {
    failed = true;
    throw err;
  })));
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  const contents: Record<string, ManifestEntry> = {};
  files.forEach((f, i) => (contents[f.path] = entries[i] as ManifestEntry));
  return contents;
}
