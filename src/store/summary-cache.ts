/**
 * Summaries of the runs this process logs to, kept current in memory after each commit, so a
 * `finish` (or the periodic fold) need not read and parse the rows since the stored summary.
 * An entry holds the summary over history lines [0, seq) of one run; only committed lines ever
 * enter it, so it is valid for any reader that sees at least `seq` lines. Bounded: the oldest
 * entries go first.
 */

export interface CachedSummary {
  /** The run's id, checked with its key (a key alone could, in principle, be reused). */
  runId: string;
  /** History lines folded in. */
  seq: number;
  value: Record<string, unknown>;
}

export interface SummaryCache {
  get(runKey: number, runId: string): CachedSummary | undefined;
  set(runKey: number, entry: CachedSummary): void;
  delete(runKey: number): void;
}

export function createSummaryCache(max = 256): SummaryCache {
  const entries = new Map<number, CachedSummary>();
  const last = { key: -1 };
  return {
    get(runKey, runId) {
      const e = entries.get(runKey);
      return e !== undefined && e.runId === runId ? e : undefined;
    },
    set(runKey, entry) {
      // Re-inserted last (the most recently used), unless it is the last already (a loop's run).
      if (last.key === runKey && entries.has(runKey)) {
        entries.set(runKey, entry);
        return;
      }
      last.key = runKey;
      entries.delete(runKey);
      entries.set(runKey, entry);
      if (entries.size > max) entries.delete(entries.keys().next().value as number);
    },
    delete: (runKey) => void entries.delete(runKey),
  };
}
