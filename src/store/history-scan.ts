import type { StoreDb } from './db.js';
import { lazyStatements } from './statements.js';
import { inRun, rowKey, seqOf } from './history-layout.js';

/**
 * Exact history reads by step range for the `query` action (W&B's `run.scan_history(min_step,
 * max_step)`): steps grow with a run's line numbers, so the first line of a range is found by a
 * binary search of index seeks, and a page reads lines from there.
 */
export interface HistoryScan {
  /** The first seq whose step is >= `step` (the run's line count when none is). */
  firstSeqAtStep(runKey: number, step: number): number;
  /** Up to `limit` lines with `fromSeq <= seq < toSeq`, in order, with their seq. */
  page(runKey: number, fromSeq: number, toSeq: number, limit: number): Array<{ seq: number; row: string }>;
}

export function createHistoryScan(store: StoreDb): HistoryScan {
  const s = lazyStatements(store.db, {
    stepAt: `SELECT step FROM history_rows WHERE id = ${rowKey('?', '?')}`,
    extent: `SELECT (SELECT ${seqOf('id')} FROM history_rows WHERE ${inRun('id', '@k')} ORDER BY id LIMIT 1) AS lo,
      (SELECT ${seqOf('id')} FROM history_rows WHERE ${inRun('id', '@k')} ORDER BY id DESC LIMIT 1) AS hi`,
    page: `SELECT ${seqOf('id')} AS seq, row FROM history_rows WHERE ${inRun('id', '@k', '@from', '@to')} ORDER BY id LIMIT @limit`,
  });
  return {
    firstSeqAtStep(runKey, step) {
      const e = s.extent.get({ k: runKey }) as { lo: number | null; hi: number | null };
      if (e.lo === null || e.hi === null) return 0;
      let lo = e.lo;
      let hi = e.hi + 1;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        const at = s.stepAt.get(runKey, mid) as { step: number } | undefined;
        if (at !== undefined && at.step < step) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    page: (runKey, fromSeq, toSeq, limit) => s.page.all({ k: runKey, from: fromSeq, to: toSeq, limit }) as Array<{ seq: number; row: string }>,
  };
}
