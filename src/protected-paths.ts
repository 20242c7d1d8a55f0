/**
 * The files and folders the tool keeps its own data in, which no write a caller aims (a report's
 * `outputPath`, a download folder) may land on and which collecting a folder for an artifact skips:
 * the store and its SQLite side files (`-wal`, `-shm`, `-journal`), and under `<dir>/wandb/` the
 * content store (`artifacts/`), the run files (`runs/`) and the sweep parameter folders (`sweep-*`).
 * The default store location is protected too when WANDB_SKILL_STORE points elsewhere, and any
 * existing file named like a store (`skill-store.sqlite*`) wherever it is: it is another store of the tool.
 *
 * Paths are compared after resolving `..` and every symbolic link of the longest existing prefix
 * (so a linked parent folder cannot hide the store), case-insensitively (a case-insensitive disk
 * would otherwise let `WANDB/Skill-Store.SQLITE` through; refusing such a name on a case-sensitive
 * disk costs nothing), and by device and inode for the store files that exist (a hard link).
 */
import { type Stats, existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { SkillError } from './errors.js';
import { defaultStorePath } from './settings.js';

/** The suffixes SQLite adds to a database's name for its side files. */
export const STORE_SIDE_SUFFIXES = ['', '-wal', '-shm', '-journal'] as const;
const STORE_NAME = /^skill-store\.sqlite(-wal|-shm|-journal)?$/i;
/** The folders of `<dir>/wandb/` that hold the tool's data (reports are the caller's, not ours). */
const DATA_DIR_NAMES = ['artifacts', 'runs'];
const SWEEP_DIR = /^sweep-/i;

export interface ToolPaths {
  /** The store files, as lower-cased real paths. */
  readonly storeFiles: ReadonlySet<string>;
  /** `dev:ino` of the store files that exist. */
  readonly storeInodes: ReadonlySet<string>;
  /** `<dir>/wandb`, lower-cased real path (its `sweep-*` folders are data). */
  readonly wandbDir: string;
  /** The data folders, lower-cased real paths. */
  readonly dataDirs: readonly string[];
}

const fold = (p: string): string => p.toLowerCase();

/**
 * `p` made absolute with `..` and every symbolic link of its longest existing prefix resolved; the
 * part that does not exist yet is appended as written (it can hold no link).
 */
export function realish(p: string): string {
  let head = resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail.reverse());
    } catch {
      const up = dirname(head);
      if (up === head) return resolve(p);
      tail.push(basename(head));
      head = up;
    }
  }
}

