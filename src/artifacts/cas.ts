/**
 * A content-addressed file store on disk: each distinct content is stored once, under its MD5
 * (see object-path.ts). Files are copied into `tmp/` while hashed (store-file.ts, on the hashing
 * threads of store-pool.ts for big files), then renamed into place, so a reader never sees a
 * partial object and concurrent writers of one content agree.
 */
import { randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, copyFile, lstat, mkdir, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SkillError, invalidInput } from '../errors.js';
import { type ManifestEntry, type ManifestV1, comparePaths, hashBytes } from './digest.js';
import { objectPath } from './object-path.js';
import { StoreFilesError, storeAll, storeFailureError } from './store-pool.js';
import type { StoreFileResult } from './store-file.js';
import { isInside, joinInside } from './entry-path.js';
import { forEachLimit } from '../concurrency.js';
import { realish } from '../protected-paths.js';
import { callerWriteError, ensureDir, removeCreated } from '../safe-dir.js';
import type { Liveness } from '../liveness.js';
import { ownerIsDead, tempName, tempPrefix } from './temp-name.js';

/** The content store of a W&B dir: beside the SQLite store, under `<dir>/wandb/artifacts`. */
export function contentStoreRoot(dir: string): string {
  return join(dir, 'wandb', 'artifacts');
}

/** The content store of a W&B dir, written by `owner` (the calling process). */
export function contentStoreOf(dir: string, owner: Pick<Liveness, 'host' | 'pid'>): ContentStore {
  return createContentStore({ root: contentStoreRoot(dir), owner });
}

export interface ContentStoreOptions {
  /** Directory holding `objects/` and `tmp/`; created on first write. */
  root: string;
  /** The writing process, named in temporary copies so a later log can reclaim them if it dies. */
  owner?: Pick<Liveness, 'host' | 'pid'>;
}

export interface StoredContent {
  /** Base64 MD5 of the content. */
  md5: string;
  size: number;
  /** Base64 MD5, the manifest entry digest (same as `md5`). */
  digest: string;
  /** Absolute path of the stored object. */
  path: string;
  /** False when identical content was already stored. */
  created: boolean;
}

export interface MaterializeOptions {
  onProgress?: (p: { filesDone: number; filesTotal: number }) => void;
  /** Why nothing may be written at this absolute path (the tool's store, say), or undefined. */
  refuse?: (absPath: string) => string | undefined;
  /** The caller's field named by a refusal to create or write the target (default `targetDir`). */
  field?: string;
}

export interface MaterializeResult {
  /** Entry paths written into the target directory. */
  written: string[];
  /** Reference entries (with `ref`), which have no stored bytes and are left to the caller. */
  references: { path: string; ref: string }[];
}

export interface ContentStore {
  readonly root: string;
  /** Stores the file at `path` (streamed, hashed on the way). */
  put(path: string, onBytes?: (n: number) => void): Promise<StoredContent>;
  /** Stores in-memory bytes (e.g. a manifest JSON) in one write. */
  putBytes(bytes: Buffer | string): Promise<StoredContent>;
  /** True if content with this base64 MD5 is stored. */
  has(digest: string): Promise<boolean>;
  /** Where content with this base64 MD5 lives (whether or not it is stored yet). */
  pathOf(digest: string): string;
  /** Copies every stored entry of `manifest` to `targetDir/<entry path>`, refusing paths that leave it. */
  materialize(manifest: Pick<ManifestV1, 'contents'>, targetDir: string, opts?: MaterializeOptions): Promise<MaterializeResult>;
}

/** Temporary copies older than this are a killed writer's leftovers (no copy takes an hour to write). */
export const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Removes the temporary copies a killed process left in `<root>/tmp`: at once when their name says
 * their writer is a dead process of this host (with `liveness`), else once not written to for
 * `maxAgeMs`; a live writer's copies are recent and stay. Returns how many went.
 */
export async function removeStaleTemps(root: string, nowMs: number, maxAgeMs = STALE_TEMP_MS, liveness?: Liveness): Promise<number> {
  const dir = join(root, 'tmp');
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const p = join(dir, name);
    const st = await lstat(p).catch(() => undefined);
    // A copy dated in the future (clock skew on a shared disk) is not judged stale.
    if (st === undefined || !st.isFile()) continue;
    const dead = liveness !== undefined && ownerIsDead(name, liveness);
    if (!dead && (st.mtimeMs > nowMs || nowMs - st.mtimeMs < maxAgeMs)) continue;
    await rm(p, { force: true });
    removed += 1;
  }
  return removed;
}

/** Files copied out of the store at once by `materialize`. */
const MATERIALIZE_CONCURRENCY = 8;

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/**
 * Creates a content store rooted at `options.root`.
 * @example
 * const cas = createContentStore({ root: '.wandb-skill/cas' });
 * const { digest } = await cas.put('model.bin'); // '1B2M2Y8AsgTpgAmY7PhCfg=='
 */
