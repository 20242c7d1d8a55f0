/**
 * The dashboard's repair of a run's downsampled history (src/history/fold.ts) when its mark is far
 * behind (an older store, an import, rows written without buckets): the same fold as `catchUp`, cut
 * into short write transactions (about SLICE_MS each) with a turn of the event loop between them,
 * so a request sent meanwhile is answered between two slices instead of after the whole run.
 */
import type { BucketMark, Store } from '../store/index.js';
import { FOLD_ROWS, foldRange } from '../history/fold.js';
import { setImmediate as tick } from 'node:timers/promises';

/** Time one slice aims at: a request waits at most about this long (the slice doubles or halves to stay near it). */
const SLICE_MS = 10;
/** Most rows per slice (a multiple of FOLD_ROWS). */
const MAX_SLICE_ROWS = 16_384;
/** Rows not yet folded that the synchronous read may fold itself (src/history/read.ts folds above 2048). */
const FOLD_ABOVE = 1024;
const NO_MARK: BucketMark = { folded: 0, lastStep: NaN, sorted: true };

/**
 * Folds the run's rows up to its last whole FOLD_ROWS, a slice per transaction, yielding between
 * slices (`now` times them). Each slice re-reads the mark in its transaction, so a writer folding at the same time
 * never has a row folded twice. Returns the number of slices folded (0 when already caught up).
 */
export async function catchUpYielding(store: Store, runKey: number, historyCount: number, now: () => number = () => performance.now()): Promise<number> {
  const target = Math.floor(historyCount / FOLD_ROWS) * FOLD_ROWS;
  let slices = 0;
  let rows = 2 * FOLD_ROWS;
  for (let before = -1; ;) {
    const mark = store.historyBuckets.mark(runKey) ?? NO_MARK;
    if (target - mark.folded <= FOLD_ABOVE || mark.folded === before) return slices;
    before = mark.folded;
    const t = now();
    store.write(() => {
      const m = store.historyBuckets.mark(runKey) ?? NO_MARK;
      if (m.folded < target) foldRange(store, runKey, m, Math.min(target, m.folded + rows));
    });
    const took = now() - t;
    if (took < SLICE_MS / 2) rows = Math.min(MAX_SLICE_ROWS, rows * 2);
    else if (took > SLICE_MS * 2) rows = Math.max(FOLD_ROWS, rows / 2);
    slices++;
    await tick();
  }
}