function inodeOf(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** The tool's paths for a W&B dir and store file (looked up once per call that needs them). */
export function toolPaths(settings: { dir: string; storePath: string }): ToolPaths {
  const storeFiles = new Set<string>();
  const storeInodes = new Set<string>();
  for (const db of new Set([settings.storePath, defaultStorePath(settings.dir)])) {
    // SQLite keeps its side files beside the file it opened, a link's target.
    for (const base of new Set([resolve(db), realish(db)])) {
      for (const suffix of STORE_SIDE_SUFFIXES) {
        const file = `${base}${suffix}`;
        storeFiles.add(fold(realish(file)));
        try {
          storeInodes.add(inodeOf(statSync(file)));
        } catch {
          // not there: nothing to link to
        }
      }
    }
  }
  return { storeFiles, storeInodes, ...dataFolders(settings.dir) };
}

/** `<dir>/wandb` and its data folders, lower-cased real paths (one path resolution). */
function dataFolders(dir: string): Pick<ToolPaths, 'wandbDir' | 'dataDirs'> {
  const wandb = realish(join(dir, 'wandb'));
  return { wandbDir: fold(wandb), dataDirs: DATA_DIR_NAMES.map((n) => fold(join(wandb, n))) };
}

function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/** The data folder holding `realPath` (lower-cased), if any. */
function dataDirOf(tp: Pick<ToolPaths, 'wandbDir' | 'dataDirs'>, key: string): string | undefined {
  const hit = tp.dataDirs.find((d) => within(d, key));
  if (hit !== undefined) return hit;
  if (within(tp.wandbDir, key) && key !== tp.wandbDir) {
    const first = key.slice(tp.wandbDir.length + 1).split(sep)[0] ?? '';
    if (SWEEP_DIR.test(first)) return join(tp.wandbDir, first);
  }
  return undefined;
}

/** Why a store file: the name of the thing at `realPath`, or undefined. */
function storeReason(tp: ToolPaths, key: string, st: Stats | undefined): string | undefined {
  if (tp.storeFiles.has(key)) return "the tool's store or one of its SQLite side files";
  if (st === undefined) return undefined;
  if (tp.storeInodes.has(inodeOf(st))) return "a hard link to the tool's store";
  // Named like a store and already there: another store of the tool (another folder's, or a copy).
  if (STORE_NAME.test(basename(key))) return 'a store of the tool (named skill-store.sqlite*)';
  return undefined;
}

/**
 * Why nothing may be written at `path`: it is (or links to) a store file, or, unless `storeOnly`, it
 * is inside one of the tool's data folders. Undefined when the path is free for the caller.
 */
export function protectedReason(tp: ToolPaths, path: string, opts: { storeOnly?: boolean } = {}): string | undefined {
  const abs = resolve(path);
  // The real parent plus the name (a write replaces a link at the name), and the name's own target.
  const keys = new Set([fold(join(realish(dirname(abs)), basename(abs))), fold(realish(abs))]);
  let st: Stats | undefined;
  try {
    st = statSync(abs);
  } catch {
    st = undefined;
  }
  for (const key of keys) {
    const store = storeReason(tp, key, st);
    if (store !== undefined) return store;
    if (opts.storeOnly !== true) {
      const dir = dataDirOf(tp, key);
      if (dir !== undefined) return `inside the tool's data folder ${dir}`;
    }
  }
  return undefined;
}

/**
 * For collecting a folder: why the entry at `realPath` (already real, as a walk sees it) is the
 * tool's own and is skipped, or undefined. A data folder that holds the walk's start is not skipped
 * (the caller named something inside it); store files always are. A `wandb/` folder holding a store
 * elsewhere in the tree is recognised by that store, so its data folders are skipped too.
 */
export function collectSkipReason(tp: ToolPaths, realPath: string, info: Stats, startReal: string): string | undefined {
  const key = fold(realPath);
  if (info.isFile()) return storeReason(tp, key, info);
  if (!info.isDirectory()) return undefined;
  const start = fold(startReal);
  const dir = dataDirOf(tp, key);
  if (dir !== undefined && !within(dir, start)) return "the tool's data folder";
  const name = basename(realPath);
  const parent = dirname(realPath);
  if (
    (DATA_DIR_NAMES.includes(name.toLowerCase()) || SWEEP_DIR.test(name)) &&
    basename(parent).toLowerCase() === 'wandb' &&
    !within(key, start) &&
    existsSync(join(parent, 'skill-store.sqlite'))
  ) {
    return "a data folder of the tool's store beside it";
  }
  return undefined;
}

/**
 * Refuses a store file that lies inside the tool's data folders: the content store, run files and
 * sweep folders are written without asking (content-addressed names, temp files renamed into
 * place), so only keeping the store out of them guarantees those writes never land on it.
 */
export function assertStoreOutsideData(settings: { dir: string; storePath: string }, field: string): void {
  // Only the data folders matter here: this runs at every store open, so the store files' own
  // paths and inodes (toolPaths) are not looked up.
  const dir = dataDirOf(dataFolders(settings.dir), fold(realish(settings.storePath)));
  if (dir !== undefined) {
    throw new SkillError('INVALID_INPUT', `${field}: the store ${settings.storePath} lies inside the tool's data folder ${dir}; put it elsewhere`, {
      details: { issues: [{ path: field, message: `inside the tool's data folder ${dir}` }] },
    });
  }
}
