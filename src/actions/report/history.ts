/**
 * Reading run histories for a report without holding every row.
 *
 * A short history is read whole, as before. A long one (more than `streamAbove` rows) is read in
 * two passes: a stride sample chosen in SQL (`seq % k = 0`, about `sampleRows` rows, plus the last
 * row) is parsed for metric discovery; then the whole history is streamed in seq-range chunks, each
 * row's numbers read (flat-values.ts; JSON.parse for anything not flat) and folded straight into
 * per-metric Float64Array series, and the row dropped. Only rows holding
 * media descriptors (and the sample) are kept as `history`. The charts then downsample exact full
 * series, so every spike and the last point survive (the contract of report/downsample.ts), while
 * memory stays at a few numbers per row and the garbage collector has almost nothing to trace: a
 * million parsed row objects held at once cost more in GC than in parsing.
 *
 * SQLite's own JSON functions were measured for the extraction (json_extract / ->> per metric,
 * GROUP BY buckets, group_concat): each pass over 100,000 rows cost as much as or more than
 * JSON.parse in V8, because per-bucket extremes need a sorter or per-row output either way.
 */
import { parseExtended } from '../../json/extended-json.js';
import { createSeriesBuilder, discoverMetrics } from '../../report/extract.js';
import type { ReportColumns } from '../../report/index.js';
import type { HistoryTable } from '../../store/index.js';
import { flatValues, needlesFor } from './flat-values.js';

export interface HistoryReadOptions {
  /** Histories longer than this are streamed (default 20,000 rows). */
  streamAbove?: number;
  /** Rows in the discovery sample of a streamed history (default 2,000, as discoverMetrics samples). */
  sampleRows?: number;
  /** Rows per SQL chunk while streaming (default 20,000). */
  chunkRows?: number;
}

const DEFAULTS = { streamAbove: 20_000, sampleRows: 2_000, chunkRows: 20_000 };

/** What the report gets for one run: rows (all of them, or a sample) and, when streamed, the series. */
export interface RunHistory {
  history: Array<Record<string, unknown>>;
  columns?: ReportColumns;
}

interface Extent {
  count: number;
  lo: number;
  hi: number;
}

const parseRow = (line: string): Record<string, unknown> => {
  // Fast path first: most lines are plain JSON; parseExtended handles bare NaN/Infinity.
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return parseExtended(line) as Record<string, unknown>;
  }
};

/** A reader over one store: `plan` the runs (sample long ones), then `read` each with the metrics. */
export function createHistoryReader(table: HistoryTable, options: HistoryReadOptions = {}) {
  const o = { ...DEFAULTS, ...options };
  const extents = new Map<number, Extent>();
  const samples = new Map<number, Array<Record<string, unknown>>>();

  const extent = (runKey: number): Extent => {
    let e = extents.get(runKey);
    if (e === undefined) {
      // min and max are two index seeks; the row count is taken as the seq span (seqs are line numbers).
      const r = table.extent(runKey);
      e = r === undefined ? { count: 0, lo: 0, hi: -1 } : { count: r.hi - r.lo + 1, lo: r.lo, hi: r.hi };
      extents.set(runKey, e);
    }
    return e;
  };

  return {
    /** The run's last seq (-1 without history), from the extent read once. */
    lastSeq(runKey: number): number {
      return extent(runKey).hi;
    },

    /** True when the run's history is streamed rather than read whole. */
    isLong(runKey: number): boolean {
      return extent(runKey).count > o.streamAbove;
    },

    /** The rows metric discovery should look at: all rows of a short run, a stride sample of a long one. */
    discoveryRows(runKey: number): Array<Record<string, unknown>> {
      const e = extent(runKey);
      if (e.count <= o.streamAbove) {
        const all = table.rows(runKey);
        samples.set(runKey, all);
        return all;
      }
      const stride = Math.max(1, Math.floor(e.count / o.sampleRows));
      const rows = table.strideSample(runKey, e, stride).map(parseRow);
      samples.set(runKey, rows);
      return rows;
    },

    /** The run's history for the report: whole when short; streamed into series when long. */
    read(runKey: number, metrics: readonly string[], xAxis: string): RunHistory {
      const e = extent(runKey);
      const kept = samples.get(runKey) ?? this.discoveryRows(runKey);
      if (e.count <= o.streamAbove) return { history: kept };
      const builder = createSeriesBuilder(metrics, xAxis, e.count);
      const needles = needlesFor([xAxis, ...metrics]);
      const values: unknown[] = new Array(needles.length);
      const ys = values.slice(1);
      const media: Array<Record<string, unknown>> = [];
      let index = 0;
      for (let from = e.lo; from <= e.hi; from += o.chunkRows) {
        for (const line of table.textRange(runKey, from, from + o.chunkRows)) {
          if (flatValues(line, needles, values)) {
            for (let m = 0; m < ys.length; m++) ys[m] = values[m + 1];
            builder.addValues(values[0], ys, index++);
            continue;
          }
          const row = parseRow(line);
          builder.add(row, index++);
          // Media descriptors are what the report shows beside the charts; keep those rows.
          if (line.includes('"_type"')) media.push(row);
        }
      }
      const history = media.length === 0 ? kept : mergeBySeq(kept, media);
      return { history, columns: { xAxis, rows: index, series: builder.finish() } };
    },
  };
}

/** Sample rows and media rows in step order, each once (committed rows have distinct steps). */
export function mergeBySeq(a: Array<Record<string, unknown>>, b: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const step = (r: Record<string, unknown>): number => (typeof r['_step'] === 'number' ? r['_step'] : -1);
  const seen = new Set(a.map(step));
  const out = [...a];
  for (const r of b) if (!seen.has(step(r))) out.push(r);
  return out.sort((x, y) => step(x) - step(y));
}

/** Metrics to chart when the caller named none: discovered over the sampled rows of every run. */
export function discoverOver(rowsByRun: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>): string[] {
  return discoverMetrics({
    title: '',
    project: '',
    generatedAt: '',
    runs: rowsByRun.map((history, i) => ({ runId: String(i), name: '', state: '', config: {}, summary: {}, history })),
  });
}
