import type { StoreDb } from './db.js';

/** One row a connection appended, as the feed keeps it until the fold. */
export interface FedRow {
  step: number;
  /** The stored line (the fold parses it unless `row` is given, and looks for media descriptors in it). */
  line: string;
  /** The row itself, when it holds no object (so it reads the same as its line). */
  row?: Record<string, unknown>;
}

/**
 * The history rows this connection appended to a run since the run's bucket mark, kept as they were
 * committed (src/history/fold.ts), so the log path's periodic fold summarises them without reading
 * them back; a run that never reaches a fold pays nothing more.
 */
export interface FoldFeed {
  /** The run's id, checked with its key (a key alone could, in principle, be reused). */
  runId: string;
  /** The mark the feed starts at: rows [from, from + rows.length) are in `rows`, in order. */
  from: number;
  rows: FedRow[];
}

export interface FoldFeeds {
  /** The run's feed, when no other connection has committed since it was last set. */
  get(runKey: number, runId: string): FoldFeed | undefined;
  /** Keeps (or replaces) a run's feed; call inside the write transaction that appended its rows. */
  set(runKey: number, feed: FoldFeed): void;
  delete(runKey: number): void;
}

/** How many runs a store keeps feeds for (the runs a process logs to; all go when it is exceeded). */
const MAX_FEEDS = 64;

/**
 * A feed is only as good as the rows it claims to hold: it is used while SQLite's data_version (the
 * store's `otherCommits`) is what it was when the feed was set, since any other connection's commit
 * could have added, replaced or folded rows of the run. A rolled-back write, or any write of this
 * connection that calls `forget()`, drops every feed.
 */
export function createFoldFeeds(store: StoreDb): FoldFeeds {
  const feeds = new Map<number, { feed: FoldFeed; version: number }>();
  store.onForget(() => feeds.clear());
  return {
    get(runKey, runId) {
      const e = feeds.get(runKey);
      if (e === undefined) return undefined;
      if (e.version === store.otherCommits() && e.feed.runId === runId) return e.feed;
      feeds.delete(runKey);
      return undefined;
    },
    set(runKey, feed) {
      if (feeds.size >= MAX_FEEDS && !feeds.has(runKey)) feeds.clear();
      feeds.set(runKey, { feed, version: store.otherCommits() });
    },
    delete: (runKey) => void feeds.delete(runKey),
  };
}
