/**
 * Input and output types of report rendering. The input is a plain object (no store handle), so the
 * report action fills it from SQLite and tests fill it by hand.
 */

/** A W&B media descriptor as it appears in a history row (`{_type: "image-file", path, ...}`). */
export type MediaDescriptor = { _type: string } & Record<string, unknown>;

/** One media value a run logged. When absent from `ReportRun.media`, media are collected from history rows. */
export interface ReportMedia {
  /** History key the value was logged under, e.g. `"samples"`. */
  key: string;
  step?: number;
  /** W&B `_type`: `image-file`, `table-file`, `histogram`, `audio-file`, `video-file`, `html-file`, ... */
  type: string;
  /** Run-relative path from the descriptor (`media/images/...`). */
  path?: string;
  /** Absolute path the renderer may read (images are embedded, tables previewed); else resolved from `filesDir`. */
  localPath?: string;
  caption?: string;
  /** The full descriptor (histograms carry `values` and `bins` here). */
  descriptor?: MediaDescriptor;
  /** Inline table contents when the caller already has them. */
  table?: { columns: string[]; data: unknown[][] };
}

/** An artifact version a run logged or used. */
export interface ReportArtifact {
  name: string;
  type: string;
  /** `v0`, `v1`, ... */
  version?: string;
  aliases?: string[];
  digest?: string;
  size?: number;
  id?: string;
}

/** An alert a run raised. */
export interface ReportAlert {
  title: string;
  text: string;
  /** `INFO`, `WARN` or `ERROR`. */
  level: string;
  createdAt?: string;
  suppressed?: boolean;
}

/** One run with its full committed history. */
export interface ReportRun {
  runId: string;
  name: string;
  state: string;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  tags?: string[];
  group?: string;
  jobType?: string;
  createdAt?: string;
  /** Committed history rows in step order, each with `_step`; nested objects may stay nested. */
  history: ReadonlyArray<Record<string, unknown>>;
  /** The run's files directory; descriptor paths (`media/images/x.png`) are resolved against it. */
  filesDir?: string;
  media?: ReportMedia[];
  artifacts?: { logged: ReportArtifact[]; used: ReportArtifact[] };
  alerts?: ReportAlert[];
  url?: string;
  /**
   * Series already extracted from the whole history (the report action streams long histories
   * rather than holding every row); `history` is then a sample of the rows (for media and metric
   * discovery) and these are used for charts, statistics and the run's last values.
   */
  columns?: ReportColumns;
}

/** x and y values of one metric in one run (rows without a finite value left out). */
export interface ReportSeries {
  xs: Float64Array;
  ys: Float64Array;
  /** Rows whose value was NaN or ±Infinity (dropped from the chart). */
  nonFinite: number;
  /** Finite values in the whole history when the series is a sample of it (its points keep every bucket's min, max and last). */
  count?: number;
}

/** Per-metric series of a run for one x axis, and how many history rows they came from. */
export interface ReportColumns {
  xAxis: string;
  rows: number;
  series: Map<string, ReportSeries>;
}

/** The metric a sweep (or the caller) optimises. */
export interface ReportObjective {
  name: string;
  goal: 'minimize' | 'maximize';
}

/** A sweep parameter's axis as the sweep config defines it. */
export interface ReportSweepAxis {
  scale: 'linear' | 'log' | 'categorical';
  /** Numeric axes: the range drawn (the search range joined with the runs' values). */
  domain?: [number, number];
  /** Categorical axes: the values in order. */
  values?: unknown[];
}

export interface ReportSweep {
  sweepId: string;
  method: string;
  metric: ReportObjective;
  /** Names of the swept parameters (config keys; dotted paths for nested values). */
  parameters: string[];
  /** When absent, the best run is chosen from the runs' summaries by `metric`. */
  bestRunId?: string;
  /**
   * Per run id, the metric as the sweep scores the run (its best value over its history, as the
   * search and `sweep status` read it). When present it is the report's value of every sweep run:
   * the best run, its value and the parallel-coordinates axis use it, not the summaries.
   */
  runValues?: Record<string, number>;
  /**
   * Per parameter, the axis on the sweep's own scale (from its config: a log distribution on a log
   * axis, a uniform one linear over its search range, a list categorical in the list's order).
   * Without it, an axis is read from the values.
   */
  axes?: Record<string, ReportSweepAxis>;
  state?: string;
  url?: string;
}

/** Everything a report shows. `generatedAt` is passed in so output is reproducible. */
export interface ReportData {
  title: string;
  description?: string;
  project: string;
  entity?: string;
  /** ISO-8601 time shown in the header. */
  generatedAt: string;
  runs: ReportRun[];
  /** Metrics to chart and test; default: every numeric history key not starting with `_`. */
  metrics?: string[];
  /** History key for the x axis; default `_step` (row index when a row lacks it). */
  xAxis?: string;
  sweep?: ReportSweep;
  /** Objective for the best run when there is no sweep. */
  objective?: ReportObjective;
  /** `group`, `jobType` or a config key (dotted path): groups runs for the hypothesis tests. */
  groupBy?: string;
  /** The report's own URL (W&B online); shown as text. */
  url?: string;
}

export type ReportFormat = 'html' | 'markdown' | 'json';

export interface RenderReportOptions {
  format: ReportFormat;
  /** Points kept per run and metric in line charts (at least 8; default 1000, fewer when there are more than 6 runs). */
  maxPoints?: number;
  /** Markdown only: relative directory for the chart and image files (default `report-assets`). */
  assetDir?: string;
  /** Largest image embedded or copied, in bytes (default 2 MiB); larger ones are listed. */
  maxImageBytes?: number;
  /** Rows shown per logged table (default 20). */
  maxTableRows?: number;
}

/** A file that goes beside the report (Markdown: charts and images), `name` relative to the report. */
export interface ReportFile {
  name: string;
  content: string | Uint8Array;
  mediaType: string;
}

/** What an agent reads without opening the report; matches the output's `report.runs` and `report.best`. */
export interface ReportRunSummary {
  runId: string;
  name: string;
  state: string;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
}

export interface ReportBest {
  runId: string;
  name: string;
  metric: string;
  goal: 'minimize' | 'maximize';
  value: number;
  config: Record<string, unknown>;
}
