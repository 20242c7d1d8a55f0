/**
 * A long run's history for a report from the downsampled form (src/history), when the x axis is
 * `_step`: per metric and bucket, the points at the bucket's min, max and last finite value (at
 * their own steps), so every spike is drawn where it happened and the line ends where the run ends;
 * the chart's own min/max downsampling then thins them. Counts, extremes and last values are those
 * of the whole history. Media rows come from the rows the fold recorded, plus the unfolded tail.
 * No row is parsed except the discovery sample, the media rows and the tail.
 */
import { parseExtended } from '../../json/extended-json.js';
import type { ReportSeries } from '../../report/index.js';
import { sampleHistory, type SampledPoint } from '../../history/sampled.js';
import type { Store } from '../../store/index.js';
import { mergeBySeq, type RunHistory } from './history.js';

function seriesOf(points: readonly SampledPoint[]): ReportSeries {
  const xs: number[] = [];
  const ys: number[] = [];
  let nonFinite = 0;
  let count = 0;
  for (const p of points) {
    const finite = p.finite ?? 0;
    nonFinite += p.count - finite;
    if (finite === 0) continue;
    count += finite;
    const pts: Array<[number, number]> = [
      [p.minStep ?? p.firstStep, p.min],
      [p.maxStep ?? p.lastStep, p.max],
      [p.lastFiniteStep ?? p.lastStep, p.lastFinite ?? p.last],
    ];
    pts.sort((a, b) => a[0] - b[0]);
    for (const [x, y] of pts) {
      if (xs.length > 0 && xs[xs.length - 1] === x) continue;
      xs.push(x);
      ys.push(y);
    }
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys), nonFinite, count };
}

const parseRow = (line: string): Record<string, unknown> => parseExtended(line) as Record<string, unknown>;

/**
 * The run's history for the report from its sampled form (`kept`: the discovery sample rows).
 * `samples`: buckets asked (the chart's points per run: between half and all of them come back,
 * up to 3 points each, which the chart's min/max downsampling then thins).
 */
export function readSampled(store: Store, runKey: number, metrics: readonly string[], kept: Array<Record<string, unknown>>, samples: number): RunHistory {
  const s = sampleHistory(store, runKey, { keys: metrics, samples });
  const folded = store.historyBuckets.mark(runKey)?.folded ?? 0;
  const end = (store.history.extent(runKey)?.hi ?? -1) + 1;
  const mediaLines = [...store.historyBuckets.mediaLines(runKey), ...store.history.textRange(runKey, folded, end).filter((l) => l.includes('"_type"'))];
  const media = mediaLines.map(parseRow);
  const series = new Map(metrics.map((m) => [m, seriesOf(s.series[m] ?? [])]));
  return { history: media.length === 0 ? kept : mergeBySeq(kept, media), columns: { xAxis: '_step', rows: s.rows, series } };
}
