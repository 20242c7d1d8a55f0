/**
 * Storing many files into the content store on several threads. MD5 is CPU-bound and Node computes
 * it on the thread that calls `update`, so one thread hashes at most one core's worth (about
 * md5sum's rate); hashing workers (store-worker.ts) spread the files over the machine's cores.
 * Small jobs stay on the calling thread, where a worker's start-up would cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { compiledModule, startWorker } from '../worker-thread.js';
import { FileChangedError, SourceReadError, type StoreFileJob, type StoreFileResult, createStoreThread, storeFileSync } from './store-file.js';
import type { WriteModeOptions } from './write-mode.js';
import { SkillError, invalidInput } from '../errors.js';

export interface WorkerRequest {
  id: number;
  job: StoreFileJob;
  /** Whether to report bytes as they are read. */
  progress: boolean;
}

export interface StoreFileFailure {
  /** The file changed while it was stored. */
  changed: boolean;
  /** The file to store could not be read (as opposed to the store failing to write). */
  unreadable: boolean;
  /** The file system's error code (ENOENT, EACCES, ENOSPC, ...), when there is one. */
  code?: string;
  message: string;
}

export type WorkerReply = { id: number; bytes: number } | { id: number; result: StoreFileResult } | { id: number; error: StoreFileFailure };

/**
 * The coded error for a file that could not be stored, named by its entry path: CONFLICT when it
 * changed meanwhile, INVALID_INPUT naming `artifactConfig.path` when it cannot be read, INTERNAL for
 * the store's own failures (a full disk among them).
 */
export function storeFailureError(err: StoreFilesError, path: string): SkillError {
  const f = err.failure;
  if (f.changed) {
    return new SkillError('CONFLICT', `${path} changed while it was being logged; log again once it is written`, {
      details: { issues: [{ path: 'artifactConfig.path', message: `${path} changed during the log` }] },
    });
  }
  if (f.unreadable) return invalidInput('artifactConfig.path', `cannot read ${path} (${f.code ?? 'error'})`);
  if (f.code === 'ENOSPC') return new SkillError('INTERNAL', `the disk holding the artifact store is full (storing ${path})`, { cause: err });
  return new SkillError('INTERNAL', `storing ${path} failed: ${f.message}`, { cause: err });
}

/** No worker thread could start (before any file was stored). */
class WorkersUnavailable extends Error {}

/** The first file that could not be stored (the others in flight were let finish). */
export class StoreFilesError extends Error {
  constructor(
    readonly index: number,
    readonly failure: StoreFileFailure,
  ) {
    super(failure.message);
    this.name = 'StoreFilesError';
  }
}

export interface StoreAllOptions {
  /** Reports bytes read, chunk by chunk. */
  onBytes?: (n: number) => void;
  /** Called once with the number of worker threads used (0: the calling thread). */
  onStart?: (threads: number) => void;
  /** Called as each file is stored. */
  onFileDone?: (index: number) => void;
  /** Worker threads to use; default: one per available core and one more (at most 4), none for small jobs. */
  workers?: number;
  /** The compiled worker module; default: dist/src/artifacts/store-worker.js of this package. */
  workerPath?: string;
  /** How copies are written (default 'auto': each thread measures; see write-mode.ts). */
  writeMode?: WriteModeOptions['mode'];
}

/** Below this many bytes in all, files are stored on the calling thread. */
export const POOL_MIN_BYTES = 16 * 1024 * 1024;

/** How many threads to hash on for these jobs (0: the calling thread). */
export function workersFor(files: number, bytes: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.min(requested, files));
  if (bytes < POOL_MIN_BYTES) return 0;
  // One more than the cores: a thread waiting on a direct write leaves its core to the others.
  return Math.min(files, 4, availableParallelism() + 1);
}

