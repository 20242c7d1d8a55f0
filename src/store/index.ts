import { openStoreDb, type FileIdentity, type StoreOptions } from './db.js';
import { createRunsTable, type RunsTable } from './runs.js';
import { createHistoryTable, type HistoryTable } from './history.js';
import { createHistoryBucketsTable, type HistoryBucketsTable } from './history-buckets.js';
import { type SummaryCache, createSummaryCache } from './summary-cache.js';
import { type FoldFeeds, createFoldFeeds } from './fold-feeds.js';
import { createSweepsTable, type SweepsTable } from './sweeps.js';
import { createSweepMetricsTable, type SweepMetricsTable } from './sweep-metrics.js';
import { createAlertsTable, type AlertsTable } from './alerts.js';
import { createArtifactsTable, type ArtifactsTable } from './artifacts.js';
import { createArtifactViews, type ArtifactViews } from './artifact-views.js';
import { createReportsTable, type ReportsTable } from './reports.js';
import { createPanelsTable, type PanelsTable } from './panels.js';
import { createNoticesTable, type NoticesTable } from './notices.js';
import { createRunFilesTable, createSyncTable, type RunFilesTable, type SyncTable } from './sync.js';
import { createWandbFilesTable, type WandbFilesTable } from './wandb-files.js';
import { createRunSegmentsTable, type RunSegmentsTable } from './run-segments.js';
import { createRunQueries, type RunQueries } from './run-queries.js';
import { createListings, type Listings } from './listings.js';
import { createRunSearch, type RunSearch } from './run-search.js';
import { createHistoryScan, type HistoryScan } from './history-scan.js';
import { createRunMirrors, type RunMirrors } from './run-mirrors.js';

export type { RunRecord, RunState, NewRun, RunProgress, RunMeta, RunsTable } from './runs.js';
export type { HistoryRow, HistoryTable, HistoryExtent } from './history.js';
export type { HistoryBucketsTable, StoredBucket, BucketMark } from './history-buckets.js';
export type { StoreOptions, FileIdentity } from './db.js';
export type { SummaryCache, CachedSummary } from './summary-cache.js';
export type { FoldFeeds, FoldFeed, FedRow } from './fold-feeds.js';
export type { SweepRecord, SweepState, NewSweep, TrialOwner, SweepsTable, SweepListing } from './sweeps.js';
export type { SweepMetricsTable } from './sweep-metrics.js';
export type { AlertLevel, AlertRecord, AlertsTable, DeliveryRecord, RuleOp, RuleRecord, RecentAlert } from './alerts.js';
export type { ArtifactsTable, CollectionRecord, LinkRecord, NewVersion, SyncState, UsageEdge, VersionRecord } from './artifacts.js';
export type { ArtifactViews, RunArtifactRow, VersionFacts, RegistryLinkRow } from './artifact-views.js';
export type { ReportRecord, ReportsTable } from './reports.js';
export type { Panel, PanelsTable } from './panels.js';
export type { NoticesTable } from './notices.js';
export type { RunFilesTable, SyncPatch, SyncRow, SyncTable } from './sync.js';
export type { HistoryRowSource, WandbFilesTable } from './wandb-files.js';
export type { RunSegment, RunSegmentsTable } from './run-segments.js';
export type { Listings, SweepEntry, ArtifactListing } from './listings.js';
export type { RunSearch, RunCondition, RunField, RunOrder, RunColumn } from './run-search.js';
export type { HistoryScan } from './history-scan.js';
export type { RunMirrors, MirroredRun } from './run-mirrors.js';
export type { RunQueries, RunScope, RunsFilter, RunsSort, ProjectRow, FacetSampleRow } from './run-queries.js';
export { openHistoryReader, type HistoryReader } from './history-reader.js';
export { nativeBinding } from './db.js';

/**
 * The embedded store: one SQLite file and its table families, each behind named, typed functions.
 * This interface is the whole contract for persistence: no SQL or database handle leaves src/store/.
 * See README.md beside this file.
 */
