import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Where a call's store is when neither WANDB_SKILL_STORE nor WANDB_DIR (nor the options) say. */
export interface StoreLocation {
  /** W&B's root dir: the store is `<dir>/wandb/skill-store.sqlite`. */
  dir: string;
  storePath: string;
  /** `found`: an existing store in the folder or a parent; `new`: none exists, this one is to be made. */
  origin: 'found' | 'new';
  /** For a new store: why it goes where it goes (said in the warning). */
  reason?: string;
}

/** The OS's home folder, or undefined when it cannot be told (the walk then runs to the root). */
export function safeHome(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}

/** The default store file for a W&B root dir. */
export function defaultStorePath(dir: string): string {
  return join(dir, 'wandb', 'skill-store.sqlite');
}

function kindOf(path: string): 'file' | 'dir' | undefined {
  try {
    const s = statSync(path, { throwIfNoEntry: false });
    if (s === undefined) return undefined;
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined; // unreadable is the same as absent: the walk goes on
  }
}

/**
 * The nearest existing `wandb/skill-store.sqlite` in `cwd` or its parents, so calls made from
 * subfolders (an orchestrator's task folders) share one store and one run. The walk stops after the
 * home folder or the file-system root. With none, the store is made at the root of the enclosing git
 * work tree (a `.git` file or folder; git itself is not run), else in `cwd`.
 */
export function locateStore(cwd: string, home: string | undefined): StoreLocation {
  const start = resolve(cwd);
  const stop = home === undefined ? undefined : resolve(home);
  let gitRoot: string | undefined;
  for (let d = start; ;) {
    const candidate = defaultStorePath(d);
    if (kindOf(candidate) === 'file') return { dir: d, storePath: candidate, origin: 'found' };
    if (gitRoot === undefined && kindOf(join(d, '.git')) !== undefined) gitRoot = d;
    const parent = dirname(d);
    if (d === stop || parent === d) break;
    d = parent;
  }
  if (gitRoot !== undefined) {
    return { dir: gitRoot, storePath: defaultStorePath(gitRoot), origin: 'new', reason: `the root of the git work tree holding ${start}` };
  }
  return { dir: start, storePath: defaultStorePath(start), origin: 'new', reason: 'the working directory (no git work tree above it)' };
}