/** What is sent back for a file that failed (errors cross the thread boundary as plain data). */
export function failureOf(err: unknown): StoreFileFailure {
  const e = err as NodeJS.ErrnoException;
  return {
    changed: err instanceof FileChangedError,
    unreadable: err instanceof SourceReadError,
    message: e instanceof Error ? e.message : String(err),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

/**
 * Stores every job and resolves with the results in job order; rejects with a `StoreFilesError`
 * for the first failure, once the files already in flight are done (no other file is started).
 */
export async function storeAll(jobs: readonly StoreFileJob[], bytesTotal: number, opts: StoreAllOptions = {}): Promise<StoreFileResult[]> {
  const n = workersFor(jobs.length, bytesTotal, opts.workers);
  const path = n > 0 ? (opts.workerPath ?? compiledModule('artifacts', 'store-worker.js')) : undefined;
  if (path === undefined) {
    opts.onStart?.(0);
    return storeHere(jobs, opts);
  }
  opts.onStart?.(n);
  try {
    return await storeOnWorkers(jobs, n, path, opts);
  } catch (err) {
    // Workers that could not start at all (resource limits, a broken install): this thread does the work.
    if (!(err instanceof WorkersUnavailable)) throw err;
    opts.onStart?.(0);
    return storeHere(jobs, opts);
  }
}

async function storeHere(jobs: readonly StoreFileJob[], opts: StoreAllOptions): Promise<StoreFileResult[]> {
  const thread = createStoreThread(opts.writeMode === undefined ? {} : { mode: opts.writeMode });
  const results: StoreFileResult[] = [];
  for (const [i, job] of jobs.entries()) {
    try {
      results.push(storeFileSync(job, thread, opts.onBytes));
    } catch (err) {
      throw new StoreFilesError(i, failureOf(err));
    }
    opts.onFileDone?.(i);
    // Let timers (heartbeats, progress redraws) run between files.
    if (i % 16 === 15) await new Promise((r) => setImmediate(r));
  }
  return results;
}

interface Slot {
  worker: Worker;
  /** The job it works on. */
  current: number | undefined;
  /** It answered at least once (so it loaded). */
  heard: boolean;
  alive: boolean;
}

function storeOnWorkers(jobs: readonly StoreFileJob[], n: number, path: string, opts: StoreAllOptions): Promise<StoreFileResult[]> {
  return new Promise((resolve, reject) => {
    const results = new Array<StoreFileResult>(jobs.length);
    const slots: Slot[] = [];
    /** Jobs given back by a worker that died before it loaded. */
    const retry: number[] = [];
    let next = 0;
    let failure: Error | undefined;
    let ended = false;
    // No worker has answered yet: if none can start, this thread may redo everything.
    let untouched = true;
    const end = (): void => {
      if (ended || slots.some((s) => s.current !== undefined)) return;
      ended = true;
      for (const s of slots) void s.worker.terminate();
      if (failure !== undefined) reject(failure);
      else resolve(results);
    };
    const fail = (err: Error): void => {
      failure ??= err;
    };
    const take = (): number | undefined => (retry.length > 0 ? retry.shift() : next < jobs.length ? next++ : undefined);
    const feed = (slot: Slot): void => {
      const id = failure === undefined && slot.alive ? take() : undefined;
      if (id === undefined) return end();
      slot.current = id;
      slot.worker.postMessage({ id, job: jobs[id] as StoreFileJob, progress: opts.onBytes !== undefined } satisfies WorkerRequest);
    };
    const died = (slot: Slot, why: string): void => {
      if (ended || !slot.alive) return;
      slot.alive = false;
      const lost = slot.current;
      slot.current = undefined;
      const others = slots.filter((s) => s.alive);
      if (!slot.heard && others.length > 0) {
        // It never loaded: its job goes to the workers that did, and the call goes on without it.
        if (lost !== undefined) retry.push(lost);
        for (const s of others) if (s.current === undefined) feed(s);
        return end();
      }
      if (!slot.heard && untouched) fail(new WorkersUnavailable(why));
      else fail(new StoreFilesError(lost ?? next, { changed: false, unreadable: false, message: `hashing worker failed: ${why}` }));
      end();
    };
    for (let k = 0; k < n; k++) {
      let worker: Worker;
      try {
        worker = startWorker(path, { mode: opts.writeMode ?? 'auto' } satisfies WriteModeOptions);
      } catch (err) {
        if (slots.length === 0) fail(new WorkersUnavailable(String(err)));
        break;
      }
      const slot: Slot = { worker, current: undefined, heard: false, alive: true };
      slots.push(slot);
      worker.on('message', (m: WorkerReply) => {
        slot.heard = true;
        untouched = false;
        if ('bytes' in m) {
          opts.onBytes?.(m.bytes);
          return;
        }
        slot.current = undefined;
        if ('error' in m) fail(new StoreFilesError(m.id, m.error));
        else {
          results[m.id] = m.result;
          opts.onFileDone?.(m.id);
        }
        feed(slot);
      });
      // A worker that dies (it failed to load, or ran out of memory) fails its file and the call.
      worker.on('error', (err) => died(slot, err.message));
      worker.on('exit', (code) => died(slot, `exited with code ${code}`));
      feed(slot);
    }
    if (slots.length === 0) end();
  });
}