export function createContentStore(options: ContentStoreOptions): ContentStore {
  const root = resolve(options.root);
  const tmpDir = join(root, 'tmp');
  const prefix = options.owner === undefined ? undefined : tempPrefix(options.owner);

  function pathOf(digest: string): string {
    const path = objectPath(root, digest);
    if (path === undefined) throw invalidInput('digest', `not a base64 MD5 digest: ${JSON.stringify(digest)}`);
    return path;
  }

  async function put(path: string, onBytes?: (n: number) => void): Promise<StoredContent> {
    await mkdir(tmpDir, { recursive: true });
    // The one way a file enters the store: the same code (and thread choice) as an artifact log.
    const size = await stat(path).then(
      (st) => st.size,
      () => 0,
    );
    try {
      const [r] = await storeAll(
        [{ src: path, root, hashFirst: false, ...(prefix !== undefined ? { tempPrefix: prefix } : {}) }],
        size,
        onBytes === undefined ? {} : { onBytes },
      );
      const { md5, size: stored, created } = r as StoreFileResult;
      return { md5, size: stored, digest: md5, path: pathOf(md5), created };
    } catch (err) {
      throw err instanceof StoreFilesError ? storeFailureError(err, path) : err;
    }
  }

  async function putBytes(bytes: Buffer | string): Promise<StoredContent> {
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, tempName(prefix));
    const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const { md5, size } = hashBytes(buf);
    const target = pathOf(md5);
    const done = (created: boolean): StoredContent => ({ md5, size, digest: md5, path: target, created });
    if (await exists(target)) return done(false);
    try {
      await writeFile(tmp, buf, { flag: 'wx' });
      await mkdir(dirname(target), { recursive: true });
      await rename(tmp, target); // atomic; a racing writer of the same content renames identical bytes
      return done(true);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async function materialize(manifest: Pick<ManifestV1, 'contents'>, targetDir: string, opts: MaterializeOptions = {}): Promise<MaterializeResult> {
    const field = opts.field ?? 'targetDir';
    // The target may not exist yet: its real path is the real path of what exists plus the rest.
    const realTarget = realish(targetDir);
    const paths = Object.keys(manifest.contents).sort(comparePaths);
    // Check every path before writing anything, so a bad manifest leaves the target untouched.
    const plan = paths.map((p) => ({ path: p, entry: manifest.contents[p] as ManifestEntry, abs: joinInside(realTarget, p, `manifest.contents.${p}`) }));
    const result: MaterializeResult = { written: [], references: [] };
    for (const { path, entry, abs } of plan) {
      if (entry.ref !== undefined) {
        result.references.push({ path, ref: entry.ref });
        continue;
      }
      if (!(await exists(pathOf(entry.digest)))) {
        throw new SkillError('NOT_FOUND', `content of ${path} (${entry.digest}) is not in the local store`, { details: { path, digest: entry.digest } });
      }
      const why = opts.refuse?.(abs);
      if (why !== undefined) throw invalidInput(`manifest.contents.${path}`, `entry "${path}" would be written onto ${why}; choose another folder`);
      if ((await lstat(abs).catch(() => undefined))?.isDirectory() === true) {
        throw invalidInput(`manifest.contents.${path}`, `entry "${path}" would replace the folder ${abs}`);
      }
    }
    // Every file is copied beside its place first and renamed in only when all copies succeeded, so a
    // failed call leaves no partial files (and removes the folders it made).
    const created: string[] = [];
    const staged: Array<{ path: string; tmp: string; abs: string }> = [];
    let done = 0;
    try {
      created.push(...ensureDir(realTarget, field));
      // Several files at once: each copy's kernel work (new page-cache pages) runs on the thread pool.
      await forEachLimit(plan, MATERIALIZE_CONCURRENCY, async ({ path, entry, abs }) => {
        if (entry.ref === undefined) {
          created.push(...ensureDir(dirname(abs), field));
          // A symbolic link already inside the target could redirect the write; check the real parent.
          if (!isInside(realTarget, await realpath(dirname(abs)))) {
            throw invalidInput(`manifest.contents.${path}`, `entry path "${path}" leads outside the target directory through a symbolic link`);
          }
          const tmp = join(dirname(abs), `.tmp-${randomUUID()}`);
          staged.push({ path, tmp, abs });
          await copyFile(pathOf(entry.digest), tmp, fsConstants.COPYFILE_EXCL);
        }
        done += 1;
        opts.onProgress?.({ filesDone: done, filesTotal: plan.length });
      });
    } catch (err) {
      await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
      removeCreated(created);
      throw callerWriteError(err, field, `into ${realTarget}`);
    }
    try {
      for (const { path, tmp, abs } of staged) {
        await rename(tmp, abs); // replaces a link at `abs` itself rather than writing through it
        result.written.push(path);
      }
    } catch (err) {
      await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
      throw callerWriteError(err, field, `into ${realTarget}`);
    }
    result.written.sort(comparePaths);
    return result;
  }

  return {
    root,
    put,
    putBytes,
    has: async (digest) => exists(pathOf(digest)),
    pathOf,
    materialize,
  };
}
