/**
 * Writing a version's files into a folder: `use` keeps one complete copy per version under the W&B
 * dir (built in a temporary sibling and renamed into place, so a folder that exists is complete and
 * concurrent users agree); `download` writes into a folder the caller names.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { invalidInput } from '../../errors.js';
import type { ContentStore, ManifestV1 } from '../../artifacts/index.js';
import { isInside } from '../../artifacts/entry-path.js';
import { contentStoreRoot } from '../../artifacts/index.js';
import type { VersionRecord } from '../../store/artifacts.js';
import type { ActionContext } from '../context.js';
import { protectedReason, toolPaths } from '../../protected-paths.js';

/** Where `use` materialises a version: `<dir>/wandb/artifacts/materialized/<project>/<name>/v<N>`. */
export function materializedPath(ctx: ActionContext, v: VersionRecord): string {
  return join(contentStoreRoot(ctx.settings.dir), 'materialized', v.project, v.name, `v${v.versionIndex}`);
}

/** True when every stored entry of the manifest is present in `dir` with its size. */
async function complete(dir: string, manifest: ManifestV1): Promise<boolean> {
  for (const [path, entry] of Object.entries(manifest.contents)) {
    if (entry.ref !== undefined) continue;
    const info = await stat(join(dir, ...path.split('/'))).catch(() => undefined);
    if (info === undefined || !info.isFile() || (entry.size !== undefined && info.size !== entry.size)) return false;
  }
  return true;
}

/** Materialises (or reuses) the version's files; returns the folder and whether it was reused. */
export async function materializeVersion(
  ctx: ActionContext,
  cas: ContentStore,
  v: VersionRecord,
): Promise<{ path: string; reused: boolean; references: number }> {
  const manifest = JSON.parse(v.manifest) as ManifestV1;
  const references = Object.values(manifest.contents).filter((e) => e.ref !== undefined).length;
  const target = materializedPath(ctx, v);
  if (await complete(target, manifest)) return { path: target, reused: true, references };
  const tmp = `${target}.tmp-${randomUUID()}`;
  try {
    await cas.materialize(manifest, tmp);
    // A copy left incomplete (or edited) by someone is replaced; a racing process's fresh copy is kept.
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target).catch(async (err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await complete(target, manifest))) return;
      throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return { path: target, reused: false, references };
}

/**
 * The folder a caller named for output or input, resolved against the W&B dir: a relative path
 * may not climb out of it, an absolute one may not hide a `..`; a file, or one of the tool's own
 * folders (its content store, run files), is refused.
 */
export function callerFolder(ctx: ActionContext, path: string, field: string): string {
  if (path.includes('\0')) throw invalidInput(field, 'must not contain NUL');
  let abs: string;
  if (isAbsolute(path)) {
    if (path.split(/[\\/]/).includes('..')) throw invalidInput(field, 'an absolute path must not hold ".." segments');
    abs = resolve(path);
  } else {
    abs = resolve(ctx.settings.cwd, path);
    if (!isInside(resolve(ctx.settings.cwd), abs)) throw invalidInput(field, `"${path}" leaves the working folder`);
  }
  let kind: ReturnType<typeof statSync>;
  try {
    kind = statSync(abs, { throwIfNoEntry: false });
  } catch (err) {
    // ENOTDIR: a part of the path is a file; EACCES, ELOOP: the caller's path either way.
    throw invalidInput(field, `${abs} cannot be used as a folder (${(err as { code?: string }).code ?? 'error'})`);
  }
  if (kind !== undefined && !kind.isDirectory()) throw invalidInput(field, `${abs} is a file, not a folder`);
  const why = protectedReason(toolPaths(ctx.settings), abs);
  if (why !== undefined) throw invalidInput(field, `${abs} is ${why}; choose another folder`);
  return abs;
}
