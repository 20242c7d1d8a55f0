import { constants, realpathSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
// node:fs/promises is imported where used: it loads a dozen internal modules, a few ms of a one-call CLI log.
import { basename, dirname, join, resolve } from 'node:path';
import { SkillError } from '../errors.js';
import { parseEnv, resolveSettings } from '../settings.js';

/** Where `--output` goes, checked before the call runs. */
export interface OutputTarget {
  /** As the caller wrote it, for messages. */
  given: string;
  /** The file to write (symbolic links resolved, so a link is followed rather than replaced). */
  path: string;
  /** A FIFO, a device or a socket: written in place, never replaced. */
  special: boolean;
}

const STORE_SUFFIXES = ['', '-wal', '-shm', '-journal'];
/** A FIFO with a slow reader: how long a full pipe may keep the answer waiting. */
const SPECIAL_WRITE_MS = 10_000;

/** The path with every existing part's links resolved (the rest appended as written). */
function canonical(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(canonical(parent), basename(path));
  }
}

/** The store this call would use and its SQLite side files: a result written there destroys the store. */
function storeFiles(env: Record<string, string | undefined>, cwd: string): string[] {
  try {
    const store = canonical(resolveSettings({ action: 'init' }, { env: parseEnv(env), cwd }).storePath);
    return STORE_SUFFIXES.map((s) => store + s);
  } catch {
    return []; // an environment the call itself will refuse, with a coded error
  }
}

function unusable(message: string): SkillError {
  return new SkillError('INVALID_INPUT', message, { details: { issues: [{ path: '--output', message }] } });
}

/** What is at `path`; undefined when nothing is (or a part of it is a file, not a folder). */
function statOf(given: string, path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw unusable(`--output ${given}: ${path} cannot be examined (${code})`);
  }
}

/**
 * Checks `--output` before the call runs, so a bad target never costs a committed action its answer.
 * Throws INVALID_INPUT (the CLI's usage error) naming the problem.
 */
export function checkOutputTarget(given: string, env: Record<string, string | undefined>, cwd: string): OutputTarget {
  if (given === '' || given.includes('\0')) throw unusable('--output needs a file path (no NUL characters)');
  const path = canonical(resolve(cwd, given));
  const store = storeFiles(env, cwd);
  if (store.includes(path)) throw unusable(`--output ${given} is the store (${store[0]}) or one of its files; name another file`);
  const st = statOf(given, path);
  if (st?.isDirectory()) throw unusable(`--output ${given} is a folder; name a file in it`);
  if (st !== undefined && !st.isFile()) return { given, path, special: true };
  const folder = dirname(path);
  const fst = statOf(given, folder);
  if (fst === undefined) throw unusable(`--output ${given}: its folder ${folder} does not exist`);
  if (!fst.isDirectory()) throw unusable(`--output ${given}: ${folder} is not a folder`);
  // A real file made and removed: access() says yes to root, and a read-only or virtual file system
  // (/proc) refuses only when a file is created.
  const probe = join(folder, `.${basename(path)}.${process.pid}.probe`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
    unlinkSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code !== 'EEXIST') throw unusable(`--output ${given}: cannot write in the folder ${folder} (${code})`);
  }
  return { given, path, special: false };
}

/** Writes a FIFO or device in place; non-blocking, so a FIFO nobody reads fails (ENXIO) instead of hanging. */
async function writeSpecial(path: string, text: string): Promise<void> {
  const { open } = await import('node:fs/promises');
  const handle = await open(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const bytes = Buffer.from(text);
    const deadline = Date.now() + SPECIAL_WRITE_MS;
    let done = 0;
    while (done < bytes.length) {
      try {
        done += (await handle.write(bytes, done)).bytesWritten;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  } finally {
    await handle.close();
  }
}

/** Writes the result: a regular file atomically (a reader never sees half a document), anything else in place. */
export async function writeOutput(target: OutputTarget, text: string): Promise<void> {
  if (target.special) return writeSpecial(target.path, text);
  const tmp = join(dirname(target.path), `.${basename(target.path)}.${process.pid}.tmp`);
  const { rm, rename, writeFile } = await import('node:fs/promises');
  try {
    await writeFile(tmp, text);
    await rename(tmp, target.path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
