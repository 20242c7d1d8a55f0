/**
 * A long run's history for a report from the downsampled form (src/history), when the x axis is
 * `_step`: per metric and bucket, the points at the bucket's min, max and last finite value (at
 * their own steps), so every spike is drawn where it happened and the line ends where the run ends;
 * the chart's own min/max downsampling then thins them. Counts, extremes and last values are those
 * of the whole history. Media rows come from the rows the fold recorded, plus the unfolded tail.
 * No row is parsed except the media rows and the unfolded tail, each read once.
 */
import { parseExtended } from '../../json/extended-json.js';
import type { ReportSeries } from '../../report/index.js';
import { sampleHistory, type SampledPoint } from '../../history/sampled.js';
import { catchUp } from '../../history/fold.js';
import type { Store } from '../../store/index.js';
import { discoverOver, type RunHistory } from './history.js';

function seriesOf(points: readonly SampledPoint[]): ReportSeries {
  // Up to three points a bucket, written straight into typed arrays (no per-bucket arrays to sort:
  // a report reads tens of thousands of buckets).
  const xs = new Float64Array(points.length * 3);
  const ys = new Float64Array(points.length * 3);
  let n = 0;
  let nonFinite = 0;
  let count = 0;
  const put = (x: number, y: number): void => {
    if (n > 0 && xs[n - 1] === x) return;
    xs[n] = x;
    ys[n] = y;
    n++;
  };
  for (const p of points) {
    const finite = p.finite ?? 0;
    nonFinite += p.count - finite;
    if (finite === 0) continue;
    count += finite;
    let ax = p.minStep ?? p.firstStep;
    let ay = p.min;
    let bx = p.maxStep ?? p.lastStep;
    let by = p.max;
    const cx = p.lastFiniteStep ?? p.lastStep;
    const cy = p.lastFinite ?? p.last;
    // In step order: the last finite value comes after the min and the max unless steps went down.
    if (bx < ax) [ax, ay, bx, by] = [bx, by, ax, ay];
    if (cx < bx) {
      const pts: Array<[number, number]> = [
        [ax, ay],
        [bx, by],
        [cx, cy],
      ];
      for (const [x, y] of pts.sort((u, v) => u[0] - v[0])) put(x, y);
      continue;
    }
    put(ax, ay);
    put(bx, by);
    put(cx, cy);
  }
  return { xs: xs.slice(0, n), ys: ys.slice(0, n), nonFinite, count };
}

const parseRow = (line: string): Record<string, unknown> => parseExtended(line) as Record<string, unknown>;

/** A reader catches the buckets up first when more rows than this are not folded yet (as src/history/read.ts does). */
const REPAIR_ABOVE = 2048;

/** What a long run's report needs besides its buckets, read once: the media rows and the metric keys. */
export interface SampledPlan {
  /** Rows holding media descriptors (folded ones and the unfolded tail's), in seq order. */
  media: Array<Record<string, unknown>>;
  /** Numeric metric keys (no `_` keys, nothing inside a media descriptor) in first-logged order. */
  keys: string[];
}

function descriptorPaths(row: Record<string, unknown>, prefix: string, into: Set<string>): void {
  for (const [k, v] of Object.entries(row)) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    if ('_type' in v) into.add(prefix + k);
    else descriptorPaths(v as Record<string, unknown>, `${prefix}${k}.`, into);
  }
}

/**
 * Reads a long run's mark and unfolded tail once (catching its buckets up first when far behind),
 * and takes its metric keys from the keys the fold recorded plus the tail's, instead of parsing a
 * sample of the whole history: the same keys, and rarely logged ones are not missed.
 */
export function planSampled(store: Store, runKey: number, hi: number): SampledPlan {
  const end = hi + 1;
  let folded = store.historyBuckets.mark(runKey)?.folded ?? 0;
  if (end - folded > REPAIR_ABOVE) folded = catchUp(store, runKey, end).folded;
  const lines = store.history.textRange(runKey, folded, end);
  const tail = lines.map(parseRow);
  const media = [...store.historyBuckets.mediaLines(runKey).map(parseRow), ...tail.filter((_, i) => (lines[i] as string).includes('"_type"'))];
  const inMedia = new Set<string>();
  for (const r of media) descriptorPaths(r, '', inMedia);
  const underMedia = (k: string): boolean => {
    for (const p of inMedia) if (k === p || k.startsWith(`${p}.`)) return true;
    return false;
  };
  const keys = new Set<string>();
  for (const k of store.historyBuckets.keys(runKey)) if (!k.startsWith('_') && !underMedia(k)) keys.add(k);
  for (const k of discoverOver([tail])) keys.add(k);
  return { media, keys: [...keys] };
}

/**
 * The run's history for the report from its sampled form and its plan. `samples`: buckets asked
 * (the chart's points per run: between half and all of them come back, up to 3 points each, which
 * the chart's min/max downsampling then thins).
 */
export function readSampled(store: Store, runKey: number, metrics: readonly string[], plan: SampledPlan, samples: number): RunHistory {
  const s = sampleHistory(store, runKey, { keys: metrics, samples });
  const series = new Map(metrics.map((m) => [m, seriesOf(s.series[m] ?? [])]));
  return { history: plan.media, columns: { xAxis: '_step', rows: s.rows, series } };
}
