import { existsSync, statSync } from 'node:fs';
import type { Settings } from '../settings.js';
import { openStore, type FileIdentity, type Store, type StoreOptions } from '../store/index.js';
import { locateStore, safeHome, type StoreLocation } from '../store-location.js';
import { assertStoreOutsideData } from '../protected-paths.js';

/** A runner's open stores, and where the store of each working directory is. */
export interface RunnerStores {
  /** The store of `settings`, opened on first use; `warn` hears that a new store was made. */
  storeFor(settings: Settings, warn?: (m: string) => void): Store;
  /** The store at `path` if this runner has it open (nothing is opened). */
  get(path: string): Store | undefined;
  /** The store of a working directory when nothing names it, walked once per folder. */
  locate(cwd: string): StoreLocation;
  /**
   * Whether a store this runner holds open is no longer the file at its path (deleted, or replaced
   * by another file): a process-wide runner then starts afresh, as a new call's open would.
   */
  stale(): boolean;
  close(): void;
}

/**
 * The file's identity, or undefined when it is gone. Numbers, not bigints: every call of a loop
 * stats the file, and a bigint stat also builds its dates; an inode past 2^53 rounding onto the
 * same number as the file that replaced it is not a case worth that.
 */
function identityOf(path: string): FileIdentity | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  return st === undefined ? undefined : { dev: st.dev, ino: st.ino };
}

function sameFile(path: string, id: FileIdentity | undefined): boolean {
  const now = identityOf(path);
  return now === undefined || id === undefined ? now === id : now.ino === id.ino && now.dev === id.dev;
}

/** How the stores are opened, beyond their path (see StoreOptions). */
export type StoreTuning = Pick<StoreOptions, 'walAutocheckpointPages' | 'backgroundCheckpoints'>;

/**
 * `home` (default the OS's home folder) is where the walk for an existing store stops;
 * `storeOption` says the runner was given its store file outright (errors about the store name it).
 */
export function createRunnerStores(home: string | undefined, storeOption = false, tuning: StoreTuning = {}): RunnerStores {
  const stores = new Map<string, Store>();
  // The identity of each open store's file when it was opened (see stale()).
  const files = new Map<string, FileIdentity | undefined>();
  // The walk is done once per working directory, not on every call of a loop.
  const locations = new Map<string, StoreLocation>();
  return {
    storeFor(settings, warn) {
      let store = stores.get(settings.storePath);
      if (store === undefined) {
        // A store the walk chose that does not exist yet is made now: the call that makes it says where.
        const made = settings.storeOrigin === 'new' && !existsSync(settings.storePath);
        // Errors about the store name what chose it: the option, the variable, else the W&B dir.
        const field = storeOption ? 'storePath' : settings.env.WANDB_SKILL_STORE !== undefined ? 'WANDB_SKILL_STORE' : 'WANDB_DIR';
        assertStoreOutsideData(settings, field);
        store = openStore({ ...tuning, path: settings.storePath, busyTimeoutMs: settings.busyTimeoutMs, field });
        stores.set(settings.storePath, store);
        files.set(settings.storePath, store.file);
        if (made && warn !== undefined) {
          warn(
            `created a new store at ${settings.storePath} (${settings.storeReason ?? 'no existing store found'}); ` +
              'calls from this folder and its subfolders use it. Set WANDB_DIR to one folder to share a store from anywhere else',
          );
        }
      }
      return store;
    },
    get: (path) => stores.get(path),
    locate(cwd) {
      let loc = locations.get(cwd);
      if (loc === undefined) {
        loc = locateStore(cwd, home ?? safeHome());
        if (locations.size > 64) locations.clear();
        locations.set(cwd, loc);
      }
      return loc;
    },
    stale() {
      for (const [path, id] of files) if (!sameFile(path, id)) return true;
      return false;
    },
    close() {
      for (const s of stores.values()) s.close();
      stores.clear();
      files.clear();
    },
  };
}
