import type { Statement } from 'better-sqlite3';
import type { StoreDb } from './db.js';
import { inRun } from './history-layout.js';

/**
 * Each sweep run's finite values of the sweep's metric, in history order, copied incrementally from
 * `history` (tables in sweeps.ts). `scannedSeq` is how many history lines were read so far.
 */
export interface SweepMetricsTable {
  scanState(runKey: number): { scannedSeq: number; count: number } | undefined;
  saveScan(runKey: number, sweepKey: number, scannedSeq: number, count: number): void;
  append(runKey: number, sweepKey: number, n: number, value: number): void;
  /** One run's values in order. */
  values(runKey: number): number[];
  /**
   * Keys of the sweep's runs whose history holds lines not read yet (or that were never read):
   * the only ones a catch-up has work on.
   */
  behind(project: string, sweepId: string): number[];
  /** Every run's values of a sweep, keyed by run key. */
  sweepValues(sweepKey: number): Map<number, number[]>;
}

export function createSweepMetricsTable(store: StoreDb): SweepMetricsTable {
  const { db } = store;
  const s: Record<string, Statement> = {
    scan: db.prepare('SELECT scanned_seq AS scannedSeq, count FROM sweep_metric_scan WHERE run_key = ?'),
    save: db.prepare(`INSERT INTO sweep_metric_scan (run_key, sweep_key, scanned_seq, count) VALUES (?, ?, ?, ?)
      ON CONFLICT (run_key) DO UPDATE SET scanned_seq = excluded.scanned_seq, count = excluded.count`),
    append: db.prepare('INSERT OR REPLACE INTO sweep_metric_values (run_key, sweep_key, n, value) VALUES (?, ?, ?, ?)'),
    values: db.prepare('SELECT value FROM sweep_metric_values WHERE run_key = ? ORDER BY n'),
    behind: db.prepare(`SELECT r.key FROM runs r LEFT JOIN sweep_metric_scan m ON m.run_key = r.key WHERE r.sweep_id = ? AND r.project = ?
      AND (m.run_key IS NULL OR EXISTS (SELECT 1 FROM history_rows h WHERE ${inRun('h.id', 'r.key', 'm.scanned_seq')}))`),
    sweep: db.prepare('SELECT run_key AS runKey, value FROM sweep_metric_values WHERE sweep_key = ? ORDER BY run_key, n'),
  };
  return {
    scanState: (runKey) => s.scan!.get(runKey) as { scannedSeq: number; count: number } | undefined,
    saveScan: (runKey, sweepKey, scannedSeq, count) => void s.save!.run(runKey, sweepKey, scannedSeq, count),
    append: (runKey, sweepKey, n, value) => void s.append!.run(runKey, sweepKey, n, value),
    behind: (project, sweepId) => s.behind!.pluck().all(sweepId, project) as number[],
    values: (runKey) => (s.values!.all(runKey) as Array<{ value: number }>).map((r) => r.value),
    sweepValues(sweepKey) {
      const out = new Map<number, number[]>();
      for (const r of s.sweep!.iterate(sweepKey) as Iterable<{ runKey: number; value: number }>) {
        let list = out.get(r.runKey);
        if (list === undefined) out.set(r.runKey, (list = []));
        list.push(r.value);
      }
      return out;
    },
  };
}