export interface Store {
  readonly path: string;
  /** The store file's device and inode when it was opened. */
  readonly file: FileIdentity;
  readonly runs: RunsTable;
  readonly history: HistoryTable;
  /** The downsampled history: stored buckets per run, tier and key, and how far they are complete. */
  readonly historyBuckets: HistoryBucketsTable;
  /** In-memory summaries of runs this process logged to (see summary-cache.ts). */
  readonly summaries: SummaryCache;
  /** Rows this connection appended since each run's bucket mark, summarised for the next fold (see fold-feeds.ts). */
  readonly foldFeeds: FoldFeeds;
  readonly sweeps: SweepsTable;
  readonly sweepMetrics: SweepMetricsTable;
  readonly alerts: AlertsTable;
  readonly artifacts: ArtifactsTable;
  /** Read models over the artifact tables for pages and reports (joins, lineage, registry links). */
  readonly artifactViews: ArtifactViews;
  readonly reports: ReportsTable;
  readonly panels: PanelsTable;
  readonly notices: NoticesTable;
  /** Replication cursors per run (run_sync). */
  readonly sync: SyncTable;
  /** Files of a run waiting for upload (run_files). */
  readonly runFiles: RunFilesTable;
  /** Bulk operations of the W&B offline-file import and export. */
  readonly wandbFiles: WandbFilesTable;
  /** Where each run was resumed (one W&B offline segment per resume). */
  readonly runSegments: RunSegmentsTable;
  /** Read models over `runs` for lists, filters and selections (projects, pages, facets). */
  readonly runQueries: RunQueries;
  /** Projects, sweeps and artifact versions listed across a project (resource lists). */
  readonly listings: Listings;
  /** The `query` action's runs: W&B's filters compiled to SQL, orders, pages, summaries brought up to date, files. */
  readonly runSearch: RunSearch;
  /** Exact history reads by step range, paged (W&B's scan_history). */
  readonly historyScan: HistoryScan;
  /** Runs fetched from the W&B server that this store did not make (a team's runs), kept beside the local ones. */
  readonly runMirrors: RunMirrors;
  /** Runs `fn` in one IMMEDIATE transaction: all of its writes commit together or none do. */
  write<T>(fn: () => T): T;
  close(): void;
}

/** A family built on first use: preparing every statement up front would cost a one-call process's start-up. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function openStore(options: StoreOptions): Store {
  const db = openStoreDb(options);
  const runs = once(() => createRunsTable(db));
  const history = once(() => createHistoryTable(db));
  const historyBuckets = once(() => createHistoryBucketsTable(db));
  const sweeps = once(() => createSweepsTable(db));
  const sweepMetrics = once(() => createSweepMetricsTable(db));
  const alerts = once(() => createAlertsTable(db));
  const artifacts = once(() => createArtifactsTable(db));
  const artifactViews = once(() => createArtifactViews(db));
  const reports = once(() => createReportsTable(db));
  const panels = once(() => createPanelsTable(db));
  const notices = once(() => createNoticesTable(db));
  const sync = once(() => createSyncTable(db));
  const runFiles = once(() => createRunFilesTable(db));
  const wandbFiles = once(() => createWandbFilesTable(db));
  const runSegments = once(() => createRunSegmentsTable(db));
  const runQueries = once(() => createRunQueries(db));
  const listings = once(() => createListings(db));
  const runSearch = once(() => createRunSearch(db));
  const historyScan = once(() => createHistoryScan(db));
  const runMirrors = once(() => createRunMirrors(db));
  const summaries = createSummaryCache();
  const foldFeeds = createFoldFeeds(db);
  return {
    path: db.path,
    file: db.file,
    get runs() {
      return runs();
    },
    get history() {
      return history();
    },
    get historyBuckets() {
      return historyBuckets();
    },
    summaries,
    foldFeeds,
    get sweeps() {
      return sweeps();
    },
    get sweepMetrics() {
      return sweepMetrics();
    },
    get alerts() {
      return alerts();
    },
    get artifacts() {
      return artifacts();
    },
    get artifactViews() {
      return artifactViews();
    },
    get reports() {
      return reports();
    },
    get panels() {
      return panels();
    },
    get notices() {
      return notices();
    },
    get sync() {
      return sync();
    },
    get runFiles() {
      return runFiles();
    },
    get wandbFiles() {
      return wandbFiles();
    },
    get runSegments() {
      return runSegments();
    },
    get runQueries() {
      return runQueries();
    },
    get listings() {
      return listings();
    },
    get runSearch() {
      return runSearch();
    },
    get historyScan() {
      return historyScan();
    },
    get runMirrors() {
      return runMirrors();
    },
    write: (fn) => db.write(fn),
    close: () => db.close(),
  };
}
